/**
 * Rollback to any verified version, in the browser against the real local platform: erin (on-call)
 * opens fraud's endpoint, whose seeded history (stack/seed/model-history.ts) has v3 served first,
 * v4's canary rolled back, then v4 promoted; v2 was never deployed and never passed its gates. She
 * chooses v3, must give a reason, confirms, and sees it on the timeline; the API server serves v3
 * with v3's own evidence, and the audit log has it once. A direct call with v2 is refused. She then
 * rolls back to v4 the same way, leaving the endpoint serving what it served before.
 */
import { readFileSync } from 'node:fs';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { expect, test, type Page } from '@playwright/test';
import { adminApi } from './cluster';
import { callServerAction, expectAccessible, portalCount, portalRows, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

interface SeededVersion {
  version: string;
  runId: string;
  storageUri: string;
}
const fraud = (
  JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as {
    tenants: { tenant: string; model: string; versions: SeededVersion[] }[];
  }
).tenants.find((t) => t.tenant === 'fraud')!;
const seededVersion = (v: string) => fraud.versions.find((s) => s.version === v)!;

const ENDPOINT = 'fraud-detector';
const PAGE = `/t/fraud/deployments/${ENDPOINT}`;

interface Isvc {
  metadata: { annotations?: Record<string, string>; generation: number };
  spec: { predictor: { canaryTrafficPercent?: number; model: { storageUri: string } } };
}

async function inferenceService(): Promise<Isvc> {
  return (await adminApi(CustomObjectsApi).getNamespacedCustomObject({
    group: 'serving.kserve.io',
    version: 'v1beta1',
    plural: 'inferenceservices',
    namespace: 'fraud',
    name: ENDPOINT,
  })) as Isvc;
}

/** Chooses `version` in the dialog, gives `reason`, reviews and confirms; returns the reason as recorded. */
async function rollBackTo(page: Page, version: string, reason: string): Promise<string> {
  const card = page.getByRole('region', { name: 'Roll back to a version' });
  await card.getByRole('button', { name: 'Roll back to a version…' }).click();
  const dialog = page.getByRole('dialog', { name: `Roll back ${ENDPOINT} to an earlier version` });
  await dialog.getByRole('radio', { name: new RegExp(`^v${version} — served from`) }).check();
  await dialog.getByLabel('Reason (required)').fill(reason);
  await dialog.getByRole('button', { name: 'Review rollback' }).click();
  const confirm = page.getByRole('dialog', {
    name: new RegExp(`^Roll back ${ENDPOINT} from v\\d+ to v${version}\\?$`),
  });
  await expect(confirm).toContainText(`Reason: ${reason}`);
  await confirm.getByRole('button', { name: `Roll back to v${version}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Rolled back ${ENDPOINT} to v${version}` })).toBeVisible();
  return `Rolled back to v${version}: ${reason}`;
}

test('erin rolls fraud-detector back to an earlier verified version, with a reason, and sees it recorded', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'erin');
  await page.goto(PAGE);
  const card = page.getByRole('region', { name: 'Roll back to a version' });
  await expect(card).toContainText('passed');
  // v2 served nowhere and never passed its gates; v4 serves now: neither is offered.
  await card.getByRole('button', { name: 'Roll back to a version…' }).click();
  const dialog = page.getByRole('dialog', { name: `Roll back ${ENDPOINT} to an earlier version` });
  const v3 = dialog.getByRole('radio', { name: /^v3 — served from/ });
  await expect(v3).toBeVisible();
  await expect(dialog.getByText(/holdout_auc 0\.\d{4}; approved by bob/).first()).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /^v2 / })).toHaveCount(0);
  await expect(dialog.getByRole('radio', { name: /^v4 / })).toHaveCount(0);
  // The reason is required before the rollback can even be reviewed.
  await v3.check();
  await expect(dialog.getByRole('button', { name: 'Review rollback' })).toBeDisabled();
  await dialog.getByLabel('Reason (required)').fill('too short');
  await expect(dialog.getByRole('button', { name: 'Review rollback' })).toBeDisabled();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  const before = await inferenceService();
  const reason = await rollBackTo(
    page,
    '3',
    'INC-3301: v4 scores drift on the new merchant category codes; v3 is safe until retraining',
  );

  const timeline = page.getByRole('region', { name: 'Timeline' });
  const entry = timeline.getByTestId('timeline-entry').filter({ hasText: 'rolled-back' }).filter({ hasText: reason });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('by erin');
  await entry.getByText('Values behind this decision').click();
  await expect(entry).toContainText('With the evidence of request');

  // At the API server: v3 alone, with v3's own evidence (the admission guard took it as erin's, through the portal).
  const after = await inferenceService();
  expect(after.metadata.generation).toBe(before.metadata.generation + 1);
  expect(after.spec.predictor.model.storageUri).toBe(seededVersion('3').storageUri);
  expect(after.spec.predictor.canaryTrafficPercent).toBeUndefined();
  expect(after.metadata.annotations).toMatchObject({
    'mlp.example.com/model-version': '3',
    'mlp.example.com/run-id': seededVersion('3').runId,
    'mlp.example.com/approved-by': 'bob',
    'mlp.example.com/requested-by': 'alice',
  });
  expect(
    await portalCount(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'deployment.rollback' AND tenant = 'fraud' AND actor = 'erin' AND outcome = 'success' AND reason = $1`,
      [reason],
    ),
  ).toBe(1);

  // Called directly with a version that never passed its gates: refused, and nothing changes.
  const [latest] = await portalRows<{ id: string }>(
    `SELECT r.id FROM rollouts r JOIN tenants t ON t.id = r.tenant_id WHERE t.name = 'fraud' AND r.endpoint = $1 ORDER BY r.created_at DESC LIMIT 1`,
    [ENDPOINT],
  );
  const refused = await callServerAction(page, PAGE, 'rollbackToVersionAction', [
    null,
    {
      tenant: 'fraud',
      endpoint: ENDPOINT,
      rolloutId: latest!.id,
      version: '2',
      reason: 'Trying a version that never passed its gates',
      idempotencyKey: crypto.randomUUID(),
    },
  ]);
  expect(await refused.text()).toContain('v2 cannot be rolled back to on fraud-detector: it never');
  expect((await inferenceService()).metadata.generation).toBe(after.metadata.generation);

  // And back to v4, the same way: the endpoint serves what it served before this test.
  await page.reload();
  await rollBackTo(page, '4', 'INC-3301 resolved: the merchant category codes are mapped again');
  const restored = await inferenceService();
  expect(restored.spec.predictor.model.storageUri).toBe(before.spec.predictor.model.storageUri);
  expect(restored.metadata.annotations?.['mlp.example.com/model-version']).toBe('4');
});
