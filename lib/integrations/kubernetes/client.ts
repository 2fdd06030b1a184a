/**
 * The one way the portal speaks to the Kubernetes API server. Every kind's file (InferenceServices,
 * pods, …) builds on `namespacedResource` in resource.ts, which calls `kubeRequest` here.
 *
 * `@kubernetes/client-node` loads the kubeconfig (file or in-cluster) and applies its credentials
 * (client certificates, tokens, exec and auth plugins, proxies); the request itself is made with
 * node:http(s) because acting as a user needs one `Impersonate-Group` header per group, which the
 * client library's generated APIs cannot send (they join repeated headers into one value, and the
 * API server would read "a,b" as a single group).
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { integrationConfig } from '../config';
import { NO_RETRY, READ_RETRY, UpstreamError, withRetry, type UpstreamErrorKind } from '../upstream';
import { formatDuration } from '../../format';

/** Who a call is made as: a signed-in user (the cluster applies their RBAC) or the portal itself. */
export type KubeActor = { kind: 'user'; username: string; groups: string[] } | { kind: 'portal' };

export const PORTAL_ACTOR: KubeActor = { kind: 'portal' };

/**
 * The marker every request the portal makes as a user carries: an impersonated extra
 * (`Impersonate-Extra-mlp.example.com%2fvia: portal`) that only the portal's identity may set
 * (RBAC: impersonate on `userextras/mlp.example.com/via`). The admission guard
 * (deploy/admission/) accepts model changes from users only with it, so the same user with their
 * own kubeconfig cannot make them. The API server allows extras only with an impersonated user:
 * the portal's own requests carry none and are recognised by identity. KUBERNETES_PORTAL_MARKER=false
 * leaves it out (a cluster without the guard, whose RBAC does not grant it).
 */
export const PORTAL_MARKER = { key: 'mlp.example.com/via', value: 'portal' } as const;

const MARKER_HEADER = `impersonate-extra-${encodeURIComponent(PORTAL_MARKER.key).toLowerCase()}`;

/**
 * The actor for a signed-in user. Kubernetes' own `system:` identities are refused: the portal may
 * impersonate anyone, so an IdP name or group that looked like one would borrow its powers.
 */
export function userActor(username: string, groups: string[]): KubeActor {
  if (username.trim() === '' || username.startsWith('system:')) {
    throw new Error(`The portal does not act as "${username}" in Kubernetes`);
  }
  return { kind: 'user', username, groups: [...new Set(groups.filter((group) => !group.startsWith('system:')))] };
}

function actorName(actor: KubeActor): string {
  return actor.kind === 'user' ? actor.username : "the portal's own identity";
}

/** Where the API server is, with which credentials, and how long a call may take. */
export interface KubeConnection {
  readonly kubeConfig: KubeConfig;
  readonly timeoutMs: number;
  /** Whether requests made as a user carry PORTAL_MARKER (default: they do). */
  readonly marker?: boolean;
}

let portalConnection: KubeConnection | undefined;

