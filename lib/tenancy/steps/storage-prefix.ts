import { prefixPolicies, tenantPrefixFor, type PolicyOutcome } from '../../integrations/s3';
import type { ProvisioningStep } from '../provisioning';

function policySentence(outcome: PolicyOutcome, access: string): string {
  if (outcome.kind === 'unsupported')
    return `No per-prefix access policy: ${outcome.reason}; people reach the prefix only through the portal's presigned links`;
  const verb = outcome.kind === 'created' ? 'created' : outcome.kind === 'updated' ? 'set' : 'in place';
  return `MinIO policy ${outcome.name} ${verb}, ${access} on this prefix only (attach it to the tenant's storage users or IdP group)`;
}

/**
 * The tenant's object-storage prefix (`S3_TENANT_PREFIX`), made to exist with a `.keep` marker,
 * and — on MinIO — a canned policy limited to it (lib/integrations/s3/prefix-policy.ts).
 * Archiving keeps every object and makes the policy read-only.
 */
export function storagePrefixStep(): ProvisioningStep {
  return {
    key: 'storage-prefix',
    title: 'Object-storage prefix',

    async provision(tenant) {
      const prefix = tenantPrefixFor(tenant.name);
      const made = await prefix.ensure();
      const policy = await prefixPolicies().ensure(tenant.name, prefix.prefix, 'read-write');
      return `${prefix.uri} ${made === 'created' ? 'created (marker .keep)' : 'is in place'}. ${policySentence(policy, 'read and write')}`;
    },

    async archive(tenant) {
      const prefix = tenantPrefixFor(tenant.name);
      const policy = await prefixPolicies().ensure(tenant.name, prefix.prefix, 'read-only');
      return `${prefix.uri} kept with every object. ${policySentence(policy, 'read-only')}`;
    },
  };
}
