import { describe, expect, it } from 'vitest';
import { describeKubeFailure, PORTAL_ACTOR, userActor, type KubeOperation } from './client';
import { checkObjectName, tenantNamespace } from './namespace';

const alice = userActor('alice', ['mlp:fraud:member']);
const listPricing: KubeOperation = {
  verb: 'list',
  kind: 'InferenceService',
  kindPlural: 'InferenceServices',
  namespace: 'pricing',
};
const updateDetector: KubeOperation = {
  verb: 'update',
  kind: 'InferenceService',
  kindPlural: 'InferenceServices',
  namespace: 'fraud',
  name: 'fraud-detector',
};
const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

describe('describeKubeFailure', () => {
  it('says which user the cluster refused what (RBAC)', () => {
    const body = status(
      403,
      'Forbidden',
      'inferenceservices.serving.kserve.io is forbidden: User "alice" cannot list resource "inferenceservices" in API group "serving.kserve.io" in the namespace "pricing"',
    );
    expect(describeKubeFailure(403, body, listPricing, alice)).toEqual({
      kind: 'forbidden',
      message: 'The cluster does not allow alice to list InferenceServices in pricing',
    });
    expect(describeKubeFailure(403, body, updateDetector, PORTAL_ACTOR).message).toBe(
      "The cluster does not allow the portal's own identity to update InferenceService fraud/fraud-detector",
    );
  });

  it('passes on why admission refused a write (a policy, a quota)', () => {
    const body = status(
      403,
      'Forbidden',
      'admission webhook "isvc.policy" denied the request: a model card URL is required',
    );
    expect(describeKubeFailure(403, body, updateDetector, alice)).toEqual({
      kind: 'forbidden',
      message:
        'The cluster refused to update InferenceService fraud/fraud-detector for alice: admission webhook "isvc.policy" denied the request: a model card URL is required',
    });
  });

  it('says when the portal may not act as the user', () => {
    const body = status(
      403,
      'Forbidden',
      'users "alice" is forbidden: User "ml-platform-portal" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(describeKubeFailure(403, body, listPricing, alice).message).toBe(
      'The cluster does not let the portal act as alice',
    );
  });

  it('names what is missing, what conflicts and what is invalid', () => {
    expect(describeKubeFailure(404, status(404, 'NotFound', 'not found'), updateDetector, alice)).toEqual({
      kind: 'not-found',
      message: 'InferenceService fraud/fraud-detector does not exist',
    });
    expect(describeKubeFailure(404, '404 page not found', listPricing, alice).message).toBe(
      'The cluster does not serve InferenceServices (is its API installed?)',
    );
    expect(
      describeKubeFailure(409, status(409, 'Conflict', 'the object has been modified'), updateDetector, alice),
    ).toEqual({
      kind: 'conflict',
      message: 'InferenceService fraud/fraud-detector was changed by someone else meanwhile',
    });
    expect(
      describeKubeFailure(
        409,
        status(409, 'AlreadyExists', 'already exists'),
        { ...updateDetector, verb: 'create' },
        alice,
      ).message,
    ).toBe('InferenceService fraud/fraud-detector already exists');
    expect(
      describeKubeFailure(
        422,
        status(422, 'Invalid', 'spec.predictor.minReplicas: Invalid value: -1'),
        updateDetector,
        alice,
      ),
    ).toEqual({
      kind: 'rejected',
      message:
        'The cluster rejected InferenceService fraud/fraud-detector: spec.predictor.minReplicas: Invalid value: -1',
    });
  });

  it('keeps the status of server failures (so reads are retried) and says what failed', () => {
    expect(
      describeKubeFailure(503, status(503, 'ServiceUnavailable', 'etcd is unavailable'), listPricing, alice),
    ).toEqual({
      kind: 'rejected',
      message: 'Kubernetes could not list InferenceServices in pricing (503: etcd is unavailable)',
    });
    expect(describeKubeFailure(401, '', listPricing, alice).kind).toBe('forbidden');
  });
});

describe('userActor', () => {
  it('acts as the user with their groups, without duplicates', () => {
    expect(userActor('alice', ['mlp:fraud:member', 'mlp:fraud:member'])).toEqual({
      kind: 'user',
      username: 'alice',
      groups: ['mlp:fraud:member'],
    });
  });

  it("never borrows Kubernetes' own identities", () => {
    expect(() => userActor('system:admin', [])).toThrow('does not act as "system:admin"');
    expect(() => userActor(' ', [])).toThrow();
    expect(userActor('mallory', ['system:masters', 'mlp:fraud:member'])).toEqual({
      kind: 'user',
      username: 'mallory',
      groups: ['mlp:fraud:member'],
    });
  });
});

describe('tenant scoping', () => {
  it('maps a tenant to its namespace and refuses anything that is not a tenant name', () => {
    expect(tenantNamespace('fraud')).toBe('fraud');
    for (const bad of ['', 'Fraud', '../pricing', 'fraud/pods', 'a'.repeat(64)])
      expect(() => tenantNamespace(bad), bad).toThrow('is not a tenant name');
  });

  it('refuses object names that would change the URL', () => {
    expect(checkObjectName('InferenceService', 'fraud-detector')).toBe('fraud-detector');
    for (const bad of ['', '..', 'a/b', 'a?b', 'A'])
      expect(() => checkObjectName('InferenceService', bad), bad).toThrow('is not a valid InferenceService name');
  });
});