/** The portal's own connection: KUBERNETES_PORTAL_KUBECONFIG, or the in-cluster service account. */
export function defaultKubeConnection(): KubeConnection {
  if (portalConnection) return portalConnection;
  const config = integrationConfig('kubernetes');
  const kubeConfig = new KubeConfig();
  if (config.KUBERNETES_PORTAL_KUBECONFIG) {
    try {
      kubeConfig.loadFromFile(config.KUBERNETES_PORTAL_KUBECONFIG);
    } catch (error) {
      throw new Error(
        `The kubeconfig in KUBERNETES_PORTAL_KUBECONFIG (${config.KUBERNETES_PORTAL_KUBECONFIG}) cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    kubeConfig.loadFromCluster();
  } else {
    throw new Error(
      'The kubernetes connection is not configured: set KUBERNETES_PORTAL_KUBECONFIG, or run the portal in a cluster. See the configuration table in README.md.',
    );
  }
  portalConnection = {
    kubeConfig,
    timeoutMs: config.KUBERNETES_TIMEOUT_MS,
    marker: config.KUBERNETES_PORTAL_MARKER === 'true',
  };
  return portalConnection;
}

/** What a call does, in words people use: "list InferenceServices in pricing". */
export interface KubeOperation {
  verb: 'list' | 'get' | 'create' | 'update';
  kind: string;
  /** The kind's plural for people, e.g. "InferenceServices". */
  kindPlural: string;
  /** '' for a cluster-scoped kind (Namespaces). */
  namespace: string;
  /** Absent for list and create-by-POST without a known name. */
  name?: string;
}

function target(operation: KubeOperation): string {
  const { kind, kindPlural, namespace, name } = operation;
  if (name === undefined) return namespace ? `${kindPlural} in ${namespace}` : kindPlural;
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** The `Status` object the API server answers errors with. */
const statusSchema = z.object({ message: z.string().optional(), reason: z.string().optional() });

function statusOf(body: string): z.output<typeof statusSchema> {
  try {
    const parsed = statusSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : {};
  } catch {
    return { message: body.trim().slice(0, 300) || undefined };
  }
}

/** Turns an error answer of the API server into a sentence for people. Pure; exported for tests. */
export function describeKubeFailure(
  status: number,
  body: string,
  operation: KubeOperation,
  actor: KubeActor,
): { kind: UpstreamErrorKind; message: string } {
  const { message, reason } = statusOf(body);
  const what = target(operation);
  const who = actorName(actor);
  if (status === 401) {
    return {
      kind: 'forbidden',
      message:
        "Kubernetes did not accept the portal's credentials (check KUBERNETES_PORTAL_KUBECONFIG or the service account token)",
    };
  }
  if (status === 403) {
    if (message?.includes('cannot impersonate'))
      return { kind: 'forbidden', message: `The cluster does not let the portal act as ${who}` };
    // RBAC says "User "alice" cannot list resource …"; anything else is admission (a policy, a quota).
    if (message === undefined || / cannot [a-z]+ resource /.test(message)) {
      return { kind: 'forbidden', message: `The cluster does not allow ${who} to ${operation.verb} ${what}` };
    }
    return { kind: 'forbidden', message: `The cluster refused to ${operation.verb} ${what} for ${who}: ${message}` };
  }
  if (status === 404) {
    return operation.name === undefined
      ? { kind: 'not-found', message: `The cluster does not serve ${operation.kindPlural} (is its API installed?)` }
      : { kind: 'not-found', message: `${what} does not exist` };
  }
  if (status === 409) {
    return reason === 'AlreadyExists'
      ? { kind: 'conflict', message: `${what} already exists` }
      : { kind: 'conflict', message: `${what} was changed by someone else meanwhile` };
  }
  if (status === 422) return { kind: 'rejected', message: `The cluster rejected ${what}: ${message ?? 'invalid'}` };
  return {
    kind: 'rejected',
    message: `Kubernetes could not ${operation.verb} ${what} (${status}${message ? `: ${message}` : ''})`,
  };
}

export interface KubeCall<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT';
  /** From the API root, segments already encoded: `/apis/<group>/<version>/namespaces/<ns>/<plural>`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Validates a successful answer. */
  schema: S;
  operation: KubeOperation;
}

interface RawResponse {
  status: number;
  text: string;
}

function send(url: URL, options: RequestOptions, body: string | undefined): Promise<RawResponse> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const keepAliveAgents = new WeakMap<KubeConfig, HttpsAgent>();

/**
 * The client library makes a new TLS agent per call; reusing one kept-alive connection halves the
 * latency of a call (13 → 6 ms against the local API server). Its certificates are read once.
 */
function keepAliveAgent(kubeConfig: KubeConfig, fresh: HttpsAgent): HttpsAgent {
  let agent = keepAliveAgents.get(kubeConfig);
  if (!agent) {
    agent = new HttpsAgent({ ...fresh.options, keepAlive: true });
    keepAliveAgents.set(kubeConfig, agent);
  }
  return agent;
}

/**
 * One call to the API server as `actor`: a timeout on the whole exchange, GETs retried with backoff
 * when the server was slow, unreachable or briefly failing, writes never repeated, errors turned
 * into an `UpstreamError` whose message says who was refused what.
 */
export async function kubeRequest<S extends z.ZodType>(
  connection: KubeConnection,
  actor: KubeActor,
  call: KubeCall<S>,
): Promise<z.output<S>> {
  const cluster = connection.kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The Kubernetes kubeconfig has no current cluster');
  const server = new URL(cluster.server);
  const url = new URL(`${server.pathname.replace(/\/$/, '')}${call.path}`, server);
  for (const [key, value] of Object.entries(call.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, value);
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);

  return withRetry(call.method === 'GET' ? READ_RETRY : NO_RETRY, async () => {
    const headers: OutgoingHttpHeaders = { accept: 'application/json', 'user-agent': 'ml-platform-portal' };
    const options: RequestOptions = { method: call.method, headers };
    // Credentials are applied per call (into `headers` and the TLS agent): tokens from files and
    // exec plugins are refreshed there.
    await connection.kubeConfig.applyToHTTPSOptions(options);
    if (!cluster.proxyUrl && options.agent instanceof HttpsAgent)
      options.agent = keepAliveAgent(connection.kubeConfig, options.agent);
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (actor.kind === 'user') {
      headers['impersonate-user'] = actor.username;
      if (actor.groups.length) headers['impersonate-group'] = actor.groups;
      if (connection.marker !== false) headers[MARKER_HEADER] = PORTAL_MARKER.value;
    }
    const signal = AbortSignal.timeout(connection.timeoutMs);
    let response: RawResponse;
    try {
      response = await send(url, { ...options, signal }, body);
    } catch (error) {
      if (signal.aborted) {
        throw new UpstreamError(
          'Kubernetes',
          'timeout',
          `Kubernetes did not answer within ${formatDuration(connection.timeoutMs)}`,
          undefined,
          { cause: error },
        );
      }
      const code = (error as NodeJS.ErrnoException).code;
      throw new UpstreamError(
        'Kubernetes',
        'unreachable',
        `Kubernetes cannot be reached at ${server.host}${code ? ` (${code})` : ''}`,
        undefined,
        { cause: error },
      );
    }
    if (response.status < 200 || response.status >= 300) {
      const failure = describeKubeFailure(response.status, response.text, call.operation, actor);
      throw new UpstreamError('Kubernetes', failure.kind, failure.message, response.status);
    }
    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch (error) {
      throw new UpstreamError(
        'Kubernetes',
        'invalid-response',
        `Kubernetes sent an answer that is not JSON to ${call.operation.verb} ${target(call.operation)}`,
        response.status,
        {
          cause: error,
        },
      );
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UpstreamError(
        'Kubernetes',
        'invalid-response',
        `Kubernetes sent an unexpected answer to ${call.operation.verb} ${target(call.operation)} (${issue?.path.join('.') || 'root'}: ${issue?.message})`,
        response.status,
      );
    }
    return parsed.data;
  });
}
