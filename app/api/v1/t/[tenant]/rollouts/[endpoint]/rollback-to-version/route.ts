import { rollbackToVersionEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const POST = rollbackToVersionEndpoint.handler;
