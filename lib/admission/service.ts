/**
 * The portal's side of the cluster's admission guard (deploy/admission/):
 *
 * - keeps each tenant's parameters (ConfigMap `mlp-admission`: the promotion policy's primary
 *   metric and its threshold) current — on provisioning, before every deployment, and from the
 *   worker whenever the policy changed. Written as the portal's own identity: the guard lets no one
 *   else touch them;
 * - tells whether the guard is in force in a tenant's namespace, for the tenant's page;
 * - notices break-glass changes (made with kubectl by a member of the break-glass group, let
 *   through by the guard) in the InferenceService watch cache and records each once, audited, for
 *   the endpoint's timeline.
 */
import { recordAudit } from '../audit/log';
import { getDb } from '../db/client';
import {
  configMaps,
  namespaces,
  PORTAL_ACTOR,
  validatingAdmissionPolicies,
  validatingAdmissionPolicyBindings,
  watchedInferenceServices,
  type ConfigMap,
} from '../integrations/kubernetes';
import { isUpstreamError } from '../integrations/upstream';
import { mapWithConcurrency } from '../models/concurrency';
import { failureMessage } from '../read-model/panel';
import { getPolicy } from '../promotion/policy-store';
import {
  admissionParams,
  breakGlassUseOf,
  describeGuard,
  GUARD_POLICY,
  PARAMS_CONFIGMAP,
  PARAMS_GUARD_POLICY,
  sameParams,
  type AdmissionParams,
  type BreakGlassUse,
  type GuardStatus,
  type Read,
} from './guard';

const MANAGED_BY = {
  'app.kubernetes.io/managed-by': 'ml-platform-portal',
  'app.kubernetes.io/component': 'admission-guard',
};

/** What syncing a tenant's parameters did, in words for people (the provisioning step shows it). */
export type ParamsSync = { changed: boolean; message: string };

/** Brings the tenant's guard parameters to `params` (default: from its current promotion policy), as the portal. */
export async function syncAdmissionParams(tenant: string, params?: AdmissionParams): Promise<ParamsSync> {
  const wanted = params ?? admissionParams((await getPolicy(tenant)).policy);
  const api = configMaps(tenant, PORTAL_ACTOR);
  const data = { ...wanted } as Record<string, string>;
  const existing = await api.get(PARAMS_CONFIGMAP);
  if (!existing) {
    try {
      await api.create({ name: PARAMS_CONFIGMAP, labels: MANAGED_BY, data });
      return { changed: true, message: `Admission guard parameters (ConfigMap ${PARAMS_CONFIGMAP}) created` };
    } catch (error) {
      // Made by a concurrent run between the read and the create: bring it up to date below.
      if (!isUpstreamError(error, 'conflict')) throw error;
    }
  }
  let changed = false;
  await api.update(PARAMS_CONFIGMAP, (current: ConfigMap) => {
    if (sameParams(current.data, wanted)) return null;
    changed = true;
    return {
      ...current,
      metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...MANAGED_BY } },
      data: { ...current.data, ...data },
    };
  });
  return {
    changed,
    message: changed
      ? `Admission guard parameters (ConfigMap ${PARAMS_CONFIGMAP}) brought up to date`
      : `Admission guard parameters (ConfigMap ${PARAMS_CONFIGMAP}) are current`,
  };
}

/** Last parameters written per tenant by this process, so the worker writes only after a policy change. */
const synced = new Map<string, { key: string; at: number }>();
/** Checked again after this long anyway (someone with cluster-admin may have changed them). */
const RECHECK_MS = 10 * 60_000;

