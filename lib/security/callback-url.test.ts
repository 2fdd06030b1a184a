import { describe, expect, it } from 'vitest';
import { safeCallbackPath, sameOriginRedirect } from './callback-url';

describe('safeCallbackPath', () => {
  it.each([
    ['/', '/'],
    ['/t/fraud/models', '/t/fraud/models'],
    [
      '/t/fraud/experiments/3?sort=metrics.auc+DESC&page=2#runs',
      '/t/fraud/experiments/3?sort=metrics.auc+DESC&page=2#runs',
    ],
    ['/t/fraud/models/My%20Model', '/t/fraud/models/My%20Model'],
    ['/t/fraud/models/My Model', '/t/fraud/models/My%20Model'],
    ['/admin/audit?actor=alice', '/admin/audit?actor=alice'],
    ['/a/../b', '/b'],
  ])('keeps the same-origin path %j', (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });

  it.each([
    // missing or not a string
    [undefined],
    [null],
    [''],
    [['/t/fraud']],
    // absolute and scheme-relative URLs
    ['https://evil.com'],
    ['http://127.0.0.1:3000/t/fraud'],
    ['https:evil.com'],
    ['https:/evil.com'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['//evil.com'],
    ['///evil.com'],
    ['evil.com'],
    ['t/fraud'],
    // backslashes, which browsers read as slashes
    ['/\\evil.com'],
    ['\\\\evil.com'],
    ['/\\/evil.com'],
    ['/t/\\evil'],
    // tabs, newlines and other control characters, which browsers drop
    ['/\t/evil.com'],
    ['/\n/evil.com'],
    ['/\r\n/evil.com'],
    ['\t//evil.com'],
    [' //evil.com'],
    ['/\u0000/evil.com'],
    ['/t/fraud\u007f'],
    // encoded forms of all of the above, once and twice
    ['%2F%2Fevil.com'],
    ['/%2Fevil.com'],
    ['/%2F%2Fevil.com'],
    ['/%5Cevil.com'],
    ['/%5cevil.com'],
    ['%5C%5Cevil.com'],
    ['/%09/evil.com'],
    ['/%0A/evil.com'],
    ['/%0d%0a/evil.com'],
    ['/%00'],
    ['/%252F%252Fevil.com'],
    ['/%255Cevil.com'],
    ['https%3A%2F%2Fevil.com'],
    ['/%2F%5C%2Fevil.com'],
    // not decodable, or decoding without end
    ['/%E0%A4%A'],
    ['/%25252525252F%25252525252Fevil.com'],
    // absurdly long
    [`/${'a'.repeat(5000)}`],
  ])('refuses %j', (value) => {
    expect(safeCallbackPath(value)).toBe('/');
  });
});

describe('sameOriginRedirect (next-auth redirect callback)', () => {
  const base = 'https://ml.example.internal';

  it('keeps paths and URLs of the portal itself', () => {
    expect(sameOriginRedirect('/t/fraud', base)).toBe('https://ml.example.internal/t/fraud');
    expect(sameOriginRedirect('https://ml.example.internal/approvals?x=1', base)).toBe(
      'https://ml.example.internal/approvals?x=1',
    );
    expect(sameOriginRedirect('/signin?signedOut=1', `${base}/`)).toBe(
      'https://ml.example.internal/signin?signedOut=1',
    );
  });

  it.each([
    'https://evil.com/t/fraud',
    'https://ml.example.internal.evil.com/',
    'http://ml.example.internal/',
    'https://ml.example.internal:8443/',
    'https://evil.com@ml.example.internal.evil.com/',
    '//evil.com',
    '/\\evil.com',
    '/%5Cevil.com',
    '/\t/evil.com',
    'https:evil.com',
    'https://ml.example.internal//evil.com',
    'https://ml.example.internal/%2F%2Fevil.com',
    'javascript:alert(1)',
    'not a url',
  ])('sends %j to the portal start page instead', (url) => {
    expect(sameOriginRedirect(url, base)).toBe('https://ml.example.internal/');
  });
});
