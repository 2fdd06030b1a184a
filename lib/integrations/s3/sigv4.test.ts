import { describe, expect, it } from 'vitest';
import { amzDate, sha256Hex, signV4 } from './sigv4';

// AWS's own worked example (IAM ListUsers, "Create a signed AWS API request"): the credentials,
// time and request are AWS's documented example values, and so is the signature.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 'iam',
};
const now = new Date('2015-08-30T12:36:00Z');

describe('SigV4', () => {
  it('signs AWS’s documented example request to the documented signature', () => {
    const headers = signV4(
      {
        method: 'GET',
        url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        payloadHash: sha256Hex(''),
      },
      credentials,
      now,
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('sorts and encodes the query and signs every given header, lower-cased', () => {
    const sign = (url: string) =>
      signV4(
        {
          method: 'put',
          url: new URL(url),
          headers: { 'X-Amz-Content-Sha256': sha256Hex('{}') },
          payloadHash: sha256Hex('{}'),
        },
        { ...credentials, service: 's3' },
        now,
      ).authorization;
    // The same parameters in another order sign the same.
    expect(sign('http://127.0.0.1:9000/minio/admin/v3/add-canned-policy?name=mlp-tenant-a&b=1')).toBe(
      sign('http://127.0.0.1:9000/minio/admin/v3/add-canned-policy?b=1&name=mlp-tenant-a'),
    );
    expect(sign('http://127.0.0.1:9000/x?name=a')).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date,');
    expect(sign('http://127.0.0.1:9000/x?name=a')).not.toBe(sign('http://127.0.0.1:9000/x?name=b'));
  });

  it('writes dates the way SigV4 wants them', () => {
    expect(amzDate(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });
});
