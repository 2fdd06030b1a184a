import { listExperimentsEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = listExperimentsEndpoint.handler;
