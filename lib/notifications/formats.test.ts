import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliveryHeaders, formatBody, signature, verifySignature, type OutgoingEvent } from './formats';

const EVENT: OutgoingEvent = {
  id: '6f1c2b1e-8a7d-4c2e-9d3b-2f1e0a9b8c7d',
  kind: 'rollout.rolled_back.automatic',
  tenant: 'fraud',
  occurredAt: new Date('2026-12-10T08:00:00.000Z'),
  subject: { type: 'rollout', id: 'r-1' },
  title: 'fraud: fraud-detector was rolled back automatically from v7 to v6: error rate 9 % > 6 % <now> & again',
  link: '/t/fraud/deployments/fraud-detector',
  data: { rolloutId: 'r-1', errorRate: 0.09 },
};
const PORTAL = 'https://ml.example.com/';

describe('formatBody', () => {
  it('generic: the envelope with snake_case fields, the sentence, an absolute link and the data', () => {
    expect(JSON.parse(formatBody('generic', EVENT, PORTAL))).toEqual({
      id: EVENT.id,
      kind: 'rollout.rolled_back.automatic',
      tenant: 'fraud',
      occurred_at: '2026-12-10T08:00:00.000Z',
      subject: { type: 'rollout', id: 'r-1' },
      text: EVENT.title,
      link: 'https://ml.example.com/t/fraud/deployments/fraud-detector',
      data: { rolloutId: 'r-1', errorRate: 0.09 },
    });
  });

  it('slack: `text` as is, and blocks with the markup characters escaped and a link', () => {
    const body = JSON.parse(formatBody('slack', EVENT, PORTAL));
    expect(body.text).toBe(EVENT.title);
    expect(body.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          '*Automatic rollback*\n' +
          'fraud: fraud-detector was rolled back automatically from v7 to v6: error rate 9 % &gt; 6 % &lt;now&gt; &amp; again\n' +
          '<https://ml.example.com/t/fraud/deployments/fraud-detector|Open in the portal>',
      },
    });
    expect(body.blocks[1].type).toBe('context');
    expect(body.blocks[1].elements[0].text).toContain(`event ${EVENT.id}`);
  });

  it('slack: keeps every text within the 3,000 characters Slack accepts', () => {
    const body = JSON.parse(formatBody('slack', { ...EVENT, title: 'x'.repeat(5000) }, PORTAL));
    expect(body.text).toHaveLength(3000);
    expect(body.blocks[0].text.text.length).toBeLessThanOrEqual(3000);
  });

  it('teams: an Adaptive Card in a message attachment, with the facts and an open-URL action', () => {
    const body = JSON.parse(formatBody('teams', EVENT, PORTAL));
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(attachment.content.body[1]).toEqual({ type: 'TextBlock', text: EVENT.title, wrap: true });
    expect(attachment.content.body[2].facts).toContainEqual({ title: 'Event id', value: EVENT.id });
    expect(attachment.content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in the portal',
        url: 'https://ml.example.com/t/fraud/deployments/fraud-detector',
      },
    ]);
  });
});

describe('signing', () => {
  const secret = 'whsec_test';
  const now = new Date('2026-12-10T08:00:05.000Z');
  const body = formatBody('generic', EVENT, PORTAL);

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and names the event in the headers', () => {
    const headers = deliveryHeaders(EVENT, secret, body, now);
    const expected = createHmac('sha256', secret).update(`1796889605.${body}`).digest('hex');
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-mlp-event-id': EVENT.id,
      'x-mlp-event': 'rollout.rolled_back.automatic',
      'x-mlp-timestamp': '1796889605',
      'x-mlp-signature': `sha256=${expected}`,
    });
  });

  it('verifies what it signed, and refuses another body, another secret, a stale or missing timestamp', () => {
    const headers = deliveryHeaders(EVENT, secret, body, now);
    const check = (overrides: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({
        secret,
        body,
        timestamp: headers['x-mlp-timestamp'],
        signature: headers['x-mlp-signature'],
        now,
        ...overrides,
      });
    expect(check({})).toBe(true);
    expect(check({ body: body.replace('fraud', 'pricing') })).toBe(false);
    expect(check({ secret: 'whsec_other' })).toBe(false);
    expect(check({ now: new Date(now.getTime() + 10 * 60_000) })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
    expect(check({ signature: 'sha256=00' })).toBe(false);
    // A timestamp changed in transit no longer matches the signature.
    expect(check({ timestamp: String(Number(headers['x-mlp-timestamp']) + 1) })).toBe(false);
  });

  it('is the documented sha256=<hex>', () => {
    expect(signature('k', 1, 'b')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
