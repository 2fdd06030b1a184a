import { filePromotion } from '@/lib/api/endpoints';

export const dynamic = 'force-dynamic';

export const POST = filePromotion.handler;
