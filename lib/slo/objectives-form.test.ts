import { describe, expect, it } from 'vitest';
import { DEFAULT_SLO_OBJECTIVES, sloObjectivesFor } from './definition';
import { sloObjectivesFormSchema } from './objectives-form';
import { objectivesFormValues } from './objectives-form-values';

const typed = (overrides: Record<string, string> = {}) => ({
  tenant: 'forecast',
  endpoint: 'demand-forecast',
  version: '0',
  availabilityObjectivePercent: '99.9',
  latencyObjectivePercent: '95',
  latencyThresholdMs: '200',
  windowDays: '28',
  ...overrides,
});

describe('SLO objectives form', () => {
  it('shows the stored objectives in percent', () => {
    expect(objectivesFormValues(DEFAULT_SLO_OBJECTIVES)).toEqual({
      availabilityObjectivePercent: 99.9,
      latencyObjectivePercent: 95,
      latencyThresholdMs: 200,
      windowDays: 28,
    });
    expect(
      objectivesFormValues({ ...DEFAULT_SLO_OBJECTIVES, availabilityObjective: 0.9995 }).availabilityObjectivePercent,
    ).toBe(99.95);
  });

  it('stores the typed percentages as exact fractions', () => {
    expect(sloObjectivesFormSchema.parse(typed())).toEqual({
      tenant: 'forecast',
      endpoint: 'demand-forecast',
      version: 0,
      objectives: DEFAULT_SLO_OBJECTIVES,
    });
    expect(
      sloObjectivesFormSchema.parse(
        typed({
          availabilityObjectivePercent: '99.95',
          latencyObjectivePercent: '99',
          latencyThresholdMs: '300',
          windowDays: '7',
          version: '4',
        }),
      ),
    ).toEqual({
      tenant: 'forecast',
      endpoint: 'demand-forecast',
      version: 4,
      objectives: { availabilityObjective: 0.9995, latencyObjective: 0.99, latencyThresholdMs: 300, windowDays: 7 },
    });
  });

  it('refuses a missing or non-numeric objective, and a tenant that cannot be a namespace', () => {
    const empty = sloObjectivesFormSchema.safeParse(typed({ availabilityObjectivePercent: '' }));
    expect(empty.error?.issues[0]).toMatchObject({
      path: ['availabilityObjectivePercent'],
      message: 'Enter the availability objective',
    });
    const text = sloObjectivesFormSchema.safeParse(typed({ windowDays: 'four weeks' }));
    expect(text.error?.issues[0]).toMatchObject({ path: ['windowDays'], message: 'The window must be a number' });
    expect(sloObjectivesFormSchema.safeParse(typed({ tenant: '../Fraud' })).success).toBe(false);
    expect(sloObjectivesFormSchema.safeParse(typed({ endpoint: ' ' })).success).toBe(false);
    expect(sloObjectivesFormSchema.safeParse(typed({ endpoint: 'Demand_Forecast' })).error?.issues[0]?.path).toEqual([
      'endpoint',
    ]);
  });

  it('leaves ranges and buckets to the definition, whose messages name the stored key', () => {
    const full = sloObjectivesFor([100, 200]).safeParse(
      sloObjectivesFormSchema.parse(typed({ availabilityObjectivePercent: '100' })).objectives,
    );
    expect(full.error?.issues[0]?.path).toEqual(['availabilityObjective']);
    const offBucket = sloObjectivesFor([100, 200]).safeParse(
      sloObjectivesFormSchema.parse(typed({ latencyThresholdMs: '250' })).objectives,
    );
    expect(offBucket.error?.issues[0]?.path).toEqual(['latencyThresholdMs']);
  });
});
