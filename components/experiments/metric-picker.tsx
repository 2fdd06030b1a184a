import { buttonClass, inputClass } from '@/components/ui/styles';

/** Chooses the metric whose curves are drawn: a GET form, so the choice is part of the link. */
export function MetricPicker({
  action,
  runIds,
  metricKeys,
  metric,
  hidden = {},
}: {
  action: string;
  runIds: string[];
  metricKeys: string[];
  metric?: string;
  hidden?: Record<string, string>;
}) {
  return (
    <form
      method="get"
      action={action}
      className="flex flex-wrap items-end gap-2"
      aria-label="Choose the metric to plot"
    >
      <input type="hidden" name="runs" value={runIds.join(',')} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div>
        <label htmlFor="compare-metric" className="block text-sm font-medium">
          Metric
        </label>
        <select id="compare-metric" name="metric" defaultValue={metric} className={`${inputClass} font-mono`}>
          {metricKeys.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass.secondary}>
        Show curves
      </button>
    </form>
  );
}
