import { filePromotion, listPromotions } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const GET = listPromotions.handler;
export const POST = filePromotion.handler;
