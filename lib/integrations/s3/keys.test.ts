import { describe, expect, it } from 'vitest';
import { attachmentDisposition, baseName, isWithinPrefix, normalizeKey, parseS3Uri, tenantPrefix } from './keys';

describe('object keys', () => {
  it('parses s3:// URIs', () => {
    expect(parseS3Uri('s3://mlflow-artifacts/workspaces/fraud/1/x')).toEqual({
      bucket: 'mlflow-artifacts',
      key: 'workspaces/fraud/1/x',
    });
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Uri('https://bucket/key')).toBeUndefined();
    expect(parseS3Uri('mlflow-artifacts:/x')).toBeUndefined();
  });

  it('builds the tenant prefix with one trailing slash', () => {
    expect(tenantPrefix('workspaces/{tenant}/', 'fraud')).toBe('workspaces/fraud/');
    expect(tenantPrefix('tenants/{tenant}', 'fraud')).toBe('tenants/fraud/');
  });

  it('resolves . and .. like a path, keeping a folder’s slash', () => {
    expect(normalizeKey('workspaces/fraud/../pricing/1/x')).toBe('workspaces/pricing/1/x');
    expect(normalizeKey('workspaces/fraud/./1//x/')).toBe('workspaces/fraud/1/x/');
    expect(normalizeKey('../../etc')).toBe('../../etc');
    expect(normalizeKey('a/..')).toBe('');
  });

  it('tells whether a key is inside a prefix', () => {
    expect(isWithinPrefix('workspaces/fraud/1/x', 'workspaces/fraud/')).toBe(true);
    expect(isWithinPrefix('workspaces/fraud', 'workspaces/fraud/')).toBe(true);
    expect(isWithinPrefix('workspaces/fraudulent/1', 'workspaces/fraud/')).toBe(false);
    expect(isWithinPrefix('/workspaces/fraud/1', 'workspaces/fraud/')).toBe(false);
  });

  it('names files and makes a safe Content-Disposition', () => {
    expect(baseName('a/b/MLmodel')).toBe('MLmodel');
    expect(baseName('a/b/model/')).toBe('model');
    expect(attachmentDisposition('MLmodel')).toBe(`attachment; filename="MLmodel"; filename*=UTF-8''MLmodel`);
    expect(attachmentDisposition('roc "curve".png')).toBe(
      `attachment; filename="roc__curve_.png"; filename*=UTF-8''roc%20%22curve%22.png`,
    );
  });
});
