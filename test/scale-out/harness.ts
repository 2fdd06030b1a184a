/**
 * The portal scaled out on this machine (never imported by the product): three web processes and
 * two workers — `node --import tsx server.ts` and `scripts/worker.ts`, as the image runs them —
 * each given only the environment its container would get (./config.ts), behind Debian's HAProxy
 * as the Service stand-in: round-robin, no sticky sessions, health checks on /api/ready, a retry
 * on another replica when a connection is refused or closed unanswered (what a Service's endpoints
 * and readiness give). HAProxy names the replica that answered in `X-Served-By`.
 *
 * HAProxy listens on 127.0.0.1:3100 — a portal URL the local platform's identity provider accepts
 * redirects to (stack/oidc/client.ts) — so the browser tests' portal must not run meanwhile
 * (npm test runs Vitest before Playwright; by hand, run under `flock /tmp/e2e.lock`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createConnection } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { containerEnvs, stackEnv, type ContainerEnvs } from './config';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const PUBLIC_PORT = 3100;
export const PUBLIC_URL = `http://127.0.0.1:${PUBLIC_PORT}`;
const WEB_PORTS = [3111, 3112, 3113];
const WORKER_METRICS_PORTS = [3121, 3122];
export const HAPROXY = '/usr/sbin/haproxy';

export interface Replica {
  name: string;
  kind: 'web' | 'worker';
  port: number;
  process: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ScaleOut {
  envs: ContainerEnvs;
  databaseUrl: string;
  webs: Replica[];
  workers: Replica[];
  haproxy: ChildProcess;
  dir: string;
  /** HAProxy's view of each web replica: its state and sessions now. */
  backendState(): Promise<Record<string, { status: string; current: number }>>;
  /** Log lines of a replica, parsed (JSON lines only). */
  logLines(replica: Replica): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Debian's HAProxy, installed with apt-get when missing (the project installs what its tests need). */
