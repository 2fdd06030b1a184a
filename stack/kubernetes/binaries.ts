/**
 * The control plane's binaries, built from official Go modules into the cache (once per pin):
 * kube-apiserver, kube-controller-manager and kube-scheduler in one `go build` (they share most
 * of their packages) from stack/go/kubernetes/go.mod; etcd from stack/go/kubernetes/etcd/go.mod;
 * kwok with `go install sigs.k8s.io/kwok/cmd/kwok@ver`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StackContext } from '../lib/context';
import { goBinaries } from '../lib/go-build';
import { VERSIONS } from '../versions';

export interface KubernetesBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
}

/** `-X` flags that make the servers report their real version (as hack/lib/version.sh does). */
function versionLdflags(version: string): string {
  const match = /^v(\d+)\.(\d+)\./.exec(version);
  if (!match) throw new Error(`VERSIONS.kubernetes must look like vX.Y.Z, not ${version}`);
  const vars = { gitVersion: version, gitMajor: match[1]!, gitMinor: match[2]!, gitTreeState: 'clean' };
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => Object.entries(vars).map(([key, value]) => `-X ${pkg}.${key}=${value}`))
    .join(' ');
}

export function kubernetesModuleDir(ctx: StackContext): string {
  return path.join(ctx.root, 'stack', 'go', 'kubernetes');
}

/** The go.mod files pin the modules; VERSIONS names them. A mismatch is a mistake: say so. */
function checkPin(goMod: string, module: string, version: string): void {
  const text = readFileSync(goMod, 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')}\\s+(\\S+)`, 'm').exec(text);
  if (match?.[1] !== version) {
    throw new Error(
      `${goMod} requires ${module} ${match?.[1] ?? '(nothing)'}, but stack/versions.ts pins ${version}: change both (and \`go mod tidy\` there)`,
    );
  }
}

export async function kubernetesBinaries(ctx: StackContext): Promise<KubernetesBinaries> {
  checkPin(path.join(kubernetesModuleDir(ctx), 'go.mod'), 'k8s.io/kubernetes', VERSIONS.kubernetes);
  checkPin(path.join(kubernetesModuleDir(ctx), 'etcd', 'go.mod'), 'go.etcd.io/etcd/server/v3', VERSIONS.etcd);
  const k8sDir = await goBinaries(ctx, {
    component: 'kubernetes',
    name: `kubernetes-${VERSIONS.kubernetes}`,
    binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'],
    build: {
      moduleDir: kubernetesModuleDir(ctx),
      packages: [
        'k8s.io/kubernetes/cmd/kube-apiserver',
        'k8s.io/kubernetes/cmd/kube-controller-manager',
        'k8s.io/kubernetes/cmd/kube-scheduler',
      ],
    },
    ldflags: versionLdflags(VERSIONS.kubernetes),
  });
  const etcdDir = await goBinaries(ctx, {
    component: 'kubernetes',
    name: `etcd-${VERSIONS.etcd}`,
    binaries: ['etcd'],
    // `go install go.etcd.io/etcd/server/v3@…` is refused (its go.mod has replace directives).
    build: { moduleDir: path.join(kubernetesModuleDir(ctx), 'etcd'), packages: ['./cmd/etcd'] },
  });
  const kwokDir = await goBinaries(ctx, {
    component: 'kubernetes',
    name: `kwok-${VERSIONS.kwok}`,
    binaries: ['kwok'],
    install: [`sigs.k8s.io/kwok/cmd/kwok@${VERSIONS.kwok}`],
    ldflags: `-X sigs.k8s.io/kwok/pkg/consts.Version=${VERSIONS.kwok.replace(/^v/, '')}`,
  });
  return {
    etcd: path.join(etcdDir, 'etcd'),
    kubeApiserver: path.join(k8sDir, 'kube-apiserver'),
    kubeControllerManager: path.join(k8sDir, 'kube-controller-manager'),
    kubeScheduler: path.join(k8sDir, 'kube-scheduler'),
    kwok: path.join(kwokDir, 'kwok'),
  };
}
