export {
  PORTAL_ACTOR,
  PORTAL_MARKER,
  defaultKubeConnection,
  userActor,
  type KubeActor,
  type KubeConnection,
} from './client';
export { configMaps, type ConfigMap, type ConfigMapApi, type NewConfigMap } from './config-maps';
export { eventCount, eventLastSeen, watchedWarningEvents, type KubeEvent } from './events';
export {
  inferenceServices,
  watchedInferenceServices,
  type InferenceService,
  type InferenceServiceApi,
  type InferenceServicePredictor,
  type NewInferenceService,
} from './inference-services';
export { jobFinished, watchedJobs, type Job } from './jobs';
export { limitRanges, type LimitRange, type LimitRangeApi, type NewLimitRange } from './limit-ranges';
export { OBJECT_NAME, tenantNamespace } from './namespace';
export { namespaces, type Namespace, type NamespaceApi, type NewNamespace } from './namespaces';
export { watchedNodes, type Node } from './nodes';
export { apiServerVersion, customResourceDefinition, type CustomResourceDefinition } from './platform-versions';
export { pods, watchedPods, type Pod, type PodApi } from './pods';
export { MAX_UPDATE_ATTEMPTS } from './resource';
export { resourceQuotas, watchedResourceQuotas, type ResourceQuota, type ResourceQuotaApi } from './resource-quotas';
export {
  roleBindings,
  type NewRoleBinding,
  type RoleBinding,
  type RoleBindingApi,
  type RoleBindingSubject,
} from './role-bindings';
export { servingState, type ServingState } from './serving-state';
export {
  validatingAdmissionPolicies,
  type ValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicyApi,
} from './validating-admission-policies';
export {
  validatingAdmissionPolicyBindings,
  type LabelSelector,
  type ValidatingAdmissionPolicyBinding,
  type ValidatingAdmissionPolicyBindingApi,
} from './validating-admission-policy-bindings';
export { watchCacheHealth, type CacheHealth, type CacheSnapshot, type WatchCache } from './watch-cache';
export { watchedWorkflows, workflowTemplate, type Workflow } from './workflows';
