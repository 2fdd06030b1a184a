/**
 * The checks panels' read model against the local platform (`npm run stack -- up`, seeded): what
 * a tenant's, an endpoint's and a model version's page shows is the shared answer's findings about
 * that place (findingsAt over platformHealth, never computed per view), to the tenant's own people
 * and the platform roles only. A throwaway namespace without the tenant label (so the admission
 * guard does not cover it) gives one tenant a finding whatever the seeded platform has; it is
 * removed in afterAll.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAVE, setUpDashboardTest, tearDownDashboardTest, type DashboardTest } from '../../test/dashboards';
import { requireSetting } from '../../test/stack';
import { ForbiddenError } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { platformHealth } from './gather';
import { checksAt, checksAtEach } from './service';
import { findingsAt, type FindingPlace } from './view';

const SCRATCH = `checks-scratch-${Date.now().toString(36)}`;

const person = (username: string, memberships: SessionUser['memberships']): SessionUser => ({
  id: `${username}-id`,
  username,
  name: username,
  email: null,
  platformRoles: [],
  memberships,
});
/** A member of fraud and a viewer of the scratch tenant. */
const ALICE = person('alice', [
  { tenant: 'fraud', role: 'member' },
  { tenant: SCRATCH, role: 'viewer' },
]);
const PRICING_MEMBER = person('bob', [{ tenant: 'pricing', role: 'member' }]);

let test: DashboardTest | undefined;
let admin: KubeConfig;

beforeAll(async () => {
  test = await setUpDashboardTest();
  admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'Kubernetes (admin kubeconfig)'));
  await getDb().tenant.create({ data: { name: SCRATCH, displayName: SCRATCH, status: 'active' } });
  await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: SCRATCH } } });
});

afterAll(async () => {
  await admin
    ?.makeApiClient(CoreV1Api)
    .deleteNamespace({ name: SCRATCH })
    .catch(() => undefined);
  await tearDownDashboardTest(test);
});

/** What the shared answer says about `place`, with the time it was computed. */
async function shared(place: FindingPlace) {
  const { value } = await platformHealth();
  return { at: value.at, findings: findingsAt(value.findings, place) };
}

describe('the checks panels on the local platform', () => {
  it('show a tenant member their tenant’s findings from the shared answer, with the unguarded namespace’s', async () => {
    const place = { kind: 'tenant', tenant: SCRATCH } as const;
    const view = await checksAt(ALICE, place);
    expect(view.findings.map((f) => [f.checkId, f.tenant, f.subject.name])).toContainEqual([
      'admission-guard-missing',
      SCRATCH,
      SCRATCH,
    ]);
    expect(view.findings.every((f) => f.tenant === SCRATCH)).toBe(true);
    expect(view).toMatchObject(await shared(place));
    // Members may not open the platform health page: no link to it.
    expect(view.platformHref).toBeNull();
  });

  it('show fraud’s member fraud’s findings on its tenant and endpoint pages, none of pricing’s', async () => {
    for (const place of [
      { kind: 'tenant', tenant: 'fraud' },
      { kind: 'endpoint', tenant: 'fraud', endpoint: 'fraud-detector' },
    ] as const) {
      const view = await checksAt(ALICE, place);
      expect(view, place.kind).toMatchObject(await shared(place));
      expect(view.findings.every((f) => f.tenant === 'fraud')).toBe(true);
      expect(view.unread.every((u) => u.tenant === null || u.tenant === 'fraud')).toBe(true);
    }
    await expect(checksAt(ALICE, { kind: 'tenant', tenant: 'pricing' })).rejects.toThrow(ForbiddenError);
    await expect(
      checksAt(ALICE, { kind: 'endpoint', tenant: 'pricing', endpoint: 'price-elasticity' }),
    ).rejects.toThrow(ForbiddenError);
  });

  it('show each model version’s findings from one shared answer, and only of one tenant at a time', async () => {
    const places = ['1', '2'].map((version) => ({
      kind: 'model-version' as const,
      tenant: 'fraud',
      model: 'fraud-detector',
      version,
    }));
    const views = await checksAtEach(ALICE, 'fraud', places);
    expect(views.map((v) => v.place)).toEqual(places);
    for (const view of views) expect(view).toMatchObject(await shared(view.place));
    await expect(checksAtEach(ALICE, 'fraud', [...places, { kind: 'tenant', tenant: 'pricing' }])).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('refuse anonymous callers, other tenants’ people and tenants that do not exist', async () => {
    await expect(checksAt(null, { kind: 'tenant', tenant: 'fraud' })).rejects.toThrow(ForbiddenError);
    await expect(checksAt(PRICING_MEMBER, { kind: 'tenant', tenant: 'fraud' })).rejects.toThrow(ForbiddenError);
    await expect(checksAt(DAVE, { kind: 'tenant', tenant: 'no-such-tenant' })).rejects.toThrow(ForbiddenError);
  });

  it('give platform roles the same findings and a link to them on the platform health page', async () => {
    const place = { kind: 'tenant', tenant: SCRATCH } as const;
    const [dave, alice] = [await checksAt(DAVE, place), await checksAt(ALICE, place)];
    expect(dave.findings).toEqual(alice.findings);
    expect(dave.platformHref).toBe(`/platform/health?tenant=${SCRATCH}`);
  });
});
