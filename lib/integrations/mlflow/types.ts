/** What the portal reads from and writes to MLflow, in the portal's own (camelCase) terms. */

export interface MlflowExperiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  lastUpdateTime?: number;
  creationTime?: number;
  tags: Record<string, string>;
}

export interface MlflowRun {
  runId: string;
  runName: string;
  experimentId: string;
  status: string;
  startTime?: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: string;
  userId?: string;
  /** The latest value of each metric. */
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface MetricPoint {
  step: number;
  timestamp: number;
  value: number;
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  runId: string;
  source: string;
  status: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  aliases: string[];
  tags: Record<string, string>;
  description: string;
}

export interface MlflowRegisteredModel {
  name: string;
  description: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  aliases: { alias: string; version: string }[];
  tags: Record<string, string>;
  latestVersions: MlflowModelVersion[];
}

/** One tenant's view of MLflow: every call carries that tenant's workspace, so none can forget it. */
export interface MlflowClient {
  readonly tenant: string;
  searchExperiments(options?: {
    maxResults?: number;
    pageToken?: string;
  }): Promise<{ experiments: MlflowExperiment[]; nextPageToken?: string }>;
  getExperiment(experimentId: string): Promise<MlflowExperiment>;
  searchRuns(options: {
    experimentIds: string[];
    filter?: string;
    orderBy?: string[];
    maxResults: number;
    pageToken?: string;
  }): Promise<{ runs: MlflowRun[]; nextPageToken?: string }>;
  /** Refuses an id that is not 32 lower-case hex characters without asking MLflow. */
  getRun(runId: string): Promise<MlflowRun>;
  /** Every recorded point, ordered by step then time. */
  getMetricHistory(runId: string, metricKey: string): Promise<MetricPoint[]>;
  searchRegisteredModels(options?: {
    maxResults?: number;
    pageToken?: string;
  }): Promise<{ models: MlflowRegisteredModel[]; nextPageToken?: string }>;
  getRegisteredModel(name: string): Promise<MlflowRegisteredModel>;
  /** Every version of the model, newest first, with its aliases (from `model` when given, else fetched). */
  searchModelVersions(modelName: string, model?: Pick<MlflowRegisteredModel, 'aliases'>): Promise<MlflowModelVersion[]>;
  getModelVersion(name: string, version: string): Promise<MlflowModelVersion>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
}
