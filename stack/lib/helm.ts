/**
 * Helm, built from its Go module (`go install helm.sh/helm/v4/cmd/helm@<VERSIONS.helm>`) into the
 * stack's cache like kwok, once per pin: the chart's tests (test/helm/) lint, render and install
 * deploy/helm/ml-platform-portal with it. `npm run stack -- up` builds it with the other tools.
 */
import path from 'node:path';
import type { StackContext } from './context';
import { goBinaries } from './go-build';
import { VERSIONS } from '../versions';

/** The helm binary's path, building it first when the cache lacks it. */
export async function helmBinary(ctx: StackContext): Promise<string> {
  const dir = await goBinaries(ctx, {
    component: 'helm',
    name: `helm-${VERSIONS.helm}`,
    binaries: ['helm'],
    install: [`helm.sh/helm/v4/cmd/helm@${VERSIONS.helm}`],
    // What Helm's Makefile sets: `helm version` reports the pin.
    ldflags: `-X helm.sh/helm/v4/internal/version.version=${VERSIONS.helm}`,
  });
  return path.join(dir, 'helm');
}
