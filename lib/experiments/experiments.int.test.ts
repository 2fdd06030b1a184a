/**
 * The experiments services against the running, seeded local platform (MLflow and MinIO) and a
 * fresh portal database for the audit log.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { loadStackEnv, requireMlflow, requireObjectStorage, seededTenant, type SeededTenant } from '../../test/stack';
import { listAuditEvents } from '../audit/log';
import type { TenantRole } from '../auth/authorize';
import { getDb } from '../db/client';
import { listRunArtifacts, presignArtifactDownload } from './artifacts';
import { nextPage, parseRunsQuery } from './runs-query';
import { getRun, loadComparison, sampleRunKeys, searchRunsPage } from './service';

loadStackEnv();

let database: TestDatabase;
let fraud: SeededTenant;

const userWith = (role: TenantRole) => ({
  id: randomUUID(),
  username: `${role}-${randomUUID().slice(0, 6)}`,
  platformRoles: [],
  memberships: [{ tenant: 'fraud', role }],
});
const activeFraud = { name: 'fraud', status: 'active' as const };

beforeAll(async () => {
  await requireMlflow();
  await requireObjectStorage();
  fraud = seededTenant('fraud');
  database = await useTestDatabase();
});
afterAll(async () => {
  await getDb().$disconnect();
  await database?.drop();
});

describe('runs table', () => {
  it('filters, sorts and pages on MLflow’s side from the URL’s query', async () => {
    const experimentId = fraud.experiments[0]!.experimentId;
    const { query, problems } = parseRunsQuery({
      filter: 'metrics.holdout_auc >= 0.9',
      sort: 'metrics.holdout_auc',
      size: '10',
    });
    expect(problems).toEqual({});
    const first = await searchRunsPage('fraud', experimentId, query);
    expect(first.runs).toHaveLength(10);
    expect(first.nextPageToken).toBeTruthy();
    const second = await searchRunsPage('fraud', experimentId, nextPage(query, first.nextPageToken!));
    const aucs = [...first.runs, ...second.runs].map((r) => r.metrics.holdout_auc!);
    expect(aucs.every((auc) => auc >= 0.9)).toBe(true);
    expect(aucs).toEqual([...aucs].sort((a, b) => b - a));
    expect(second.runs.some((r) => first.runs.some((f) => f.runId === r.runId))).toBe(false);
  });

  it('offers the metric and param keys of the experiment as columns', async () => {
    const keys = await sampleRunKeys('fraud', fraud.experiments[0]!.experimentId);
    expect(keys.metricKeys).toEqual(expect.arrayContaining(['cv_f1_mean', 'holdout_auc', 'train_loss']));
    expect(keys.paramKeys.length).toBeGreaterThan(0);
  });
});

describe('compare', () => {
  it('lines up runs: training curves by default, params with differences flagged', async () => {
    const { experimentId } = fraud.versions[0]!;
    const runIds = fraud.versions
      .filter((v) => v.experimentId === experimentId)
      .map((v) => v.runId)
      .slice(0, 3);
    const comparison = await loadComparison('fraud', runIds);
    expect(comparison.runs.map((r) => r.runId)).toEqual(runIds);
    expect(comparison.metric).toBe('train_loss');
    expect(comparison.series.map((s) => s.runId)).toEqual(runIds);
    for (const series of comparison.series) expect(series.points.length).toBeGreaterThan(1);
    expect(comparison.params.some((row) => row.differs)).toBe(true);
    expect(comparison.metrics.find((row) => row.key === 'holdout_auc')?.values).toHaveLength(3);

    const chosen = await loadComparison('fraud', runIds, 'holdout_auc');
    expect(chosen.metric).toBe('holdout_auc');
  });
});

describe('artifacts', () => {
  it('lists a run’s artifacts folder by folder, with paths relative to its root', async () => {
    const run = await getRun('fraud', fraud.versions[0]!.runId);
    const root = await listRunArtifacts('fraud', run.artifactUri, '');
    expect(root.folders).toContainEqual({ name: 'model', path: 'model' });
    const model = await listRunArtifacts('fraud', run.artifactUri, 'model');
    expect(model.breadcrumbs).toEqual([{ name: 'model', path: 'model' }]);
    expect(model.files.find((f) => f.name === 'MLmodel')).toMatchObject({ path: 'model/MLmodel' });
  });

  it('gives a member a presigned download of a run’s file, audited', async () => {
    const member = userWith('member');
    const runId = fraud.versions[0]!.runId;
    const outcome = await presignArtifactDownload({
      user: member,
      tenant: activeFraud,
      tenantName: 'fraud',
      runId,
      path: 'model/MLmodel',
    });
    if (!outcome.ok) throw new Error(outcome.message);
    const response = await fetch(outcome.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^flavors:/m);
    const { events } = await listAuditEvents({ actor: member.username, limit: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'artifact.download',
      tenant: 'fraud',
      outcome: 'success',
      targetType: 'artifact',
    });
    expect(events[0]!.targetId).toMatch(
      new RegExp(`^s3://mlflow-artifacts/workspaces/fraud/.*/${runId}/artifacts/model/MLmodel$`),
    );
  });

  it('refuses a viewer, audited as denied', async () => {
    const viewer = userWith('viewer');
    const outcome = await presignArtifactDownload({
      user: viewer,
      tenant: activeFraud,
      tenantName: 'fraud',
      runId: fraud.versions[0]!.runId,
      path: 'model/MLmodel',
    });
    expect(outcome).toMatchObject({ ok: false, reason: 'forbidden' });
    const { events } = await listAuditEvents({ actor: viewer.username, limit: 10 });
    expect(events.map((e) => e.outcome)).toEqual(['denied']);
  });

  it('refuses paths that climb out, missing files and malformed runs', async () => {
    const member = userWith('member');
    const runId = fraud.versions[0]!.runId;
    const request = { user: member, tenant: activeFraud, tenantName: 'fraud', runId };
    expect(await presignArtifactDownload({ ...request, path: '../../2/x/artifacts/model/MLmodel' })).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(await presignArtifactDownload({ ...request, path: '' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await presignArtifactDownload({ ...request, runId: 'nope', path: 'model/MLmodel' })).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(await presignArtifactDownload({ ...request, path: 'model/no-such-file' })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(await presignArtifactDownload({ ...request, runId: 'f'.repeat(32), path: 'model/MLmodel' })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(await presignArtifactDownload({ ...request, user: null, path: 'model/MLmodel' })).toMatchObject({
      ok: false,
      reason: 'signin',
    });
  });
});
