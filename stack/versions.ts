/**
 * Every pinned version of the local platform stack, in one place. Changing a pin here rebuilds
 * (or reinstalls) that component on the next `npm run stack -- up`; nothing else does.
 */
export const VERSIONS = {
  /**
   * k8s.io/kubernetes; its staging modules are pinned to the matching v0.x in stack/go/kubernetes/go.mod.
   * v1.37.2 is the newest release on the module proxy whose go.mod (`go 1.26.0`) and whose
   * staging modules' (v0.37.2) build with the machine's Go 1.26 under GOTOOLCHAIN=local (pinned
   * rather than letting GOTOOLCHAIN=auto fetch a newer Go).
   */
  kubernetes: 'v1.37.2',
  /**
   * Built from go.etcd.io/etcd/server/v3 by stack/go/kubernetes/etcd/go.mod (keep in step).
   * kubeadm v1.37 recommends etcd 3.7.0 and Kubernetes v1.37 links the 3.7.0 client; v3.7.3 is
   * the newest 3.7 patch (`go 1.26`).
   */
  etcd: 'v3.7.3',
  /**
   * sigs.k8s.io/kwok/cmd/kwok: v0.8.0 is the newest release (`go 1.26.0`; Kubernetes 0.36
   * libraries, within the supported client skew of a 1.37 API server).
   */
  kwok: 'v0.8.0',
  /**
   * helm.sh/helm/v4/cmd/helm, for the chart's tests (deploy/helm/, stack/lib/helm.ts): v4.3.2 is
   * the newest release on the module proxy; its go.mod says `go 1.26.0` and links client-go
   * v0.37.2, the same Kubernetes libraries as the API server above, so Go 1.26 builds it under
   * GOTOOLCHAIN=local (v3 is in maintenance; v4 reads v2 charts unchanged).
   */
  helm: 'v4.3.2',
  /**
   * github.com/minio/minio has no semver tags (RELEASE.* tags are not resolvable through the
   * module proxy); this pseudo-version is the last commit before the repository was archived
   * (2026-02-13), the proxy's @latest. Its go.mod says `go 1.24.0`, so Go 1.26 builds it.
   */
  minio: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  /**
   * MLflow 3.17.2: mlflow-kubernetes-plugins 2.1.0 (the newest; namespaces as MLflow workspaces)
   * requires mlflow>=3.17.0,<3.18.0 and Python >= 3.12. Both are also pinned, with every
   * transitive dependency, in stack/mlflow/requirements.txt and constraints.txt.
   */
  mlflow: '3.17.2',
  mlflowKubernetesPlugins: '2.1.0',
  /** From Debian's package (apt-get install prometheus); recorded, not chosen. */
  prometheus: 'debian',
} as const;
