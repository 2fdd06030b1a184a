/**
 * The golden path in the browser, against the real local platform: from an experiment to an
 * approved canary to its automatic rollback. alice (fraud data scientist), bob (fraud approver),
 * erin (on-call), carol (pricing — must see none of fraud). The web server starts from the
 * seeded state (DEMO_FRESH=1 resets endpoints, faults and aliases) with the worker judging every
 * 3 s; the tests run in order because each builds on the last.
 */
import { readFileSync } from 'node:fs';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { adminApi } from './cluster';
import { callServerAction, expectAccessible, portalCount, signedIn, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

interface SeededVersion {
  version: string;
  runId: string;
  runName: string;
  experimentId: string;
  storageUri: string;
  metrics: { holdout_auc: number };
}
interface SeededTenant {
  tenant: string;
  model: string;
  versions: SeededVersion[];
  champion: SeededVersion;
  challenger: SeededVersion;
  experiments: { name: string; experimentId: string }[];
}
const seeded = (JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] })
  .tenants;
const fraud = seeded.find((t) => t.tenant === 'fraud')!;
const pricing = seeded.find((t) => t.tenant === 'pricing')!;

const customObjects = adminApi(CustomObjectsApi);

interface Isvc {
  metadata: { annotations?: Record<string, string>; generation: number };
  spec: { predictor: { canaryTrafficPercent?: number; minReplicas?: number; model: { storageUri: string } } };
}

async function inferenceService(namespace: string, name: string): Promise<Isvc> {
  return (await customObjects.getNamespacedCustomObject({
    group: 'serving.kserve.io',
    version: 'v1beta1',
    plural: 'inferenceservices',
    namespace,
    name,
  })) as Isvc;
}

async function championVersion(tenant: SeededTenant): Promise<string> {
  const url = `${process.env.MLFLOW_TRACKING_URI}/api/2.0/mlflow/registered-models/alias?name=${encodeURIComponent(tenant.model)}&alias=champion`;
  const response = await fetch(url, { headers: { 'X-MLFLOW-WORKSPACE': tenant.tenant } });
  expect(response.ok, `MLflow answered ${response.status}`).toBe(true);
  return ((await response.json()) as { model_version: { version: string } }).model_version.version;
}

const MODEL_CARD = 'https://wiki.example.com/fraud/fraud-detector/model-card';
let requestUrl = '';

