import { readPromotion } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = readPromotion.handler;
