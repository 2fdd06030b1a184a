import { describe, expect, it } from 'vitest';
import { isNonPublicAddress, maskedWebhookUrl, webhookUrlProblem } from './webhook-url';

describe('isNonPublicAddress', () => {
  it('knows loopback, private, link-local, CGNAT, multicast and unspecified addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      // The same addresses as URL parsing spells them, and the transition prefixes that embed IPv4.
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '::7f00:1',
      '64:ff9b::a9fe:a9fe',
      '2002:a9fe:a9fe::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '192.0.2.1',
      '255.255.255.255',
    ])
      expect(isNonPublicAddress(address), address).toBe(true);
  });

  it('lets public addresses and names through (names are checked when resolved)', () => {
    for (const address of [
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2a00:1450:4001::1',
      '::ffff:8.8.8.8',
      'hooks.slack.com',
    ])
      expect(isNonPublicAddress(address), address).toBe(false);
  });
});

describe('webhookUrlProblem', () => {
  it('takes public http(s) URLs', () => {
    expect(webhookUrlProblem('https://hooks.slack.com/services/T/B/x', false)).toBeNull();
    expect(webhookUrlProblem('http://receiver.example.com/hook', false)).toBeNull();
  });

  it('refuses other schemes, credentials in the URL and what is not a URL', () => {
    expect(webhookUrlProblem('ftp://example.com/x', false)).toMatch(/https:\/\/ or http:\/\//);
    expect(webhookUrlProblem('https://user:pw@example.com/x', false)).toMatch(/no user name or password/);
    expect(webhookUrlProblem('example.com/x', false)).toMatch(/full URL/);
  });

  it('refuses internal addresses unless private networks are allowed', () => {
    for (const url of [
      'http://127.0.0.1:9000/x',
      'http://localhost/x',
      'http://169.254.169.254/latest',
      'http://[::1]/x',
      // new URL() rewrites a dotted IPv4-mapped address to hex: the check must hold after that.
      'http://[::ffff:169.254.169.254]/latest',
      'http://[::ffff:127.0.0.1]:3000/x',
      'http://[0:0:0:0:0:ffff:7f00:1]/x',
    ])
      expect(webhookUrlProblem(url, false), url).toMatch(/public addresses only/);
    expect(webhookUrlProblem('http://127.0.0.1:9000/x', true)).toBeNull();
  });
});

describe('maskedWebhookUrl', () => {
  it('shows the origin and the last four characters, never the path that is the credential', () => {
    expect(maskedWebhookUrl('https://hooks.slack.com/services/T0001/B0002/abcdefghijkl')).toBe(
      'https://hooks.slack.com/…ijkl',
    );
    expect(maskedWebhookUrl('https://receiver.example.com/hook?token=s3cr3t')).toBe(
      'https://receiver.example.com/…cr3t',
    );
    expect(maskedWebhookUrl('https://receiver.example.com/')).toBe('https://receiver.example.com');
    expect(maskedWebhookUrl('not a url')).toBe('(not a URL)');
  });
});
