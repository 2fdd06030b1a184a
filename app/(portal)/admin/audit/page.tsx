import Link from 'next/link';
import { z } from 'zod';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { listAuditEvents } from '@/lib/audit/log';
import { requirePermission } from '@/lib/auth/session';
import { Time } from '@/components/ui/time';

export const metadata = { title: 'Audit log' };

const PAGE_SIZE = 50;
const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
  z.string().max(200).optional(),
);
const optionalDate = z.preprocess(
  (v) => (typeof v === 'string' && v !== '' ? v : undefined),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
    .optional(),
);
const filtersSchema = z.object({
  tenant: optionalText,
  actor: optionalText,
  action: optionalText,
  from: optionalDate,
  to: optionalDate,
  before: z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? v : undefined), z.string().optional()),
});

const outcomeTone = { success: 'good', denied: 'bad', failed: 'warn' } as const;

function summary(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePermission('audit.read', { kind: 'platform' });
  const parsed = filtersSchema.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : {};
  const { events, nextBefore } = await listAuditEvents({
    tenant: filters.tenant,
    actor: filters.actor,
    action: filters.action,
    from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59.999Z`) : undefined,
    before: filters.before ? BigInt(filters.before) : undefined,
    limit: PAGE_SIZE,
  });
  const query = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, before: undefined, ...extra })) if (v) params.set(k, v);
    return `/admin/audit?${params.toString()}`;
  };
  const fields = [
    { name: 'tenant', label: 'Tenant', type: 'text' },
    { name: 'actor', label: 'Actor', type: 'text' },
    { name: 'action', label: 'Action (prefix)', type: 'text' },
    { name: 'from', label: 'From (UTC)', type: 'date' },
    { name: 'to', label: 'To (UTC)', type: 'date' },
  ] as const;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and every refused attempt, newest first. Append-only and hash-chained: `npm run audit:verify` checks that nothing was altered."
      />
      <form
        method="get"
        action="/admin/audit"
        className="mb-6 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6 dark:border-slate-700 dark:bg-slate-900"
      >
        {fields.map((f) => (
          <div key={f.name}>
            <label htmlFor={`filter-${f.name}`} className="block text-sm font-medium">
              {f.label}
            </label>
            <input
              id={`filter-${f.name}`}
              name={f.name}
              type={f.type}
              defaultValue={filters[f.name] ?? ''}
              className={inputClass}
            />
          </div>
        ))}
        <div className="flex items-end gap-2">
          <button type="submit" className={buttonClass.primary}>
            Filter
          </button>
          <Link href="/admin/audit" className={buttonClass.secondary}>
            Clear
          </Link>
        </div>
        {!parsed.success ? (
          <p role="alert" className="text-sm text-red-700 sm:col-span-3 lg:col-span-6 dark:text-red-300">
            Some filters were not understood and are ignored:{' '}
            {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}
          </p>
        ) : null}
      </form>
      {events.length === 0 ? (
        <EmptyState title="No events match">Widen the time range or clear a filter.</EmptyState>
      ) : (
        <DataTable
          caption="Audit events"
          columns={['Time (UTC)', 'Actor', 'Action', 'Tenant', 'Target', 'Outcome', 'Change']}
        >
          {events.map((e) => (
            <tr key={e.id.toString()} className={`${rowClass} align-top`} data-testid="audit-row">
              <td className={`${cellClass} whitespace-nowrap font-mono text-xs`}>
                <Time at={e.occurredAt} />
              </td>
              <td className={cellClass}>{e.actor}</td>
              <td className={`${cellClass} font-mono text-xs`}>{e.action}</td>
              <td className={cellClass}>{e.tenant ?? '—'}</td>
              <td className={cellClass}>{e.targetType ? `${e.targetType} ${e.targetId}` : '—'}</td>
              <td className={cellClass}>
                <Badge tone={outcomeTone[e.outcome]}>{e.outcome}</Badge>
                {e.reason ? <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">{e.reason}</p> : null}
              </td>
              <td className={`${cellClass} break-all font-mono text-xs`}>
                {e.before ? <div>before: {summary(e.before)}</div> : null}
                {e.after ? <div>after: {summary(e.after)}</div> : null}
                {e.requestId ? <div className="text-slate-600 dark:text-slate-400">request {e.requestId}</div> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <nav aria-label="Audit log pages" className="mt-4 flex gap-2">
        {filters.before ? (
          <Link href={query({})} className={buttonClass.secondary}>
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={query({ before: nextBefore.toString() })} className={buttonClass.secondary}>
            Older events
          </Link>
        ) : null}
      </nav>
    </>
  );
}
