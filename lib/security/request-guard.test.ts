import { describe, expect, it } from 'vitest';
import {
  checkDeclaredLength,
  checkOrigin,
  checkPath,
  checkServerActionBody,
  clientAddress,
  isMutation,
  isServerActionRequest,
  MAX_BODY_BYTES,
  trustedProxyHops,
} from './request-guard';

const multipart = async (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const response = new Response(form);
  return { type: response.headers.get('content-type')!, body: Buffer.from(await response.arrayBuffer()) };
};

describe('checkOrigin', () => {
  const portal = 'https://ml.example.internal';
  it('lets the portal’s own pages and callers without Origin through', () => {
    expect(checkOrigin({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }, undefined)).toBeNull();
    expect(checkOrigin({ origin: 'https://ml.example.internal', host: '10.0.0.5:3000' }, portal)).toBeNull();
    expect(
      checkOrigin(
        { origin: 'https://ml.example.internal', host: 'portal:3000', 'x-forwarded-host': 'ml.example.internal' },
        undefined,
      ),
    ).toBeNull();
    expect(checkOrigin({ host: '127.0.0.1:3000' }, portal)).toBeNull();
  });

  it.each([
    'https://evil.example',
    'http://127.0.0.1:3001',
    'null',
    'file://',
    'http://127.0.0.1:3000.evil.example',
    'not a url',
  ])('refuses Origin %j with 403', (origin) => {
    expect(checkOrigin({ origin, host: '127.0.0.1:3000' }, 'http://127.0.0.1:3000')).toMatchObject({
      status: 403,
      message: expect.stringContaining('another site'),
    });
  });
});

describe('checkPath', () => {
  it('passes addresses whose escapes decode, and refuses a malformed escape with 400 in words', () => {
    expect(checkPath('/t/fraud/models/fraud%20detector')).toBeNull();
    expect(checkPath('/t/fraud/models/%E2%9C%93')).toBeNull();
    for (const path of ['/t/fraud/models/%E0%A4%A', '/t/fraud/runs/%', '/slo/fraud/%ZZ/live', '/api/auth/%C0']) {
      expect(checkPath(path), path).toMatchObject({
        status: 400,
        message: expect.stringContaining('malformed percent-escape'),
      });
    }
  });
});

describe('sizes', () => {
  it('refuses bodies announced larger than the limit, and lengths that are not numbers', () => {
    expect(checkDeclaredLength({ 'content-length': String(MAX_BODY_BYTES) })).toBeNull();
    expect(checkDeclaredLength({})).toBeNull();
    expect(checkDeclaredLength({ 'content-length': String(MAX_BODY_BYTES + 1) })).toMatchObject({ status: 413 });
    expect(checkDeclaredLength({ 'content-length': '5000000' })).toMatchObject({ status: 413 });
    expect(checkDeclaredLength({ 'content-length': '12abc' })).toMatchObject({ status: 400 });
  });
});

describe('server-action bodies', () => {
  it('recognises server-action requests', () => {
    expect(isMutation('POST')).toBe(true);
    expect(isMutation('get')).toBe(false);
    expect(isServerActionRequest('POST', { 'next-action': 'abc' }, '/t/fraud')).toBe(true);
    expect(isServerActionRequest('POST', { 'content-type': 'multipart/form-data; boundary=x' }, '/t/fraud')).toBe(true);
    expect(
      isServerActionRequest('POST', { 'content-type': 'application/x-www-form-urlencoded' }, '/api/auth/signin/oidc'),
    ).toBe(false);
    expect(isServerActionRequest('GET', { 'next-action': 'abc' }, '/')).toBe(false);
  });

  it('passes what the browser sends', async () => {
    expect(
      await checkServerActionBody(
        { 'next-action': 'a', 'content-type': 'text/plain;charset=UTF-8' },
        Buffer.from('[null,{"tenant":"fraud"}]'),
      ),
    ).toBeNull();
    const form = await multipart({ '1_tenant': 'fraud', '1_notes': 'not json at all', '0': '["$K1"]' });
    expect(await checkServerActionBody({ 'next-action': 'a', 'content-type': form.type }, form.body)).toBeNull();
  });

  it.each([
    ['not JSON', 'text/plain', Buffer.from('this is not json')],
    ['an empty body', 'text/plain', Buffer.from('')],
    ['not UTF-8', 'text/plain', Buffer.from([0x22, 0xff, 0xfe, 0x22])],
    ['a broken multipart body', 'multipart/form-data; boundary=xyz', Buffer.from('garbage')],
  ])('refuses %s with 400', async (_what, type, body) => {
    expect(await checkServerActionBody({ 'next-action': 'a', 'content-type': type }, body)).toMatchObject({
      status: 400,
    });
  });

  it('refuses a multipart reply whose rows are not JSON', async () => {
    const form = await multipart({ '0': '{not json' });
    expect(await checkServerActionBody({ 'next-action': 'a', 'content-type': form.type }, form.body)).toMatchObject({
      status: 400,
      message: expect.stringContaining('field 0 is not JSON'),
    });
    const noScript = await multipart({ '$ACTION_1:0': '{"id":' });
    expect(await checkServerActionBody({ 'content-type': noScript.type }, noScript.body)).toMatchObject({
      status: 400,
    });
  });
});

describe('clientAddress', () => {
  it('is the socket’s address unless proxies of one’s own are trusted', () => {
    expect(clientAddress('::ffff:10.1.2.3', '203.0.113.9', 0)).toBe('10.1.2.3');
    expect(clientAddress('::1', undefined, 0)).toBe('::1');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
    // Behind one proxy: the address it appended (the client may have forged the ones before).
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.7', 2)).toBe('203.0.113.9');
    // Not an address, or fewer entries than proxies: the socket's.
    expect(clientAddress('10.0.0.2', 'evil; drop table', 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '203.0.113.9', 3)).toBe('10.0.0.2');
  });

  it('reads TRUSTED_PROXY_HOPS, 0 unless a small whole number', () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: '1' })).toBe(1);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: '-1' })).toBe(0);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: 'x' })).toBe(0);
  });
});
