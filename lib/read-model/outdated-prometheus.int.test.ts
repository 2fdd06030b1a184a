/**
 * Prometheus going away while the portal runs, with answers already shared across viewers: the
 * dashboards keep its last answer for a while, say it is out of date and from when, and once the
 * answer is too old say the numbers are missing. Prometheus is reached through a relay the test
 * cuts (test/relay.ts); answers are shared for 4 s here, so kept at most 16 s — room for a loaded CI
 * machine to read every page once between the two (at 2 s the GPU answers had aged out before
 * the test reached them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAVE, setUpDashboardTest, tearDownDashboardTest, type DashboardTest } from '../../test/dashboards';
import { relayTo, type Relay } from '../../test/relay';
import { opsView } from '../ops/service';
import { clusterGpuView, tenantGpuView } from '../quota/service';
import { sloDetail, sloList } from '../slo/service';
import type { Panel } from './panel';

let setup: DashboardTest;
let relay: Relay;

beforeAll(async () => {
  setup = await setUpDashboardTest();
  relay = await relayTo(new URL(process.env.PROMETHEUS_URL!));
  process.env.PROMETHEUS_URL = relay.url;
  process.env.PROMETHEUS_SHARE_TTL_SECONDS = '4';
});

afterAll(async () => {
  await relay?.cut();
  await tearDownDashboardTest(setup);
});

const CLUSTER_TENANTS = [{ name: 'fraud', displayName: 'Fraud' }];
const outdatedMessage = (panel: Panel<unknown>) =>
  panel.ok ? (panel.freshness.error ?? '') : `missing: ${panel.message}`;
const serving = (view: Awaited<ReturnType<typeof opsView>>) =>
  view.rows.find((r) => r.tenant === 'fraud' && r.area === 'serving')!;

describe('with Prometheus gone after its answers were shared', () => {
  it('the dashboards and GPU pages first show the last answer as out of date, with its time, then say the numbers are missing', async () => {
    // Answered and shared: nothing out of date.
    const before = await opsView(DAVE, null);
    expect(before.outdated).toEqual([]);
    expect(serving(before)).toMatchObject({ outdated: null });
    expect(serving(before).state).not.toBe('unknown');
    const list = await sloList(DAVE, null);
    expect(list.problems).toMatchObject({ prometheus: null, outdated: [] });
    expect((await sloDetail(DAVE, 'fraud', 'fraud-detector', '1d')).outdated).toBeNull();
    const gpuBefore = await tenantGpuView('fraud', { history: true });
    expect([
      outdatedMessage(gpuBefore.metrics),
      outdatedMessage(gpuBefore.history!),
      outdatedMessage((await clusterGpuView(CLUSTER_TENANTS)).metrics),
    ]).toEqual(['', '', '']);

    await relay.cut();

    // Past the TTL a refresh fails: the last answer is shown, marked with its time and why.
    await expect
      .poll(async () => (await opsView(DAVE, null)).outdated.map((o) => o.source), { timeout: 15_000, interval: 200 })
      .toEqual(['prometheus']);
    const outdated = await opsView(DAVE, null);
    expect(outdated.outdated[0]!.error).toMatch(/serving metrics may be out of date: Prometheus cannot be reached/);
    expect(Date.parse(outdated.outdated[0]!.asOf)).toBeLessThan(Date.parse(outdated.at));
    expect(serving(outdated)).toMatchObject({
      problem: null,
      outdated: { asOf: expect.any(String), error: expect.stringContaining('Prometheus cannot be reached') },
    });
    expect(Date.parse(serving(outdated).outdated!.asOf)).toBeLessThan(Date.parse(outdated.at));
    expect(serving(outdated).state).toBe(serving(before).state);
    // Rows that do not need Prometheus are not marked.
    expect(outdated.rows.find((r) => r.tenant === 'fraud' && r.area === 'pipelines')).toMatchObject({
      outdated: null,
      problem: null,
    });

    // The GPU pages mark their Prometheus panels the same way; their Kubernetes panels stay current.
    // The means and the history are shared apart, each from its own first read: wait for both.
    await expect
      .poll(
        async () => {
          const view = await tenantGpuView('fraud', { history: true });
          return [outdatedMessage(view.metrics), outdatedMessage(view.history!)];
        },
        { timeout: 8_000, interval: 200 },
      )
      .toEqual([
        expect.stringMatching(/^The GPU metrics may be out of date: Prometheus cannot be reached/),
        expect.stringMatching(/^The GPU utilisation history may be out of date: Prometheus cannot be reached/),
      ]);
    const gpu = await tenantGpuView('fraud', { history: true });
    expect(outdatedMessage(gpu.kubernetes)).toBe('');
    expect(Date.parse((gpu.metrics as { freshness: { asOf: string } }).freshness.asOf)).toBeLessThan(
      Date.parse(gpu.at),
    );
    await expect
      .poll(async () => outdatedMessage((await clusterGpuView(CLUSTER_TENANTS)).metrics), {
        timeout: 5_000,
        interval: 200,
      })
      .toMatch(/^The GPU metrics may be out of date/);

    // SLO counts are shared four times as long (16 s here), and the sorted list for 5 s more.
    await expect
      .poll(
        async () => (await sloList(DAVE, null)).problems.outdated.find((o) => o.source === 'prometheus')?.error ?? '',
        { timeout: 40_000, interval: 250 },
      )
      .toMatch(/SLO metrics may be out of date/);
    const detail = await sloDetail(DAVE, 'fraud', 'fraud-detector', '1d');
    expect(detail.outdated?.error).toMatch(/may be out of date: Prometheus cannot be reached/);
    expect(detail.availability.sli).not.toBeNull();

    // Older than four TTLs the answer is dropped: the rows that need Prometheus say it is missing.
    await expect
      .poll(async () => serving(await opsView(DAVE, null)).state, { timeout: 15_000, interval: 250 })
      .toBe('unknown');
    const gone = await opsView(DAVE, null);
    expect(gone.sources.prometheus).toContain('Prometheus cannot be reached');
    expect(gone.outdated).toEqual([]);
    const gpuGone = await tenantGpuView('fraud');
    expect(gpuGone.metrics).toMatchObject({
      ok: false,
      message: expect.stringContaining('Prometheus cannot be reached'),
    });
    expect(gpuGone.kubernetes.ok).toBe(true);
  }, 90_000);
});
