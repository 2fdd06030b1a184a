export { mlflowFor, type MlflowConfig } from './client';
export { isRunId, RUN_ID_PATTERN } from './ids';
export { mlflowServerVersion } from './server-version';
export {
  inspectModelArtifact,
  parseMlModel,
  type MlModelSummary,
  type ModelArtifactCheck,
  type ModelSignature,
  type SchemaColumn,
  type SignatureSchema,
} from './mlmodel';
export type {
  MetricPoint,
  MlflowClient,
  MlflowExperiment,
  MlflowModelVersion,
  MlflowRegisteredModel,
  MlflowRun,
} from './types';
export {
  mlflowWorkspaces,
  type CreateWorkspaceOutcome,
  type MlflowWorkspace,
  type MlflowWorkspaces,
} from './workspaces';