/** The worker's pass: every active tenant's parameters from its current policy; one tenant's failure does not stop the others. */
export async function syncAllAdmissionParams(
  now = Date.now(),
): Promise<{ changed: string[]; failed: { tenant: string; message: string }[] }> {
  const tenants = await getDb().tenant.findMany({
    where: { status: { in: ['active', 'incomplete'] } },
    select: { name: true },
  });
  const changed: string[] = [];
  const failed: { tenant: string; message: string }[] = [];
  for (const { name } of tenants) {
    const params = admissionParams((await getPolicy(name)).policy);
    const key = JSON.stringify(params);
    const last = synced.get(name);
    if (last && last.key === key && now - last.at < RECHECK_MS) continue;
    try {
      const outcome = await syncAdmissionParams(name, params);
      synced.set(name, { key, at: now });
      if (outcome.changed) changed.push(name);
    } catch (error) {
      failed.push({ tenant: name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { changed, failed };
}

async function read<T>(what: string, fetch: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await fetch() };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}

/** Whether the guard is in force in the tenant's namespace, read from the API server as the portal. */
export async function admissionGuardStatus(tenant: string): Promise<GuardStatus> {
  return (await admissionGuardStatuses([tenant]))[0]!;
}

/** Tenants' namespaces read at once (the platform health checks read every tenant's). */
const NAMESPACE_READ_CONCURRENCY = 8;

/**
 * Whether the guard is in force in each tenant's namespace, in the order given: the cluster-wide
 * policies and bindings read once for all, each namespace, its parameters and its promotion
 * policy per tenant.
 */
export async function admissionGuardStatuses(tenants: readonly string[]): Promise<GuardStatus[]> {
  const [policy, binding, paramsPolicy, paramsBinding] = await Promise.all([
    read('the admission policy', async () => {
      const found = await validatingAdmissionPolicies(PORTAL_ACTOR).get(GUARD_POLICY);
      return (
        found && {
          generation: found.metadata.generation,
          warnings: found.status?.typeChecking?.expressionWarnings.map((w) => `${w.fieldRef}: ${w.warning}`) ?? [],
        }
      );
    }),
    read('the admission policy binding', async () => {
      const found = await validatingAdmissionPolicyBindings(PORTAL_ACTOR).get(GUARD_POLICY);
      return (
        found && {
          policyName: found.spec.policyName,
          paramName: found.spec.paramRef?.name,
          parameterNotFoundAction: found.spec.paramRef?.parameterNotFoundAction,
          actions: found.spec.validationActions,
        }
      );
    }),
    read(
      'the parameters policy',
      async () => (await validatingAdmissionPolicies(PORTAL_ACTOR).get(PARAMS_GUARD_POLICY)) !== null,
    ),
    read(
      'the parameters policy binding',
      async () => (await validatingAdmissionPolicyBindings(PORTAL_ACTOR).get(PARAMS_GUARD_POLICY)) !== null,
    ),
  ]);
  return mapWithConcurrency(tenants, NAMESPACE_READ_CONCURRENCY, async (tenant) => {
    const [namespace, params, stored] = await Promise.all([
      read('the namespace', async () => (await namespaces(PORTAL_ACTOR).get(tenant))?.metadata.labels ?? null),
      read(
        'the admission guard parameters',
        async () => (await configMaps(tenant, PORTAL_ACTOR).get(PARAMS_CONFIGMAP))?.data ?? null,
      ),
      getPolicy(tenant),
    ]);
    return describeGuard({
      namespace: tenant,
      policy,
      binding,
      paramsPolicy,
      paramsBinding,
      namespaceLabels: namespace,
      params,
      expected: admissionParams(stored.policy),
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Break-glass

/**
 * Records every break-glass use the InferenceService watch cache shows in a tenant's namespace
 * that is not recorded yet (one per InferenceService uid and `break-glass-at`), each with its audit
 * event in the same transaction. Returns the uses recorded now.
 */
export async function recordBreakGlassChanges(): Promise<BreakGlassUse[]> {
  const snapshot = await watchedInferenceServices().read();
  const uses = snapshot.items.map(breakGlassUseOf).filter((use): use is BreakGlassUse => use !== null);
  if (uses.length === 0) return [];
  const db = getDb();
  const tenants = new Map(
    (
      await db.tenant.findMany({
        where: { name: { in: [...new Set(uses.map((u) => u.namespace))] } },
        select: { id: true, name: true },
      })
    ).map((t) => [t.name, t.id]),
  );
  const known = await db.breakGlassChange.findMany({
    where: { uid: { in: uses.map((u) => u.uid) } },
    select: { uid: true, declaredAt: true },
  });
  const seen = new Set(known.map((k) => `${k.uid} ${k.declaredAt}`));
  const recorded: BreakGlassUse[] = [];
  for (const use of uses) {
    const tenantId = tenants.get(use.namespace);
    if (!tenantId || seen.has(`${use.uid} ${use.at}`)) continue;
    const created = await db.$transaction(async (tx) => {
      const { count } = await tx.breakGlassChange.createMany({
        data: [
          {
            tenantId,
            endpoint: use.endpoint,
            uid: use.uid,
            declaredAt: use.at,
            actor: use.by,
            reason: use.reason,
            generation: use.generation,
            storageUri: use.storageUri,
            canaryTrafficPercent: use.canaryTrafficPercent === null ? null : Math.round(use.canaryTrafficPercent),
            modelVersion: use.modelVersion,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 0) return false;
      await recordAudit(tx, {
        actor: { name: use.by },
        action: 'deployment.break-glass',
        tenant: use.namespace,
        target: { type: 'inference-service', id: `${use.namespace}/${use.endpoint}` },
        after: {
          storageUri: use.storageUri,
          canaryTrafficPercent: use.canaryTrafficPercent,
          generation: use.generation,
          declaredAt: use.at,
        },
        outcome: 'success',
        reason: `Break-glass change outside the portal: ${use.reason}`,
      });
      return true;
    });
    if (created) recorded.push(use);
  }
  return recorded;
}

/** The endpoint's recorded break-glass changes, newest first. */
export async function breakGlassChangesOf(tenant: string, endpoint: string, limit: number) {
  return getDb().breakGlassChange.findMany({
    where: { tenant: { name: tenant }, endpoint },
    orderBy: { observedAt: 'desc' },
    take: limit,
  });
}
