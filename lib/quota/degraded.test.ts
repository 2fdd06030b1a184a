/**
 * The GPU pages when Kubernetes and Prometheus cannot be read: every panel says why, nothing
 * throws, and the wait is bounded. Needs no platform: both point at ports where nothing listens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, kubeconfigAt } from '../../test/stack';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { clusterGpuView, tenantGpuView } from './service';

let kubePort: number;
let promPort: number;

beforeAll(async () => {
  kubePort = await closedPort();
  promPort = await closedPort();
  process.env.KUBERNETES_PORTAL_KUBECONFIG = kubeconfigAt(kubePort);
  process.env.KUBERNETES_TIMEOUT_MS = '1000';
  process.env.PROMETHEUS_URL = `http://127.0.0.1:${promPort}`;
  process.env.PROMETHEUS_TIMEOUT_MS = '1000';
});

afterAll(() => stopSharedWatchCaches());

describe('GPU pages without their upstreams', () => {
  it('the tenant page says Kubernetes and Prometheus cannot be reached, panel by panel', async () => {
    const started = Date.now();
    const view = await tenantGpuView('fraud', { quotaEdit: true, history: true });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(view.kubernetes).toEqual({
      ok: false,
      message: `Kubernetes cannot be reached at 127.0.0.1:${kubePort} (ECONNREFUSED)`,
    });
    expect(view.metrics).toEqual({ ok: false, message: `Prometheus cannot be reached at 127.0.0.1:${promPort}` });
    expect(view.history).toEqual({ ok: false, message: `Prometheus cannot be reached at 127.0.0.1:${promPort}` });
    expect(view.quotaEdit).toBeNull();
  });

  it('the cluster page too', async () => {
    const view = await clusterGpuView([{ name: 'fraud', displayName: 'Fraud' }]);
    expect(view.kubernetes).toMatchObject({
      ok: false,
      message: expect.stringContaining('Kubernetes cannot be reached'),
    });
    expect(view.metrics).toMatchObject({ ok: false, message: expect.stringContaining('Prometheus cannot be reached') });
  });
});