export function ensureHaproxy(): void {
  if (existsSync(HAPROXY)) return;
  const apt = (args: string[]) =>
    execFileSync('nice', ['-n', '19', 'apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt(['install', '-y', '-q', 'haproxy']);
  } catch {
    apt(['update', '-q']);
    apt(['install', '-y', '-q', 'haproxy']);
  }
}

export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function haproxyConfig(dir: string): string {
  return `global
  log stdout format raw local0
  stats socket ${dir}/haproxy.sock mode 600 level admin
  maxconn 2000

defaults
  mode http
  log global
  option httplog
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  # A refused or unanswered connection is tried again on another replica (what a Service's
  # endpoints do once readiness fails); answered requests are never replayed.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response

frontend portal
  bind 127.0.0.1:${PUBLIC_PORT}
  default_backend replicas
  http-response set-header X-Served-By %[srv_name]

backend replicas
  balance roundrobin
  option forwardfor
  option httpchk GET /api/ready
  http-check expect status 200
  default-server inter 500ms fall 1 rise 1
${WEB_PORTS.map((port, i) => `  server web-${i + 1} 127.0.0.1:${port} check`).join('\n')}
`;
}

function spawnLogged(name: string, args: string[], env: Record<string, string>, dir: string) {
  const logFile = path.join(dir, `${name}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  return { child, logFile };
}

function replica(name: string, kind: Replica['kind'], port: number, env: Record<string, string>, dir: string): Replica {
  const script = kind === 'web' ? 'server.ts' : 'scripts/worker.ts';
  const { child, logFile } = spawnLogged(name, ['--import', 'tsx', script], env, dir);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, kind, port, process: child, logFile, exited };
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, pollMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

async function ok(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.ok,
    () => false,
  );
}

/** HAProxy's admin socket: one command, its whole answer. */
function haproxyCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(`${command}\n`);
  });
}

/** A fresh, empty database `name` on the local platform's PostgreSQL; its URL. */
async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts the scale-out on a fresh database `database` (migrated and seeded by `prepare`, which
 * gets its URL, before any replica starts) and resolves once HAProxy sees every web replica ready
 * and one worker leads.
 */
export async function startScaleOut(options: {
  database: string;
  checkIntervalSeconds: number;
  prepare(databaseUrl: string): Promise<void>;
}): Promise<ScaleOut> {
  ensureHaproxy();
  if (!existsSync(path.join(ROOT, '.next/BUILD_ID')))
    throw new Error('There is no production build: run `bash scripts/setup.sh --build` first');
  for (const port of [PUBLIC_PORT, ...WEB_PORTS, ...WORKER_METRICS_PORTS])
    if (await portInUse(port))
      throw new Error(
        `port ${port} is in use (the browser tests' portal on ${PUBLIC_PORT}?): the scale-out needs it; run it under \`flock /tmp/e2e.lock\``,
      );

  const dir = path.join(ROOT, '.data/scale-out');
  mkdirSync(dir, { recursive: true });
  const adminUrl = new URL(stackEnv().DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const databaseUrl = await freshDatabase(adminUrl.toString(), options.database);
  await options.prepare(databaseUrl);
  const envs = await containerEnvs({
    databaseUrl,
    nextauthSecret: randomBytes(32).toString('hex'),
    checkIntervalSeconds: options.checkIntervalSeconds,
    mountsDir: path.join(dir, 'mounts'),
  });

  // What differs between pods and these processes: each listens on 127.0.0.1 and a port of its
  // own (pods share the port, not the address), and no env file is read (a pod has none; here
  // server.ts would otherwise read the local platform's). The image sets NEXT_TELEMETRY_DISABLED.
  const local = { PORTAL_ENV_FILE: path.join(dir, 'no-env-file'), NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1' };
  const webs = WEB_PORTS.map((port, i) =>
    replica(`web-${i + 1}`, 'web', port, { ...envs.web, ...local, PORT: String(port) }, dir),
  );
  const workers = WORKER_METRICS_PORTS.map((port, i) =>
    replica(`worker-${i + 1}`, 'worker', port, { ...envs.worker, ...local, WORKER_METRICS_PORT: String(port) }, dir),
  );

  writeFileSync(path.join(dir, 'haproxy.cfg'), haproxyConfig(dir));
  const haproxyLog = createWriteStream(path.join(dir, 'haproxy.log'));
  const haproxy = spawn(HAPROXY, ['-db', '-f', path.join(dir, 'haproxy.cfg')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  haproxy.stdout.pipe(haproxyLog, { end: false });
  haproxy.stderr.pipe(haproxyLog, { end: false });

  const all = [...webs, ...workers];
  const stop = async () => {
    for (const r of all) if (r.process.exitCode === null && r.process.signalCode === null) r.process.kill('SIGTERM');
    const haproxyExited = new Promise((resolve) =>
      haproxy.exitCode === null && haproxy.signalCode === null ? haproxy.once('exit', resolve) : resolve(undefined),
    );
    haproxy.kill('SIGTERM');
    await Promise.all([...all.map((r) => r.exited), haproxyExited]);
  };

  try {
    for (const web of webs) {
      await waitFor(`${web.name} to be ready`, 180_000, async () => {
        if (web.process.exitCode !== null) throw new Error(`${web.name} exited:\n${tail(web.logFile)}`);
        return ok(`http://127.0.0.1:${web.port}/api/ready`);
      });
    }
    for (const worker of workers) {
      await waitFor(`${worker.name} to serve its metrics`, 60_000, async () => {
        if (worker.process.exitCode !== null) throw new Error(`${worker.name} exited:\n${tail(worker.logFile)}`);
        return ok(`http://127.0.0.1:${worker.port}/health`);
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const scaleOut: ScaleOut = {
    envs,
    databaseUrl,
    webs,
    workers,
    haproxy,
    dir,
    async backendState() {
      const csv = await haproxyCommand(path.join(dir, 'haproxy.sock'), 'show stat');
      const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
      const columns = header!.split(',');
      const at = (row: string[], name: string) => row[columns.indexOf(name)] ?? '';
      const state: Record<string, { status: string; current: number }> = {};
      for (const row of rows.map((r) => r.split(',')))
        if (at(row, 'pxname') === 'replicas' && at(row, 'svname').startsWith('web-'))
          state[at(row, 'svname')] = { status: at(row, 'status'), current: Number(at(row, 'scur')) };
      return state;
    },
    logLines(r) {
      return readFileSync(r.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    stop,
  };
  try {
    await waitFor('HAProxy to see every web replica up', 30_000, async () => {
      const state = await scaleOut.backendState().catch(() => ({}));
      return webs.every((w) => (state as Record<string, { status: string }>)[w.name]?.status === 'UP');
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return scaleOut;
}

/** The worker that leads now, by its own metrics (portal_worker_leader 1), or null. */
export async function leaderOf(workers: Replica[]): Promise<Replica | null> {
  for (const worker of workers) {
    if (worker.process.exitCode !== null || worker.process.signalCode !== null) continue;
    const text = await fetch(`http://127.0.0.1:${worker.port}/metrics`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.text())
      .catch(() => '');
    if (/^portal_worker_leader 1$/m.test(text)) return worker;
  }
  return null;
}
