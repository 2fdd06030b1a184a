/**
 * Creating a tenant provisions it on the platform in ordered, idempotent steps (namespace,
 * quota, role bindings, MLflow workspace, storage prefix, admission guard parameters). Each step is a plug-in: the tenant
 * service runs whatever steps are registered, records each one's progress, stops at the first
 * failure (the tenant is then `incomplete`) and can be run again to finish the rest. Archiving
 * runs the same steps' `archive`, in reverse order, keeping data.
 */
import type { KubeActor } from '../integrations/kubernetes';
import type { QuotaRequest } from './quota';
import { admissionGuardStep } from './steps/admission-guard';
import { mlflowWorkspaceStep } from './steps/mlflow-workspace';
import { namespaceStep } from './steps/namespace';
import { quotaStep } from './steps/quota';
import { roleBindingsStep } from './steps/role-bindings';
import { storagePrefixStep } from './steps/storage-prefix';

export interface TenantRef {
  id: string;
  name: string;
  displayName: string;
  description?: string;
}

export interface ProvisioningContext {
  /**
   * Who acts at the Kubernetes API: the signed-in platform admin, impersonated, so the cluster's
   * RBAC is a second line of defence — or the portal's own identity (the demo seeder), which may
   * only read and so can only confirm a tenant that is already in place.
   */
  kube: KubeActor;
  /** The quota asked for at creation; null keeps whatever quota the tenant has. */
  quota: QuotaRequest | null;
}

export interface ProvisioningStep {
  /** Stable key, stored with the step's progress, e.g. "namespace". */
  key: string;
  /** Shown in the progress list, e.g. "Kubernetes namespace". */
  title: string;
  /**
   * Checks, before anything is created, that the step can succeed with this input (e.g. that the
   * name is not taken by a namespace the portal did not make); throws a UserFacingError if not.
   */
  preflight?(tenant: TenantRef, context: ProvisioningContext): Promise<void>;
  /** Makes the tenant exist on the step's system; safe to run again. Returns what it did, for people. */
  provision(tenant: TenantRef, context: ProvisioningContext): Promise<string | void>;
  /** Archives the tenant on the step's system, keeping its data; safe to run again. Returns what it did. */
  archive(tenant: TenantRef, context: ProvisioningContext): Promise<string | void>;
}

export interface StepSettings {
  /** How IdP groups name tenant roles (ROLE_TENANT_GROUP_PATTERN); read from the portal's configuration when absent. */
  tenantGroupPattern?: string;
  /** How long to wait for MLflow to see a new workspace that its store makes from the namespace. */
  workspaceWaitMs?: number;
}

/** The platform steps, in order. The database record itself is made by the tenant service. */
export function provisioningSteps(settings: StepSettings = {}): ProvisioningStep[] {
  return [
    namespaceStep(),
    quotaStep(),
    roleBindingsStep(settings),
    mlflowWorkspaceStep(settings),
    storagePrefixStep(),
    admissionGuardStep(),
  ];
}
