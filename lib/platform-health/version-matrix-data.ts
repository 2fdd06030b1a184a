/**
 * The combinations of platform component versions known to work, shipped with the portal. An
 * installation replaces them with its own file (PLATFORM_VERSION_MATRIX, see version-matrix.ts).
 * Ranges are inclusive at the precision written: Kubernetes "1.30"–"1.32" takes 1.30.0 to 1.32.x.
 * Each combination names where its facts come from.
 */
import type { VersionMatrix } from './version-matrix';

export const DEFAULT_VERSION_MATRIX: VersionMatrix = {
  combinations: [
    {
      name: 'KServe 0.15 on Kubernetes 1.30–1.32',
      // KServe 0.15 installation guides (kserve.github.io/website/latest/admin/serverless/serverless and
      // …/admin/kubernetes_deployment, at 0.15): "Kubernetes 1.30 is the minimally required version";
      // the recommended version matrix lists Kubernetes 1.30, 1.31 and 1.32.
      source: 'KServe 0.15 installation guide, recommended version matrix',
      components: { kserve: { min: '0.15', max: '0.15' }, kubernetes: { min: '1.30', max: '1.32' } },
    },
    {
      name: 'KServe 0.13 on Kubernetes 1.27–1.29',
      // kserve.github.io/archive/0.13/admin/kubernetes_deployment: recommended version matrix rows
      // Kubernetes 1.27, 1.28 and 1.29.
      source: 'KServe 0.13 installation guide, recommended version matrix',
      components: { kserve: { min: '0.13', max: '0.13' }, kubernetes: { min: '1.27', max: '1.29' } },
    },
    {
      name: 'MLflow 3.17 with mlflow-kubernetes-plugins 2.1',
      // mlflow-kubernetes-plugins 2.1.0 (namespaces as MLflow workspaces, which the portal relies on)
      // requires mlflow>=3.17.0,<3.18.0 and Python >= 3.12 (stack/versions.ts); the stack runs it on
      // Python 3.12 or 3.13 (stack/components/mlflow.ts).
      source: 'mlflow-kubernetes-plugins 2.1.0 requirements',
      components: { mlflow: { min: '3.17', max: '3.17' }, python: { min: '3.12', max: '3.13' } },
    },
    {
      name: 'The portal’s reference stack: Kubernetes 1.37, MLflow 3.17',
      // stack/versions.ts: the versions the portal's own test suite runs against on every change.
      source: 'stack/versions.ts (the portal’s CI)',
      components: {
        kubernetes: { min: '1.37', max: '1.37' },
        mlflow: { min: '3.17', max: '3.17' },
        python: { min: '3.12', max: '3.13' },
      },
    },
  ],
};
