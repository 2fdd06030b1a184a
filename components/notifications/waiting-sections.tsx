import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, numericCellClass, rowClass } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import type { WaitingOnYou } from '@/lib/notifications/waiting-view';

const requests = (count: number) => `${count} promotion request${count === 1 ? '' : 's'}`;

/**
 * "Waiting on you": approvals to give (the /approvals list, in short), paused canaries the person
 * operates, and unread news of the requests they filed.
 */
export function WaitingSections({ waiting }: { waiting: WaitingOnYou }) {
  const { approvals, paused, yourRequests } = waiting;
  if (!approvals.applies && !paused.applies && yourRequests.length === 0) return null;
  return (
    <section aria-labelledby="waiting-heading" className="mb-6 space-y-3">
      <h2 id="waiting-heading" className="text-lg font-semibold">
        Waiting on you
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        {approvals.applies ? (
          <Card title="Approvals to give">
            {approvals.total === 0 ? (
              <p className="text-sm text-slate-700 dark:text-slate-300">
                No promotion request waits for your decision.
              </p>
            ) : (
              <>
                <p className="mb-2 text-sm text-slate-700 dark:text-slate-300" data-testid="approvals-waiting">
                  {requests(approvals.total)} {approvals.total === 1 ? 'waits' : 'wait'} for your decision, oldest
                  first.
                </p>
                <ul className="space-y-1 text-sm">
                  {approvals.shown.map((r) => (
                    <li key={r.requestId}>
                      <Link className={buttonClass.link} href={`/t/${r.tenant}/promotions/${r.requestId}`}>
                        {r.model} v{r.version}
                      </Link>{' '}
                      <span className="text-slate-600 dark:text-slate-400">
                        in {r.tenant}, requested by {r.requesterName} on <Time at={r.requestedAt} />
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="mt-3 text-sm">
              <Link className={buttonClass.link} href="/approvals">
                {approvals.total > approvals.shown.length
                  ? `All ${approvals.total} on the Approvals page`
                  : 'Approvals'}
              </Link>
            </p>
          </Card>
        ) : null}
        {paused.applies ? (
          <Card title="Paused canaries">
            {paused.canaries.length === 0 ? (
              <p className="text-sm text-slate-700 dark:text-slate-300">
                No canary you operate is paused: automatic judgment can read the metrics of every one.
              </p>
            ) : (
              <>
                <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">
                  Automatic judgment cannot read these canaries’ metrics, so it neither promotes nor rolls back: look,
                  and decide by hand if it lasts.
                </p>
                <DataTable
                  caption="Paused canaries"
                  columns={['Endpoint', 'Canary', { label: 'Traffic', numeric: true }, 'Why', 'Since']}
                >
                  {paused.canaries.map((c) => (
                    <tr key={c.rolloutId} className={`${rowClass} align-top`}>
                      <td className={cellClass}>
                        <Link className={buttonClass.link} href={`/t/${c.tenant}/deployments/${c.endpoint}`}>
                          {c.tenant}/{c.endpoint}
                        </Link>
                      </td>
                      <td className={cellClass}>
                        {c.model} v{c.version}
                      </td>
                      <td className={numericCellClass}>{c.percent} %</td>
                      <td className={cellClass}>{c.reason}</td>
                      <td className={cellClass}>
                        <Time at={c.since} />
                      </td>
                    </tr>
                  ))}
                </DataTable>
              </>
            )}
          </Card>
        ) : null}
        {yourRequests.length > 0 ? (
          <Card title="News of your requests">
            <ul className="space-y-1 text-sm" data-testid="your-requests-news">
              {yourRequests.map((item) => (
                <li key={item.id}>
                  <Link className={buttonClass.link} href={item.link}>
                    {item.title}
                  </Link>{' '}
                  <span className="text-slate-600 dark:text-slate-400">
                    <Time at={item.occurredAt} />
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </section>
  );
}
