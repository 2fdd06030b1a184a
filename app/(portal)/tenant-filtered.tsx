import Link from 'next/link';
import { tenantFilterParam } from '@/components/ops/format';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass } from '@/components/ui/styles';
import { requireUser } from '@/lib/auth/session';
import type { SessionUser } from '@/lib/auth/users';
import { UserFacingError } from '@/lib/errors';
import { liveAnswer, liveRoute } from './live-route';

/**
 * The cross-tenant dashboards (operations, SLOs) take a tenant filter from the URL (`?tenant=`).
 * Their services scope every read to the tenants the viewer may see and refuse a filter naming
 * any other tenant in the same words whether or not it exists; the page and its live route turn
 * that refusal into an empty state or a 404.
 */
type ReadView<V> = (user: SessionUser, tenant: string | null, page: number, query: QueryParam) => Promise<V>;
/** Another query parameter of the dashboard's own (e.g. the operations board's `state`), for its read to check. */
type QueryParam = (name: string) => string | string[] | null | undefined;

/** `?page=`: a whole number from 1, else the first page. */
function pageParam(value: string | string[] | null | undefined): number {
  const page = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

export async function openFilteredDashboard<V>(
  searchParams: Promise<Record<string, string | string[] | undefined>>,
  read: ReadView<V>,
): Promise<{ view: V } | { refused: string; field?: string }> {
  const user = await requireUser();
  const params = await searchParams;
  try {
    return {
      view: await read(user, tenantFilterParam(params.tenant), pageParam(params.page), (name) => params[name]),
    };
  } catch (error) {
    if (error instanceof UserFacingError) return { refused: error.message, field: error.field };
    throw error;
  }
}

/** `field`: the refused filter (UserFacingError's field), the tenant unless it says otherwise. */
export function FilterRefused({ path, message, field }: { path: string; message: string; field?: string }) {
  return (
    <EmptyState
      title={field === undefined || field === 'tenant' ? 'This tenant cannot be shown' : 'This filter cannot be shown'}
      action={
        <Link href={path} className={buttonClass.primary}>
          Show every tenant
        </Link>
      }
    >
      {message} Check the address, or pick a tenant from the filter.
    </EmptyState>
  );
}

/** The GET handler of a dashboard's live route (polled by its page). */
export function filteredLiveRoute<V>(read: ReadView<V>) {
  return liveRoute(async ({ user, search }) => {
    try {
      return await read(user, tenantFilterParam(search.get('tenant')), pageParam(search.get('page')), (name) =>
        search.get(name),
      );
    } catch (error) {
      if (error instanceof UserFacingError) return liveAnswer({ error: error.message }, 404);
      throw error;
    }
  });
}
