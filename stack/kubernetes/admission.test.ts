import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BREAK_GLASS_ANNOTATIONS,
  BREAK_GLASS_GROUP,
  GUARD_POLICY,
  PARAMS_CONFIGMAP,
  PARAMS_GUARD_POLICY,
  TENANT_LABEL,
} from '../../lib/admission/guard';
import { PORTAL_MARKER } from '../../lib/integrations/kubernetes/client';
import { ANNOTATIONS, SERVED_EVIDENCE_KEYS } from '../../lib/promotion/evidence';
import { ROLLED_BACK_ANNOTATION } from '../../lib/rollout/service';
import { LABELS } from '../seed/kubernetes';
import { ADMISSION_FILES, withPortalUsers } from './admission';
import { loadManifests } from './apply';

const root = path.resolve(import.meta.dirname, '../..');
type Policy = {
  kind: string;
  metadata: { name: string };
  spec: { variables?: { name: string; expression: string }[]; paramRef?: { name: string } };
};
const load = async () =>
  (
    await Promise.all(ADMISSION_FILES.map((file) => loadManifests(path.join(root, 'deploy', 'admission', file))))
  ).flat() as unknown as Policy[];
const variable = (policy: Policy, name: string) => policy.spec.variables?.find((v) => v.name === name)?.expression;

describe('deploy/admission as the portal knows it', () => {
  it('names the policies, parameters, marker, break-glass group and annotations the portal uses', async () => {
    const objects = await load();
    const guard = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === GUARD_POLICY)!;
    expect(guard).toBeDefined();
    expect(
      objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === GUARD_POLICY)?.spec
        .paramRef?.name,
    ).toBe(PARAMS_CONFIGMAP);
    expect(
      objects
        .filter((o) => o.metadata.name === PARAMS_GUARD_POLICY)
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    expect(variable(guard, 'markerKey')).toBe(`'${PORTAL_MARKER.key}'`);
    expect(variable(guard, 'markerValue')).toBe(`'${PORTAL_MARKER.value}'`);
    expect(variable(guard, 'breakGlassGroup')).toBe(`'${BREAK_GLASS_GROUP}'`);
    const evidenceKeys = JSON.parse(variable(guard, 'evidenceKeys')!.replace(/'/g, '"')) as string[];
    expect(evidenceKeys.sort()).toEqual(
      [
        ...SERVED_EVIDENCE_KEYS,
        ANNOTATIONS.previousStorageUri,
        ANNOTATIONS.previousVersion,
        ANNOTATIONS.previousEvidence,
        ROLLED_BACK_ANNOTATION,
      ].sort(),
    );
    expect(JSON.parse(variable(guard, 'breakGlassKeys')!.replace(/'/g, '"'))).toEqual(
      Object.values(BREAK_GLASS_ANNOTATIONS),
    );
    expect(TENANT_LABEL).toBe(LABELS.tenant);
  });

  it('puts the local platform’s portal identity into both policies', async () => {
    const configured = withPortalUsers((await load()) as never, ['ml-platform-portal']) as unknown as Policy[];
    const policies = configured.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies).toHaveLength(2);
    for (const policy of policies) expect(variable(policy, 'portalUsers')).toBe("['ml-platform-portal']");
  });
});
