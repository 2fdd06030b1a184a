/**
 * The rules of a GPU quota change, with no I/O (the quota form runs them in the browser as you
 * type, the server action runs them again on a fresh read): what a GPU count must look like, and
 * which changes need the admin to confirm — a quota below what the tenant's pods already request,
 * and a quota that makes the tenants' quotas together promise more GPUs than the cluster has.
 */
import { z } from 'zod';
import { overcommitment, type Overcommitment } from './gpu';

/** Far above any real cluster; guards against a typo of a few extra digits. */
export const MAX_GPU_QUOTA = 10_000;

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A GPU count as typed into a form: a whole number from 0 to MAX_GPU_QUOTA, with a message that says what is wrong. */
export const gpuCountSchema = z.unknown().transform((value, ctx): number => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (text === '') return fail('Enter the number of GPUs.');
  if (text.length > 24) return fail('Enter the number of GPUs as a whole number, such as 8.');
  if (!DECIMAL.test(text))
    return fail(`Enter the number of GPUs as a whole number, such as 8 ("${text.slice(0, 20)}" is not a number).`);
  const count = Number(text);
  if (count < 0) return fail(`A GPU quota cannot be negative (${text}): enter 0 or more.`);
  if (!Number.isInteger(count)) return fail(`GPUs are whole devices: ${text} is not a whole number.`);
  if (count > MAX_GPU_QUOTA)
    return fail(`A GPU quota of more than ${MAX_GPU_QUOTA.toLocaleString('en')} GPUs is not accepted.`);
  return count === 0 ? 0 : count; // no -0
});

export type QuotaConfirmationKind = 'below-usage' | 'overcommit';

export interface QuotaConfirmation {
  kind: QuotaConfirmationKind;
  message: string;
}

export interface QuotaChangeFacts {
  tenant: string;
  /** The GPU limit now; null when the tenant has none. */
  current: number | null;
  proposed: number;
  /** GPUs the tenant's pods request now. */
  used: number;
  /** Every other namespace's GPU limit, summed. */
  otherQuotasTotal: number;
  /** Allocatable GPUs of the cluster; null when it cannot be read. */
  allocatable: number | null;
}

export interface QuotaChangeReview {
  unchanged: boolean;
  /** What the admin must confirm before the change is made (empty: nothing). */
  confirmations: QuotaConfirmation[];
  /** The cluster after the change; null when its capacity cannot be read. */
  after: Overcommitment | null;
}

const gpus = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;

/**
 * Which confirmations a change needs:
 * - below usage: the pods already request more than the new limit. Kubernetes accepts it and
 *   running pods keep their GPUs, but no new GPU pod of the tenant starts until enough finish;
 * - over-commitment: the change raises the limit and the quotas together then exceed the
 *   cluster's allocatable GPUs (or the capacity cannot be read to check). Lowering a quota of an
 *   already over-committed cluster needs no confirmation: it makes things better.
 */
export function reviewQuotaChange(facts: QuotaChangeFacts): QuotaChangeReview {
  const { tenant, current, proposed, used, otherQuotasTotal, allocatable } = facts;
  const confirmations: QuotaConfirmation[] = [];
  const unchanged = current === proposed;
  const after = allocatable === null ? null : overcommitment(otherQuotasTotal + proposed, allocatable);
  if (unchanged) return { unchanged, confirmations, after };

  if (proposed < used) {
    confirmations.push({
      kind: 'below-usage',
      message: `${tenant}'s pods already request ${gpus(used)}, more than the ${gpus(proposed)} you ask for. Kubernetes accepts this and running pods keep their GPUs, but no new GPU pod can start in ${tenant} until its pods request fewer than ${gpus(proposed)}.`,
    });
  }
  const raises = current === null || proposed > current;
  if (raises && after === null) {
    confirmations.push({
      kind: 'overcommit',
      message: `The cluster's GPU capacity cannot be read right now, so the portal cannot check whether this quota over-commits the cluster.`,
    });
  } else if (raises && after?.overcommitted) {
    confirmations.push({
      kind: 'overcommit',
      message: `This over-commits the cluster: the tenants' quotas would promise ${gpus(after.quotaTotal)} with only ${after.allocatable} allocatable (${after.excess} more than the cluster has), so they could not all use their quotas at once.`,
    });
  }
  return { unchanged, confirmations, after };
}

/** The confirmations in `review` that `given` does not cover. */
export function missingConfirmations(
  review: QuotaChangeReview,
  given: Partial<Record<QuotaConfirmationKind, boolean>>,
): QuotaConfirmation[] {
  return review.confirmations.filter((c) => !given[c.kind]);
}
