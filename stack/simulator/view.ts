/**
 * What the KServe simulator knows and the metrics simulator needs: which revisions of which
 * InferenceService take what share of traffic, and which pods hold GPUs. Kept in memory by the
 * simulator process; both halves run in that one process.
 */
export interface RevisionTraffic {
  namespace: string;
  /** The InferenceService; Knative's configuration_name is `<service>-predictor`. */
  service: string;
  /** e.g. `fraud-scorer-predictor-00002`. */
  revision: string;
  /** Share of the service's requests, 0–100. */
  percent: number;
  role: 'stable' | 'canary';
}

export interface GpuPod {
  namespace: string;
  pod: string;
  node: string;
  gpus: number;
  /** Allocated but idle: utilisation stays near 0. */
  idle: boolean;
}

export interface SimulatorView {
  traffic(): RevisionTraffic[];
  gpuPods(): GpuPod[];
}
