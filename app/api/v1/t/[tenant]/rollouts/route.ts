import { listRolloutsEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = listRolloutsEndpoint.handler;
