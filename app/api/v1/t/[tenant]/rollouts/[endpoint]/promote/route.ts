import { promoteEndpoint } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const POST = promoteEndpoint.handler;
