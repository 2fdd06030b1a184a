import { z } from 'zod';

/**
 * A tenant's name is also its Kubernetes namespace, MLflow workspace and storage prefix, so it
 * must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with an
 * alphanumeric character, at most 63 characters.
 */
export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(63, 'At most 63 characters (a Kubernetes namespace name)')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'Use lower-case letters, digits and "-", starting and ending with a letter or digit (a Kubernetes namespace name)',
  )
  .refine(
    (name) => !RESERVED_TENANT_NAMES.has(name) && !name.startsWith('kube-'),
    'This name is reserved by Kubernetes or the platform',
  );

const RESERVED_TENANT_NAMES = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'admin',
  'platform',
]);
