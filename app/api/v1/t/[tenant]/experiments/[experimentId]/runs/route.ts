import { listRunsEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = listRunsEndpoint.handler;
