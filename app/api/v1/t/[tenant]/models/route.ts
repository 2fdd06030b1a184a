import { listModelsEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = listModelsEndpoint.handler;
