export { storageFor, type S3Config, type StoredObject, type TenantStorage } from './storage';
export { baseName, parseS3Uri } from './keys';
export { PREFIX_MARKER, tenantPrefixFor, type TenantPrefix } from './prefixes';
export {
  canonicalPolicy,
  prefixPolicies,
  prefixPolicy,
  tenantPolicyName,
  type PolicyAccess,
  type PolicyOutcome,
  type PrefixPolicies,
} from './prefix-policy';
