/**
 * Separation of duties in the browser, against the real portal, IdP and PostgreSQL: frank
 * (platform admin) cannot grant himself a role, even by calling the action; grace (admin of
 * fraud) cannot change her own; a weakening policy change by frank is only a proposal that he
 * cannot accept himself and grace accepts; a strengthening change applies at once.
 */
import { expect, test } from '@playwright/test';
import { callServerAction, expectAccessible, portalCount, portalRows, signedIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const membershipsOf = (username: string, tenant: string) =>
  portalCount(
    'SELECT count(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id WHERE u.username = $1 AND t.name = $2',
    [username, tenant],
  );

test.describe.serial('separation of duties', () => {
  test('frank cannot make himself approver of fraud, in the page or by calling the action', async ({ browser }) => {
    const frank = await signedIn(browser, 'frank');
    await frank.goto('/t/fraud/members');
    await frank.getByLabel('Username or email').fill('frank');
    await frank.getByLabel('Role').selectOption('approver');
    await frank.getByRole('button', { name: 'Add member' }).click();
    await expect(
      frank
        .getByText('You cannot change your own membership: another admin of the tenant or a platform admin must do it.')
        .first(),
    ).toBeVisible();

    const response = await callServerAction(frank, '/t/fraud/members', 'addMemberAction', [
      null,
      { tenant: 'fraud', user: 'frank', role: 'admin' },
    ]);
    expect(response.status()).toBeLessThan(500);
    expect(await response.text()).toContain('You cannot change your own membership');
    expect(await membershipsOf('frank', 'fraud')).toBe(0);
    // …and without a membership a platform admin has no approver rights: the approvals page offers nothing.
    await frank.goto('/approvals');
    await expect(frank.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  });

  test('grace, admin of fraud, sees her own row locked and cannot change it by calling the action', async ({
    browser,
  }) => {
    const grace = await signedIn(browser, 'grace');
    await grace.goto('/t/fraud/members');
    await expect(grace.getByTestId('member-grace')).toContainText('Your own role: another admin changes it');
    await expectAccessible(grace);
    const response = await callServerAction(grace, '/t/fraud/members', 'removeMemberAction', [
      null,
      { tenant: 'fraud', user: 'grace' },
    ]);
    expect(response.status()).toBeLessThan(500);
    expect(await response.text()).toMatch(
      /You cannot change your own membership|comes from an identity-provider group/,
    );
    expect(await membershipsOf('grace', 'fraud')).toBe(1);
  });

  test('a weakening change by frank waits for grace; frank cannot accept it; a strengthening change applies at once', async ({
    browser,
  }) => {
    const frank = await signedIn(browser, 'frank');
    await frank.goto('/t/fraud/policy');
    const versionBefore = Number((await frank.locator('input[name="version"]').inputValue()) || 0);
    const thresholds = frank.getByLabel('Quality thresholds (one per line)');
    const original = await thresholds.inputValue();
    await thresholds.fill(original.replace(/holdout_auc >= [0-9.]+/, 'holdout_auc >= 0.5'));
    await frank.getByRole('button', { name: 'Save policy' }).click();
    await expect(
      frank.getByText(/Proposed, not applied: this change weakens threshold lowered \(holdout_auc >= 0\.85 → 0\.5\)/),
    ).toBeVisible();

    await frank.reload();
    const proposal = frank.getByTestId('policy-proposal');
    await expect(proposal).toContainText('frank proposed');
    await expect(proposal).toContainText('threshold lowered (holdout_auc >= 0.85 → 0.5)');
    await expect(proposal.getByRole('button', { name: 'Accept' })).toHaveCount(0);
    await expect(proposal).toContainText(
      'You proposed it: another admin of the tenant or a platform admin must accept it.',
    );
    await expect(frank.getByLabel('Quality thresholds (one per line)')).toHaveValue(original);
    await expectAccessible(frank);

    const [pending] = await portalRows<{ id: string }>(
      `SELECT c.id FROM policy_changes c JOIN tenants t ON t.id = c.tenant_id WHERE t.name = 'fraud' AND c.status = 'pending' AND c.proposer_name = 'frank'`,
      [],
    );
    const id = pending!.id;
    const forged = await callServerAction(frank, '/t/fraud/policy', 'acceptPolicyProposalAction', [
      null,
      { tenant: 'fraud', proposalId: id },
    ]);
    expect(forged.status()).toBeLessThan(500);
    expect(await forged.text()).toContain('You proposed this change, so you cannot accept it');

    const grace = await signedIn(browser, 'grace');
    await grace.goto('/t/fraud/policy');
    await grace.getByTestId('policy-proposal').getByRole('button', { name: 'Accept' }).click();
    await grace.getByRole('button', { name: 'Accept and apply' }).click();
    // The page is rendered again with the accepted version (the proposal and its message go with it).
    await expect(
      grace.getByText(`Version ${versionBefore + 1}, last changed by grace (proposed by frank)`),
    ).toBeVisible();
    await expect(grace.getByTestId('policy-proposal')).toHaveCount(0);
    await expect(grace.getByLabel('Quality thresholds (one per line)')).toHaveValue(/holdout_auc >= 0\.5/);

    // Raising the threshold back only strengthens a gate: it applies at once, without a second admin.
    await grace.getByLabel('Quality thresholds (one per line)').fill(original);
    await grace.getByRole('button', { name: 'Save policy' }).click();
    await expect(grace.getByText(`Version ${versionBefore + 2}, last changed by grace on`)).toBeVisible();
    const audited = (action: string, actor: string) =>
      portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE tenant = 'fraud' AND action = $1 AND actor = $2 AND target_id = $3 AND outcome = 'success'`,
        [action, actor, id],
      );
    expect(await audited('policy.propose', 'frank')).toBe(1);
    expect(await audited('policy.accept', 'grace')).toBe(1);
  });
});
