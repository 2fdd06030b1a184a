import { z } from 'zod';
import { limitRanges, resourceQuotas, type KubeActor, type ResourceQuota } from '../../integrations/kubernetes';
import { isUpstreamError } from '../../integrations/upstream';
import { HARD_BEFORE_ARCHIVE_ANNOTATION, tenantLabels } from '../cluster-plan';
import type { ProvisioningStep } from '../provisioning';
import { CPU_RESOURCE, describeHard, hardFor, isZeroed, MEMORY_RESOURCE, QUOTA_NAME, zeroedHard } from '../quota';

/** The seeder's LimitRange name; its default requests are what a container that asks for nothing gets. */
export const LIMIT_RANGE_NAME = 'defaults';
export const DEFAULT_REQUESTS = { cpu: '100m', memory: '128Mi' };

/**
 * A CPU or memory quota makes the API server refuse every pod that does not request CPU and
 * memory; a LimitRange with default requests lets such pods in (counted against the quota). Made
 * once when missing, never changed afterwards (it is the namespace admins' to tune).
 */
async function ensureDefaultRequests(tenant: string, kube: KubeActor, hard: Record<string, string>): Promise<string> {
  if (hard[CPU_RESOURCE] === undefined && hard[MEMORY_RESOURCE] === undefined) return '';
  const api = limitRanges(tenant, kube);
  if (await api.get(LIMIT_RANGE_NAME)) return '';
  try {
    await api.create({
      name: LIMIT_RANGE_NAME,
      labels: tenantLabels(tenant),
      container: { defaultRequest: DEFAULT_REQUESTS },
    });
  } catch (error) {
    if (isUpstreamError(error, 'conflict')) return '';
    throw error;
  }
  return `; LimitRange ${LIMIT_RANGE_NAME} created (containers that request nothing get ${DEFAULT_REQUESTS.cpu} CPU and ${DEFAULT_REQUESTS.memory}, so the quota does not refuse them)`;
}

/** The limits an archived quota had, from its annotation (null when absent or unreadable). */
function hardBeforeArchive(quota: ResourceQuota): Record<string, string> | null {
  const text = quota.metadata.annotations[HARD_BEFORE_ARCHIVE_ANNOTATION];
  if (!text) return null;
  try {
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function sameHard(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * The tenant's ResourceQuota `gpu-quota`: GPUs (`requests.nvidia.com/gpu`), and CPU and memory
 * when asked for. Once made, the quota belongs to the quota pages; provisioning sets it from the
 * creation form, and archiving zeroes it, remembering the limits in an annotation so they can be
 * given back.
 */
export function quotaStep(): ProvisioningStep {
  return {
    key: 'quota',
    title: 'Resource quota (GPU, CPU, memory)',

    async provision(tenant, { kube, quota }) {
      const api = resourceQuotas(tenant.name, kube);
      const existing = await api.get(QUOTA_NAME);
      const labels = tenantLabels(tenant.name);
      if (!existing) {
        if (!quota)
          throw new Error(
            `There is no ResourceQuota ${QUOTA_NAME} in ${tenant.name} and no quota was asked for at creation`,
          );
        const created = await api.apply(QUOTA_NAME, hardFor(quota), labels);
        return `Created ResourceQuota ${QUOTA_NAME}: ${describeHard(created.spec.hard)}${await ensureDefaultRequests(tenant.name, kube, created.spec.hard)}`;
      }
      const before = hardBeforeArchive(existing);
      if (!quota && !before) {
        return `ResourceQuota ${QUOTA_NAME} is in place (${describeHard(existing.spec.hard)}); kept as it is${await ensureDefaultRequests(tenant.name, kube, existing.spec.hard)}`;
      }
      let changed = false;
      const updated = await api.update(QUOTA_NAME, (current) => {
        const restored = hardBeforeArchive(current);
        // Coming back from archive: the limits it had, then what was asked for now.
        const base = restored ?? current.spec.hard;
        const hard = { ...base, ...(quota ? hardFor(quota) : {}) };
        const wantedLabels = { ...current.metadata.labels, ...labels };
        if (!restored && sameHard(hard, current.spec.hard) && sameHard(wantedLabels, current.metadata.labels))
          return null;
        changed = true;
        const annotations = { ...current.metadata.annotations };
        delete annotations[HARD_BEFORE_ARCHIVE_ANNOTATION];
        return {
          ...current,
          metadata: { ...current.metadata, labels: wantedLabels, annotations },
          spec: { ...current.spec, hard },
        };
      });
      const summary = describeHard(updated.spec.hard);
      const defaults = await ensureDefaultRequests(tenant.name, kube, updated.spec.hard);
      if (!changed) return `ResourceQuota ${QUOTA_NAME} is in place: ${summary}${defaults}`;
      return `${before ? `ResourceQuota ${QUOTA_NAME} given back its limits: ${summary}` : `ResourceQuota ${QUOTA_NAME} set to ${summary}`}${defaults}`;
    },

    async archive(tenant, { kube }) {
      const api = resourceQuotas(tenant.name, kube);
      if (!(await api.get(QUOTA_NAME))) return `There is no ResourceQuota ${QUOTA_NAME}: nothing to zero`;
      let was = '';
      await api.update(QUOTA_NAME, (current) => {
        const remembered = current.metadata.annotations[HARD_BEFORE_ARCHIVE_ANNOTATION];
        was = describeHard(hardBeforeArchive(current) ?? current.spec.hard);
        if (remembered && isZeroed(current.spec.hard)) return null;
        return {
          ...current,
          metadata: {
            ...current.metadata,
            annotations: {
              ...current.metadata.annotations,
              [HARD_BEFORE_ARCHIVE_ANNOTATION]: remembered ?? JSON.stringify(current.spec.hard),
            },
          },
          spec: { ...current.spec, hard: zeroedHard(current.spec.hard) },
        };
      });
      return `ResourceQuota ${QUOTA_NAME} zeroed (it allowed ${was}): nothing new can start; running pods are not stopped`;
    },
  };
}
