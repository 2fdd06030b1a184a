import { unreadCount } from '@/lib/notifications/service';
import { liveRoute } from '../../live-route';

export const dynamic = 'force-dynamic';

/** The shell's unread badge, polled every 15 s: `{ count }` of the signed-in person's unread inbox items. */
export const GET = liveRoute(async ({ user }) => ({ count: await unreadCount(user) }));
