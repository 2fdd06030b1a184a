import { describe, expect, it } from 'vitest';
import { canonicalPolicy, prefixPolicy, tenantPolicyName } from './prefix-policy';

describe('a tenant’s prefix policy', () => {
  it('allows objects under the prefix only, and listing only of the prefix', () => {
    const policy = prefixPolicy('mlflow-artifacts', 'workspaces/vision/', 'read-write');
    expect(tenantPolicyName('vision')).toBe('mlp-tenant-vision');
    expect(policy.Statement[0]).toMatchObject({
      Action: expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']),
      Resource: ['arn:aws:s3:::mlflow-artifacts/workspaces/vision/*'],
    });
    expect(policy.Statement[1]).toMatchObject({
      Action: ['s3:ListBucket'],
      Resource: ['arn:aws:s3:::mlflow-artifacts'],
      Condition: { StringLike: { 's3:prefix': ['workspaces/vision/', 'workspaces/vision/*'] } },
    });
    expect(JSON.stringify(policy)).not.toContain('arn:aws:s3:::mlflow-artifacts/*');
  });

  it('is read-only once archived', () => {
    const policy = prefixPolicy('b', 'workspaces/old/', 'read-only');
    expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual([
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
    ]);
  });

  it('compares policies as MinIO gives them back: reordered, without ids, single values as strings', () => {
    const wanted = prefixPolicy('b', 'workspaces/t/', 'read-write');
    const fromMinio = {
      Version: '2012-10-17',
      Statement: [...wanted.Statement].reverse().map(({ Sid: _sid, ...s }) => ({
        ...s,
        Action: s.Action.length === 1 ? s.Action[0] : [...s.Action].reverse(),
        Resource: s.Resource.length === 1 ? s.Resource[0] : s.Resource,
      })),
    };
    expect(canonicalPolicy(fromMinio)).toBe(canonicalPolicy(wanted));
    expect(canonicalPolicy(prefixPolicy('b', 'workspaces/t/', 'read-only'))).not.toBe(canonicalPolicy(wanted));
    expect(canonicalPolicy(prefixPolicy('b', 'workspaces/u/', 'read-write'))).not.toBe(canonicalPolicy(wanted));
  });
});
