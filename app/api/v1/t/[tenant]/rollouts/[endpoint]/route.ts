import { readRolloutEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = readRolloutEndpoint.handler;
