/**
 * The seeded pipeline's promotion request in the browser: when the portal started, the last step
 * of fraud's train-fraud-detector Workflow filed it through /api/v1 with a service token
 * (stack/seed/pipeline-promotion.ts). It is listed and shown as filed by that pipeline, with its
 * gates; the admin who set the token up cannot approve it, an approver can.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { FILES_PROMOTION_LABEL, PORTAL_DATABASE_LABEL, type PromotionWorkflow } from '../stack/seed/pipeline-promotion';
import { adminApi } from './cluster';
import { expectAccessible, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

/** The run against this portal's database (playwright.config.ts: portal_e2e). */
async function seededRun(): Promise<PromotionWorkflow> {
  const list = (await adminApi(CustomObjectsApi).listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflows',
    namespace: 'fraud',
    labelSelector: `${FILES_PROMOTION_LABEL}=true,${PORTAL_DATABASE_LABEL}=portal_e2e`,
  })) as { items: PromotionWorkflow[] };
  expect(list.items, 'the seeded pipeline ran once against this portal').toHaveLength(1);
  return list.items[0]!;
}

test('the pipeline’s request is listed and shown as filed by the pipeline, with its gates; its requester cannot approve it', async ({
  page,
  browser,
}) => {
  const run = await seededRun();
  expect(run.status.phase).toBe('Succeeded');
  const step = Object.values(run.status.nodes).find((n) => n.displayName === 'request-promotion')!;
  const href = step.outputs!.parameters!.find((p) => p.name === 'request-href')!.value;
  const model = run.spec.arguments.parameters.find((p) => p.name === 'model')!.value;
  const version = run.spec.arguments.parameters.find((p) => p.name === 'version')!.value;

  await signIn(page, 'grace');
  await page.goto('/t/fraud/promotions');
  const row = page.getByTestId(`promotion-${model}-v${version}`);
  await expect(row).toContainText(`filed by pipeline ${run.metadata.name} with service token train-fraud-detector`);
  await expect(row).toContainText('pending');
  await expectAccessible(page);

  await row.getByRole('link', { name: `${model} v${version}` }).click();
  await expect(page).toHaveURL(new URL(href).pathname);
  await expect(page.getByTestId('filed-by-pipeline')).toHaveText(
    `Filed by pipeline ${run.metadata.name} with service token train-fraud-detector (set up by grace)`,
  );
  const gates = page.getByRole('list', { name: 'Approval gates' }).getByRole('listitem');
  await expect(gates.first()).toBeVisible();
  expect(await gates.count()).toBeGreaterThanOrEqual(5);
  for (const gate of await gates.all()) await expect(gate).toHaveAttribute('data-passed', 'true');
  // grace made the token: the request is hers, and four eyes hold against her.
  await expect(page.getByText('You cannot approve your own request')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expectAccessible(page);

  const bob = await (await browser.newContext()).newPage();
  await signIn(bob, 'bob');
  await bob.goto(new URL(href).pathname);
  await expect(bob.getByRole('button', { name: 'Approve' })).toBeVisible();
});
