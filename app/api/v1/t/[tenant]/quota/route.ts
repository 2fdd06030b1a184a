import { readQuotaEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = readQuotaEndpoint.handler;
