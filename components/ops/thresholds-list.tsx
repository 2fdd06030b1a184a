import { Fragment } from 'react';
import { THRESHOLD_FIELDS, thresholdValueText } from '@/lib/ops/threshold-fields';
import type { OpsView } from '@/lib/ops/view';
import { OPS_AREA_LABELS } from '@/lib/ops/areas';
import { Time } from '@/components/ui/time';

/** What turns a row red, for everyone who reads the dashboard. */
export function ThresholdsList({ thresholds }: { thresholds: OpsView['thresholds'] }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-700 dark:bg-slate-900">
      <p className="text-slate-700 dark:text-slate-300">
        A row says <strong>Alert</strong> when its signal is beyond its threshold:
      </p>
      <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[9rem_1fr]" data-testid="ops-thresholds-list">
        {THRESHOLD_FIELDS.map((field) => (
          <Fragment key={field.key}>
            <dt className="font-medium">{OPS_AREA_LABELS[field.area]}</dt>
            <dd data-threshold={field.key}>
              {field.alertWhen} <strong>{thresholdValueText(field, thresholds.values[field.key])}</strong>
            </dd>
          </Fragment>
        ))}
        <dt className="font-medium">{OPS_AREA_LABELS.health}</dt>
        <dd data-threshold="health">
          any critical finding of the platform health checks (<strong>Warning</strong> on warnings only), as the checks
          judge it
        </dd>
      </dl>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400" data-testid="ops-thresholds-version">
        {thresholds.updatedAt ? (
          <>
            Version {thresholds.version}, last changed by {thresholds.updatedBy ?? 'someone'} at{' '}
            <Time at={thresholds.updatedAt} />.
          </>
        ) : (
          'The platform defaults: nobody has changed them yet.'
        )}
      </p>
    </div>
  );
}
