import { rollbackTargetsEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = rollbackTargetsEndpoint.handler;
