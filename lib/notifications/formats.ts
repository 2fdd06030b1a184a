/**
 * What a webhook receiver gets: the body in the endpoint's format and the headers that identify
 * and sign it. Pure: no I/O.
 *
 * Headers:
 * - `X-MLP-Event-Id`: the event's id — its idempotency id. The portal delivers at least once until
 *   the receiver answers 2xx: a receiver may get an event again that it did not acknowledge (its
 *   answer was lost, the worker died before recording it), and dedupes by this id;
 * - `X-MLP-Event`: the kind, e.g. `rollout.rolled_back.automatic`;
 * - `X-MLP-Timestamp`: when this attempt was signed, in seconds since the epoch;
 * - `X-MLP-Signature`: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the endpoint's secret>`.
 *
 * A receiver verifies (see verifySignature): recompute the HMAC over the timestamp header, a dot
 * and the raw body bytes exactly as received; compare in constant time; refuse a timestamp more
 * than a few minutes old (a replayed request) — e.g. in Python:
 *   mac = hmac.new(secret.encode(), f"{ts}.".encode() + raw_body, hashlib.sha256).hexdigest()
 *   ok = hmac.compare_digest(f"sha256={mac}", signature) and abs(time.time() - int(ts)) < 300
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KIND_LABELS, type NotificationKind } from './kind-names';

export type WebhookFormatName = 'generic' | 'slack' | 'teams';

/** An event as the formats need it. */
export interface OutgoingEvent {
  id: string;
  kind: NotificationKind;
  tenant: string;
  occurredAt: Date;
  subject: { type: string; id: string };
  /** The sentence for people. */
  title: string;
  /** The portal path, made absolute with the portal's public URL. */
  link: string;
  data: Record<string, unknown>;
}

export function absoluteLink(portalUrl: string, link: string): string {
  return `${portalUrl.replace(/\/+$/, '')}${link.startsWith('/') ? link : `/${link}`}`;
}

/** The generic JSON body: everything the event carries, with snake_case envelope fields. */
export function genericBody(event: OutgoingEvent, portalUrl: string) {
  return {
    id: event.id,
    kind: event.kind,
    tenant: event.tenant,
    occurred_at: event.occurredAt.toISOString(),
    subject: event.subject,
    text: event.title,
    link: absoluteLink(portalUrl, event.link),
    data: event.data,
  };
}

/** Slack's mrkdwn treats these three as markup. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Slack refuses a section text over 3,000 characters. */
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A Slack incoming webhook's body: `text` (notifications, fallback) and Block Kit `blocks`. */
export function slackBody(event: OutgoingEvent, portalUrl: string) {
  const url = absoluteLink(portalUrl, event.link);
  return {
    text: clip(event.title, 3000),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(`*${KIND_LABELS[event.kind]}*\n${slackEscape(event.title)}\n<${url}|Open in the portal>`, 3000),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: slackEscape(
              `${event.tenant} · ${event.kind} · ${event.occurredAt.toISOString()} · event ${event.id}`,
            ),
          },
        ],
      },
    ],
  };
}

/** A Microsoft Teams incoming webhook's body (Workflows, and connectors that take cards): an Adaptive Card in a message's attachments. */
export function teamsBody(event: OutgoingEvent, portalUrl: string) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: KIND_LABELS[event.kind], weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: event.title, wrap: true },
            {
              type: 'FactSet',
              facts: [
                { title: 'Tenant', value: event.tenant },
                { title: 'Event', value: event.kind },
                { title: 'At', value: event.occurredAt.toISOString() },
                { title: 'Event id', value: event.id },
              ],
            },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in the portal', url: absoluteLink(portalUrl, event.link) }],
        },
      },
    ],
  };
}

/** The request body, as sent and signed. */
export function formatBody(format: WebhookFormatName, event: OutgoingEvent, portalUrl: string): string {
  const body =
    format === 'slack'
      ? slackBody(event, portalUrl)
      : format === 'teams'
        ? teamsBody(event, portalUrl)
        : genericBody(event, portalUrl);
  return JSON.stringify(body);
}

/** `sha256=<hex>` of HMAC-SHA256("<timestamp>.<body>") with the endpoint's secret. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one attempt (signed at `now`). */
export function deliveryHeaders(
  event: Pick<OutgoingEvent, 'id' | 'kind'>,
  secret: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'ml-platform-portal-webhooks/1',
    'x-mlp-event-id': event.id,
    'x-mlp-event': event.kind,
    'x-mlp-timestamp': String(timestamp),
    'x-mlp-signature': signature(secret, timestamp, body),
  };
}

/**
 * What a receiver does, for the tests and the README: the signature matches the body and the
 * timestamp is recent (`toleranceSeconds`, against replays).
 */
export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now?: Date;
  toleranceSeconds?: number;
}): boolean {
  const { timestamp, signature: given } = input;
  if (!timestamp || !given || !/^\d+$/.test(timestamp)) return false;
  const age = Math.abs((input.now ?? new Date()).getTime() / 1000 - Number(timestamp));
  if (age > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signature(input.secret, Number(timestamp), input.body));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
