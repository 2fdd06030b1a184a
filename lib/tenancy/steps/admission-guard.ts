import { syncAdmissionParams } from '../../admission/service';
import type { ProvisioningStep } from '../provisioning';

/**
 * The admission guard's parameters in the tenant's namespace (ConfigMap `mlp-admission`: the
 * promotion policy's primary metric and its threshold), which the cluster's ValidatingAdmission-
 * Policy (deploy/admission/) judges every model change against. Written as the portal's own
 * identity whoever provisions (the guard lets nobody else change them); kept when archiving, so the
 * guard stays in force on the namespace's endpoints.
 */
export function admissionGuardStep(): ProvisioningStep {
  return {
    key: 'admission-guard',
    title: 'Admission guard parameters',

    async provision(tenant) {
      return (await syncAdmissionParams(tenant.name)).message;
    },

    async archive() {
      return 'Admission guard parameters kept: the guard stays in force on the namespace';
    },
  };
}