test.describe.serial('golden path', () => {
  test('alice opens a fraud experiment, compares runs and downloads an artifact', async ({ page }) => {
    await signIn(page, 'alice');
    const experiment = fraud.experiments.find((e) => e.experimentId === fraud.champion.experimentId)!;
    await page.goto('/t/fraud/experiments');
    await page.getByRole('link', { name: experiment.name }).click();
    await expect(page).toHaveURL(new RegExp(`/t/fraud/experiments/${experiment.experimentId}`));

    // Filter and sort live in the URL: a deep link reproduces the same table.
    await page.getByLabel('Filter').fill('metrics.holdout_auc > 0.9');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/filter=metrics\.holdout_auc/);
    const boxes = page.getByRole('checkbox', { name: /^Select run / });
    await expect(boxes.first()).toBeVisible();
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await expect(page.getByRole('status').filter({ hasText: 'runs selected' })).toHaveText(
      '3 of at most 10 runs selected',
    );
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect(page.getByRole('heading', { name: 'Compare 3 runs' })).toBeVisible();
    await expect(page.locator('[data-differs="true"]').first()).toContainText('differs');
    await expectAccessible(page);

    await page.goto(`/t/fraud/runs/${fraud.champion.runId}`);
    await page.getByRole('navigation', { name: 'Artifact folder' }).waitFor();
    await page.getByRole('link', { name: 'model/', exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download MLmodel' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('MLmodel');
    const bytes = readFileSync(await download.path());
    expect(bytes.toString('utf8')).toContain('flavors:');
    expect(
      await portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE action = 'artifact.download' AND actor = 'alice' AND outcome = 'success'`,
        [],
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  test('alice requests the promotion of a version whose gates pass; a version with a failing gate cannot be submitted', async ({
    page,
  }) => {
    await signIn(page, 'alice');

    await page.goto(`/t/fraud/promotions/new?model=${fraud.model}&version=2`);
    const submit = page.getByRole('button', { name: 'Request promotion' });
    await page.getByLabel('Model card URL').fill(MODEL_CARD);
    await page.getByLabel('Notes for the approvers').fill('Version 2 for comparison only.');
    await expect(page.getByTestId('gate-signature')).toHaveAttribute('data-passed', 'false');
    await expect(page.getByTestId('gate-signature')).toContainText('No signature is logged');
    await expect(page.getByTestId('request-blocked')).toContainText('Model signature logged');
    await expect(submit).toBeDisabled();

    await page.goto(`/t/fraud/promotions/new?model=${fraud.model}&version=${fraud.challenger.version}`);
    await expect(
      page.getByRole('heading', { name: `Promote ${fraud.model} v${fraud.challenger.version}` }),
    ).toBeVisible();
    // Evidence is a gate too: until it is given, the request cannot be sent.
    await expect(page.getByTestId('gate-evidence')).toHaveAttribute('data-passed', 'false');
    await expect(page.getByRole('button', { name: 'Request promotion' })).toBeDisabled();
    await page.getByLabel('Model card URL').fill(MODEL_CARD);
    await page
      .getByLabel('Notes for the approvers')
      .fill('Retrained on October transactions: holdout AUC up, F1 stable.');
    await expect(page.getByTestId('gate-threshold:holdout_auc')).toContainText(
      `holdout_auc is ${fraud.challenger.metrics.holdout_auc.toFixed(4)}, at least the required 0.85`,
    );
    await expect(page.getByTestId('gate-regression')).toHaveAttribute('data-passed', 'true');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Request promotion' }).click();
    await expect(page).toHaveURL(/\/t\/fraud\/promotions\/[0-9a-f-]{36}$/);
    requestUrl = new URL(page.url()).pathname;
    await expect(page.getByText('You cannot approve your own request')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  });

  test('alice cannot approve her own request even by calling the action; bob approves and the canary is deployed', async ({
    page,
    browser,
  }) => {
    await signIn(page, 'alice');
    await page.goto(requestUrl);
    const requestId = requestUrl.split('/').at(-1)!;
    const refused = await callServerAction(page, requestUrl, 'decidePromotionAction', [
      null,
      { tenant: 'fraud', requestId, decision: 'approve', comment: '' },
    ]);
    expect(await refused.text()).toContain('You are not allowed to do this.');

    const bob = await signedIn(browser, 'bob');
    // alice's request, and the one the seeded pipeline filed when the portal started (stack/seed/pipeline-promotion.ts).
    await expect(bob.getByTestId('badge-Approvals')).toHaveText('2 waiting');
    await bob.goto('/approvals');
    await bob.getByRole('link', { name: `${fraud.model} v${fraud.challenger.version}` }).click();
    await expectAccessible(bob);
    await bob.getByLabel('Comment').fill('Gates pass; canary it.');
    await bob.getByRole('button', { name: 'Approve' }).click();
    // The request page now tells the deployment's story, step by step.
    await expect(bob.getByRole('list', { name: 'Deployment steps' })).toContainText('Done: Canary rollout started');
    await expect(bob.getByRole('region', { name: 'Status' })).toContainText('deployed');
    await expect(bob.getByRole('region', { name: 'Status' })).toContainText('bob approved');
    // Why the approval counts, and which policy the request was judged against.
    await expect(bob.getByTestId('decision').first()).toHaveAttribute('data-counts', 'true');
    await expect(bob.getByRole('region', { name: 'Status' })).toContainText(
      /Counts: bob has been approver in fraud since .*, before the request was filed/,
    );
    await expect(bob.getByRole('region', { name: 'Status' })).toContainText(
      /Judged against version \d+ of the tenant's promotion policy/,
    );

    const isvc = await inferenceService('fraud', 'fraud-detector');
    expect(isvc.spec.predictor.model.storageUri).toBe(fraud.challenger.storageUri);
    expect(isvc.spec.predictor.canaryTrafficPercent).toBe(10);
    expect(isvc.spec.predictor.minReplicas).toBeGreaterThanOrEqual(1);
    expect(isvc.metadata.annotations).toMatchObject({
      'mlp.example.com/promotion-request': requestId,
      'mlp.example.com/run-id': fraud.challenger.runId,
      'mlp.example.com/approved-by': 'bob',
      'mlp.example.com/model-card-url': MODEL_CARD,
      'mlp.example.com/previous-storage-uri': fraud.champion.storageUri,
    });
    expect(isvc.metadata.annotations?.['mlp.example.com/holdout-metric']).toMatch(/^holdout_auc=0\.\d{4}$/);
    expect(await championVersion(fraud)).toBe(fraud.challenger.version);
  });

  test('a fault in that canary is rolled back by the worker, and the page shows why', async ({ page, request }) => {
    test.setTimeout(180_000);
    await signIn(page, 'alice');
    await page.goto('/t/fraud/deployments/fraud-detector');
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('canary started');

    const fault = await request.post(`${process.env.SIMULATOR_URL}/faults`, {
      data: { namespace: 'fraud', service: 'fraud-detector', target: 'canary', errorRate: 1, latencyMs: 0 },
    });
    expect(fault.ok()).toBe(true);
    try {
      // The dashboard refreshes by itself: no reload. fraud's seeded history has a rollback of its
      // own, by on-call (stack/seed/model-history.ts): this canary's is automatic judgment's.
      const rolledBack = page
        .getByRole('region', { name: 'Timeline' })
        .getByTestId('timeline-entry')
        .filter({ hasText: 'rolled-back' })
        .filter({ hasText: 'by automatic judgment' });
      await expect(rolledBack).toHaveCount(1, { timeout: 150_000 });
      await expect(rolledBack).toContainText(/canary error rate .* rolled back at once/);
    } finally {
      await request.delete(`${process.env.SIMULATOR_URL}/faults?namespace=fraud&service=fraud-detector`);
    }
    const isvc = await inferenceService('fraud', 'fraud-detector');
    expect(isvc.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(isvc.spec.predictor.model.storageUri).toBe(fraud.champion.storageUri);
    expect(await championVersion(fraud)).toBe(fraud.champion.version);
    await expectAccessible(page);
  });

  test('erin double-clicks Rollback on another canary: one rollback in Kubernetes and one in the audit log', async ({
    page,
  }) => {
    await signIn(page, 'erin');
    await page.goto('/t/pricing/deployments/price-elasticity');
    const before = await inferenceService('pricing', 'price-elasticity');
    expect(before.spec.predictor.canaryTrafficPercent, 'the seeded pricing canary is live').toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Rollback' }).click();
    await page.getByRole('button', { name: 'Roll back now' }).dblclick();
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('rolled-back');

    const after = await inferenceService('pricing', 'price-elasticity');
    expect(after.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(after.spec.predictor.model.storageUri).toBe(pricing.champion.storageUri);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(
      await portalCount(`SELECT count(*) AS n FROM audit_events WHERE action = 'deployment.rollback' AND tenant = $1`, [
        'pricing',
      ]),
    ).toBe(1);
  });

  test('carol sees none of fraud: not its experiments, models, promotions or canaries, by URL or by calling actions', async ({
    page,
  }) => {
    await signIn(page, 'carol');
    for (const path of [
      '/t/fraud/experiments',
      `/t/fraud/experiments/${fraud.experiments[0]!.experimentId}`,
      '/t/fraud/models',
      `/t/fraud/models/${fraud.model}`,
      '/t/fraud/promotions',
      requestUrl,
      '/t/fraud/deployments',
      '/t/fraud/deployments/fraud-detector',
      `/t/fraud/runs/${fraud.champion.runId}`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    await page.goto('/t/pricing/promotions');
    const requestId = requestUrl.split('/').at(-1)!;
    const attempts: [string, unknown][] = [
      [
        'requestPromotionAction',
        {
          tenant: 'fraud',
          model: fraud.model,
          version: fraud.challenger.version,
          modelCardUrl: MODEL_CARD,
          notes: 'I should not be able to do this.',
        },
      ],
      ['decidePromotionAction', { tenant: 'fraud', requestId, decision: 'approve', comment: '' }],
      [
        'rollbackDeploymentAction',
        {
          tenant: 'fraud',
          endpoint: 'fraud-detector',
          rolloutId: crypto.randomUUID(),
          idempotencyKey: crypto.randomUUID(),
        },
      ],
    ];
    // Other specs (the adversarial matrix) may have audited carol's attempts before: count from here.
    const deniedSoFar = () =>
      portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE tenant = 'fraud' AND outcome = 'denied' AND actor = 'carol'`,
        [],
      );
    const before = await deniedSoFar();
    for (const [action, input] of attempts) {
      const response = await callServerAction(page, '/t/pricing/promotions', action, [null, input]);
      expect(await response.text(), action).toContain('You are not allowed to do this.');
    }
    expect(await deniedSoFar()).toBe(before + attempts.length);
  });
});
