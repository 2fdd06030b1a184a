export { PORTAL_ACTOR, defaultKubeConnection, userActor, type KubeActor, type KubeConnection } from './client';
export {
  inferenceServices,
  type InferenceService,
  type InferenceServiceApi,
  type InferenceServicePredictor,
  type NewInferenceService,
} from './inference-services';
export { OBJECT_NAME, tenantNamespace } from './namespace';
export { pods, type Pod, type PodApi } from './pods';
export { MAX_UPDATE_ATTEMPTS } from './resource';
export { servingState, type ServingState } from './serving-state';
