import { listModelVersionsEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = listModelVersionsEndpoint.handler;
