/** The thresholds form's parsing, at the server action's boundary; its fields are in ./threshold-fields.ts. */
import { z } from 'zod';
import { THRESHOLD_FIELDS } from './threshold-fields';
import type { OpsThresholds } from './thresholds';

type FormName = (typeof THRESHOLD_FIELDS)[number]['name'];

/** A typed number: required, and a number (ranges are the store's to judge). */
export function typedNumber(label: string) {
  return z
    .string({ message: `${label} is missing` })
    .max(40, `${label} must be a number`)
    .trim()
    .min(1, `Enter ${label.toLowerCase()}`)
    .transform(Number)
    .pipe(z.number({ message: `${label} must be a number` }));
}

const formShape = Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.name, typedNumber(f.label)])) as Record<
  FormName,
  ReturnType<typeof typedNumber>
>;

/** The thresholds form's fields → the version it was opened at and the values to store. */
export const opsThresholdsFormSchema = z
  .object({ version: z.coerce.number().int().min(0), ...formShape })
  .transform((form) => ({
    version: form.version,
    values: Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, f.fromForm(form[f.name])])) as OpsThresholds,
  }));
