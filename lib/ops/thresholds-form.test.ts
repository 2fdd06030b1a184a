import { describe, expect, it } from 'vitest';
import { OPS_AREAS, OPS_THRESHOLD_AREAS } from './areas';
import { THRESHOLD_FIELDS, thresholdValueText } from './threshold-fields';
import { DEFAULT_OPS_THRESHOLDS, opsThresholdsSchema } from './thresholds';
import { opsThresholdsFormSchema } from './thresholds-form';

/** The form as the browser submits the defaults: every value a string, in people's units. */
function defaultsAsTyped(): Record<string, string> {
  return {
    version: '3',
    ...Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.name, String(f.toForm(DEFAULT_OPS_THRESHOLDS[f.key]))])),
  };
}

describe('ops thresholds form', () => {
  it('has one field per stored threshold and covers every area', () => {
    expect(THRESHOLD_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_OPS_THRESHOLDS).sort());
    expect(new Set(THRESHOLD_FIELDS.map((f) => f.area))).toEqual(new Set(OPS_THRESHOLD_AREAS));
    // Only platform health has no setting: its findings' severities judge it.
    expect(OPS_AREAS.filter((area) => !(OPS_THRESHOLD_AREAS as readonly string[]).includes(area))).toEqual(['health']);
    expect(new Set(THRESHOLD_FIELDS.map((f) => f.name)).size).toBe(THRESHOLD_FIELDS.length);
  });

  it('round-trips the defaults: typed as shown, stored as they were', () => {
    const parsed = opsThresholdsFormSchema.parse(defaultsAsTyped());
    expect(parsed).toEqual({ version: 3, values: DEFAULT_OPS_THRESHOLDS });
    expect(opsThresholdsSchema.parse(parsed.values)).toEqual(DEFAULT_OPS_THRESHOLDS);
  });

  it('stores percentages as fractions and keeps other units as typed', () => {
    const parsed = opsThresholdsFormSchema.parse({
      ...defaultsAsTyped(),
      pipelineSuccessMinPercent: ' 90 ',
      servingErrorRateMaxPercent: '2.5',
      canaryErrorRatioMax: '3',
      registryWaitHoursMax: '48',
      servingP99MsMax: '800',
      trainingRegressionTolerance: '0.05',
      oomKillsPerDayMax: '2',
    });
    expect(parsed.values).toEqual({
      pipelineSuccessMin: 0.9,
      servingErrorRateMax: 0.025,
      canaryErrorRatioMax: 3,
      registryWaitHoursMax: 48,
      servingP99MsMax: 800,
      trainingRegressionTolerance: 0.05,
      oomKillsPerDayMax: 2,
    });
  });

  it('refuses an empty or non-numeric field, naming it', () => {
    const empty = opsThresholdsFormSchema.safeParse({ ...defaultsAsTyped(), servingP99MsMax: '  ' });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]).toMatchObject({
      path: ['servingP99MsMax'],
      message: 'Enter serving p99 latency above (ms)',
    });

    const text = opsThresholdsFormSchema.safeParse({ ...defaultsAsTyped(), pipelineSuccessMinPercent: 'ninety' });
    expect(text.success).toBe(false);
    expect(text.error?.issues[0]).toMatchObject({
      path: ['pipelineSuccessMinPercent'],
      message: 'Pipeline success rate below (%) must be a number',
    });

    const missing = opsThresholdsFormSchema.safeParse({ version: '1' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path[0])).toEqual(THRESHOLD_FIELDS.map((f) => f.name));
  });

  it('leaves ranges to the stored schema, whose messages name the stored key', () => {
    const parsed = opsThresholdsFormSchema.parse({ ...defaultsAsTyped(), pipelineSuccessMinPercent: '120' });
    const checked = opsThresholdsSchema.safeParse(parsed.values);
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]).toMatchObject({
      path: ['pipelineSuccessMin'],
      message: 'The success rate is at most 100 %',
    });
  });

  it('writes a stored value in people’s units', () => {
    const field = (key: string) => THRESHOLD_FIELDS.find((f) => f.key === key)!;
    expect(thresholdValueText(field('pipelineSuccessMin'), 0.95)).toBe('95 %');
    expect(thresholdValueText(field('servingErrorRateMax'), 0.015)).toBe('1.5 %');
    expect(thresholdValueText(field('servingP99MsMax'), 500)).toBe('500 ms');
    expect(thresholdValueText(field('registryWaitHoursMax'), 24)).toBe('24 h');
    expect(thresholdValueText(field('canaryErrorRatioMax'), 2)).toBe('2×');
    expect(thresholdValueText(field('trainingRegressionTolerance'), 0.02)).toBe('0.02');
  });
});
