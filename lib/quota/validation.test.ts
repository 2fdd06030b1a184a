import { describe, expect, it } from 'vitest';
import { gpuCountSchema, missingConfirmations, reviewQuotaChange } from './validation';

const message = (value: unknown) => {
  const result = gpuCountSchema.safeParse(value);
  return result.success ? result.data : result.error.issues[0]!.message;
};

describe('a GPU count', () => {
  it('is a whole number from 0', () => {
    expect(message('8')).toBe(8);
    expect(message(' 12 ')).toBe(12);
    expect(message('0')).toBe(0);
    expect(message('-0')).toBe(0);
    expect(message('4.0')).toBe(4);
    expect(message(3)).toBe(3);
  });

  it('says clearly what is wrong otherwise', () => {
    expect(message('')).toBe('Enter the number of GPUs.');
    expect(message(undefined)).toBe('Enter the number of GPUs.');
    expect(message('-2')).toBe('A GPU quota cannot be negative (-2): enter 0 or more.');
    expect(message('2.5')).toBe('GPUs are whole devices: 2.5 is not a whole number.');
    expect(message('eight')).toBe('Enter the number of GPUs as a whole number, such as 8 ("eight" is not a number).');
    expect(message('1e3')).toMatch(/is not a number/);
    expect(message('10001')).toBe('A GPU quota of more than 10,000 GPUs is not accepted.');
  });
});

describe('reviewing a quota change', () => {
  const facts = { tenant: 'fraud', current: 8, used: 6, otherQuotasTotal: 6, allocatable: 32 };

  it('needs no confirmation within usage and capacity', () => {
    expect(reviewQuotaChange({ ...facts, proposed: 7 })).toMatchObject({
      unchanged: false,
      confirmations: [],
      after: { quotaTotal: 13, overcommitted: false },
    });
    expect(reviewQuotaChange({ ...facts, proposed: 8 })).toMatchObject({ unchanged: true, confirmations: [] });
  });

  it('asks to confirm a quota below what the pods already request', () => {
    const review = reviewQuotaChange({ ...facts, proposed: 4 });
    expect(review.confirmations).toEqual([
      {
        kind: 'below-usage',
        message:
          "fraud's pods already request 6 GPUs, more than the 4 GPUs you ask for. Kubernetes accepts this and running pods keep their GPUs, but no new GPU pod can start in fraud until its pods request fewer than 4 GPUs.",
      },
    ]);
    expect(missingConfirmations(review, { 'below-usage': true })).toEqual([]);
    expect(missingConfirmations(review, { overcommit: true })).toHaveLength(1);
  });

  it('asks to confirm a raise that over-commits the cluster, but not a cut of an over-committed one', () => {
    const review = reviewQuotaChange({ ...facts, proposed: 30 });
    expect(review.confirmations).toEqual([
      {
        kind: 'overcommit',
        message:
          "This over-commits the cluster: the tenants' quotas would promise 36 GPUs with only 32 allocatable (4 more than the cluster has), so they could not all use their quotas at once.",
      },
    ]);
    expect(review.after).toMatchObject({ quotaTotal: 36, overcommitted: true, excess: 4 });
    expect(reviewQuotaChange({ ...facts, current: 40, proposed: 30 }).confirmations).toEqual([]);
    expect(reviewQuotaChange({ ...facts, current: null, proposed: 30 }).confirmations.map((c) => c.kind)).toEqual([
      'overcommit',
    ]);
  });

  it('asks to confirm a raise when the capacity cannot be read', () => {
    const review = reviewQuotaChange({ ...facts, allocatable: null, proposed: 9 });
    expect(review.after).toBeNull();
    expect(review.confirmations[0]).toMatchObject({
      kind: 'overcommit',
      message: expect.stringContaining('cannot be read'),
    });
    expect(reviewQuotaChange({ ...facts, allocatable: null, proposed: 7 }).confirmations).toEqual([]);
  });
});
