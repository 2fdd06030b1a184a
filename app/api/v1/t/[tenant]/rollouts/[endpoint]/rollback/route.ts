import { rollbackEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const POST = rollbackEndpoint.handler;
