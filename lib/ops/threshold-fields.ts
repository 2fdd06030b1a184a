import { fractionToPercent, percentToFraction } from '../format';
import type { OpsArea } from './areas';
import type { OpsThresholds } from './thresholds';

/**
 * The thresholds as people read and type them — percentages for fractions, hours, milliseconds,
 * factors and counts — and the conversion to the stored values. Range rules stay in
 * opsThresholdsSchema (the store checks them), so its messages name the stored keys; the form
 * shows them under the field whose `key` they name.
 */

export interface ThresholdField {
  /** The stored setting. */
  key: keyof OpsThresholds;
  /** The form field, in people's units. */
  name: string;
  area: OpsArea;
  /** The input's label. */
  label: string;
  /** The unit after a value in the read-only list ("%", "h", "ms", "×", or nothing). */
  unit: string;
  /** The comparison that turns the row red, in words: "success rate below". */
  alertWhen: string;
  step: string;
  /** People's units from the stored value, and back. */
  toForm: (stored: number) => number;
  fromForm: (typed: number) => number;
}

const same = (value: number) => value;

export const THRESHOLD_FIELDS = [
  {
    key: 'pipelineSuccessMin',
    name: 'pipelineSuccessMinPercent',
    area: 'pipelines',
    label: 'Pipeline success rate below (%)',
    unit: '%',
    alertWhen: 'success rate of finished runs below',
    step: 'any',
    toForm: fractionToPercent,
    fromForm: percentToFraction,
  },
  {
    key: 'trainingRegressionTolerance',
    name: 'trainingRegressionTolerance',
    area: 'training',
    label: 'Main metric drop against the previous version more than',
    unit: '',
    alertWhen: 'main metric of the newest version below the previous version by more than',
    step: 'any',
    toForm: same,
    fromForm: same,
  },
  {
    key: 'registryWaitHoursMax',
    name: 'registryWaitHoursMax',
    area: 'registry',
    label: 'Promotion request waiting more than (hours)',
    unit: 'h',
    alertWhen: 'a promotion request waiting longer than',
    step: '1',
    toForm: same,
    fromForm: same,
  },
  {
    key: 'servingErrorRateMax',
    name: 'servingErrorRateMaxPercent',
    area: 'serving',
    label: 'Serving error rate above (%)',
    unit: '%',
    alertWhen: 'error rate (5xx) above',
    step: 'any',
    toForm: fractionToPercent,
    fromForm: percentToFraction,
  },
  {
    key: 'servingP99MsMax',
    name: 'servingP99MsMax',
    area: 'serving',
    label: 'Serving p99 latency above (ms)',
    unit: 'ms',
    alertWhen: 'p99 latency above',
    step: '1',
    toForm: same,
    fromForm: same,
  },
  {
    key: 'canaryErrorRatioMax',
    name: 'canaryErrorRatioMax',
    area: 'canary',
    label: 'Canary error rate above the stable one times (factor)',
    unit: '×',
    alertWhen: "canary error rate above the stable revision's times",
    step: 'any',
    toForm: same,
    fromForm: same,
  },
  {
    key: 'oomKillsPerDayMax',
    name: 'oomKillsPerDayMax',
    area: 'infrastructure',
    label: 'OOM-killed pods in 24 hours more than',
    unit: '',
    alertWhen: 'OOM-killed pods in the last 24 hours more than',
    step: '1',
    toForm: same,
    fromForm: same,
  },
] as const satisfies readonly ThresholdField[];

/** "95 %", "24 h", "500 ms", "2×", "0.02". */
export function thresholdValueText(field: Pick<ThresholdField, 'unit' | 'toForm'>, stored: number): string {
  const value = field.toForm(stored);
  if (!field.unit) return String(value);
  return field.unit === '×' ? `${value}×` : `${value} ${field.unit}`;
}
