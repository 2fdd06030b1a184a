import { z } from 'zod';
import { DEFAULT_GPU_QUOTA_NAME, GPU_QUOTA_KEY } from '../quota/gpu';

/**
 * The quota an admin gives a tenant when creating it, as the form sends it and as the quota step
 * writes it into the tenant's ResourceQuota (`gpu-quota`, the seeder's and the quota pages' name).
 * Pure: no I/O.
 */

export const QUOTA_NAME = DEFAULT_GPU_QUOTA_NAME;
export const CPU_RESOURCE = 'requests.cpu';
export const MEMORY_RESOURCE = 'requests.memory';

/** More GPUs than any one tenant could be given; a typo guard, not a policy. */
export const MAX_GPUS = 4096;

export interface QuotaRequest {
  gpus: number;
  /** A Kubernetes CPU quantity ("16", "0.5", "500m"), or null to leave CPU out of the quota. */
  cpu: string | null;
  /** A Kubernetes memory quantity ("64Gi", "512Mi"), or null to leave memory out of the quota. */
  memory: string | null;
}

const text = z.union([z.string().max(64, 'At most 64 characters'), z.number()]).transform((v) => String(v).trim());

/** A whole, non-negative number of GPUs, with a message that says what was wrong. */
export const gpuCountSchema = text.transform((value, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (value === '') return fail('Enter the number of GPUs (0 for none)');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)) return fail('Enter the GPU quota as a whole number, such as 4');
  const gpus = Number(value);
  if (gpus < 0) return fail('A GPU quota cannot be negative: enter 0 or more');
  if (!Number.isInteger(gpus)) return fail(`GPUs are whole devices: enter a whole number, not ${value}`);
  if (gpus > MAX_GPUS) return fail(`At most ${MAX_GPUS} GPUs`);
  return gpus;
});

const CPU_QUANTITY = /^(\d+(\.\d+)?|\.\d+)m?$/;
const MEMORY_QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$/;

function quantitySchema(what: string, pattern: RegExp, example: string) {
  return text.transform((value, ctx): string | null => {
    if (value === '') return null;
    if (value.startsWith('-')) {
      ctx.addIssue({ code: 'custom', message: `A ${what} quota cannot be negative` });
      return z.NEVER;
    }
    if (!pattern.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `Enter ${what} as a Kubernetes quantity, such as ${example} (or leave it empty for no ${what} limit)`,
      });
      return z.NEVER;
    }
    return value;
  });
}

export const cpuQuantitySchema = quantitySchema('CPU', CPU_QUANTITY, '16 or 500m');
export const memoryQuantitySchema = quantitySchema('memory', MEMORY_QUANTITY, '64Gi');

/** The form's fields (strings from a FormData); CPU and memory may be left empty. */
export const quotaFormSchema = z.object({
  gpus: gpuCountSchema,
  cpu: cpuQuantitySchema.optional().transform((v) => v ?? null),
  memory: memoryQuantitySchema.optional().transform((v) => v ?? null),
});

/** As stored on the tenant (`tenants.quota_request`); read back through this schema. */
export const storedQuotaSchema = z.object({
  gpus: z.number().int().min(0),
  cpu: z.string().nullable(),
  memory: z.string().nullable(),
});

export function parseStoredQuota(value: unknown): QuotaRequest | null {
  const parsed = storedQuotaSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The ResourceQuota's `spec.hard` for a request: GPUs always, CPU and memory when given. */
export function hardFor(request: QuotaRequest): Record<string, string> {
  return {
    [GPU_QUOTA_KEY]: String(request.gpus),
    ...(request.cpu ? { [CPU_RESOURCE]: request.cpu } : {}),
    ...(request.memory ? { [MEMORY_RESOURCE]: request.memory } : {}),
  };
}

/** Every limit set to zero (GPUs included even if absent): nothing new can start, nothing running is stopped. */
export function zeroedHard(hard: Record<string, string>): Record<string, string> {
  return Object.fromEntries([...new Set([GPU_QUOTA_KEY, ...Object.keys(hard)])].map((key) => [key, '0']));
}

export function isZeroed(hard: Record<string, string>): boolean {
  const values = Object.values(hard);
  return values.length > 0 && values.every((v) => /^0+(\.0+)?[a-zA-Z]*$/.test(v));
}

/** "4 GPUs, 16 CPU, 64Gi memory" — for step details and messages. */
export function describeHard(hard: Record<string, string>): string {
  const parts: string[] = [];
  const gpus = hard[GPU_QUOTA_KEY];
  if (gpus !== undefined) parts.push(`${gpus} GPU${gpus === '1' ? '' : 's'}`);
  if (hard[CPU_RESOURCE] !== undefined) parts.push(`${hard[CPU_RESOURCE]} CPU`);
  if (hard[MEMORY_RESOURCE] !== undefined) parts.push(`${hard[MEMORY_RESOURCE]} memory`);
  const others = Object.keys(hard).filter((key) => ![GPU_QUOTA_KEY, CPU_RESOURCE, MEMORY_RESOURCE].includes(key));
  for (const key of others.sort()) parts.push(`${key}=${hard[key]}`);
  return parts.join(', ') || 'no limits';
}
