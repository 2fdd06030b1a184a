/**
 * A webhook receiver on 127.0.0.1 for the notification tests and the bench (never imported by the
 * product): it records every request with its raw body and headers, checks the signature against
 * the secrets it is told, and answers as the test says — a status code, or `hold` to keep the
 * request open without answering (until the sender gives up or dies).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../lib/notifications/formats';

export interface ReceivedRequest {
  /** Date.now() when the body had arrived. */
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  eventId: string;
  kind: string;
  /** Whether X-MLP-Signature matched the body with the secret registered for the path. */
  signatureValid: boolean;
  /** The status answered; null while held (or never answered). */
  answered: number | null;
  /** Set when the sender closed a held request (gave up, or its process died). */
  closedByClient: boolean;
}

export type Answer = number | 'hold';

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: ReceivedRequest[];
  /** The secret each path's signatures are checked with (set after the webhook is created). */
  secrets: Map<string, string>;
  /** How to answer a request; 200 unless set. */
  answer: (request: ReceivedRequest) => Answer;
  /** Requests of one event, in arrival order. */
  forEvent(eventId: string): ReceivedRequest[];
  /** Waits until `predicate` holds for some request (polling), or fails naming what it waited for. */
  waitFor(what: string, predicate: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    requests,
    secrets: new Map(),
    answer: () => 200,
    forEvent: (eventId) => requests.filter((r) => r.eventId === eventId),
    async waitFor(what, predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `the webhook receiver did not get ${what} within ${timeoutMs / 1000} s (got: ${requests.map((r) => `${r.kind} ${r.answered ?? 'held'}`).join(', ') || 'nothing'})`,
          );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const secret = receiver.secrets.get(req.url ?? '/');
      const request: ReceivedRequest = {
        at: Date.now(),
        path: req.url ?? '/',
        headers: req.headers,
        body,
        eventId: header('x-mlp-event-id') ?? '',
        kind: header('x-mlp-event') ?? '',
        signatureValid:
          secret !== undefined &&
          verifySignature({
            secret,
            body,
            timestamp: header('x-mlp-timestamp'),
            signature: header('x-mlp-signature'),
          }),
        answered: null,
        closedByClient: false,
      };
      requests.push(request);
      const answer = receiver.answer(request);
      if (answer === 'hold') {
        res.on('close', () => (request.closedByClient = true));
        return;
      }
      request.answered = answer;
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
