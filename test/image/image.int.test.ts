/**
 * The container image (deploy/image): `npm run image` builds it when it is not up to date (the
 * archive is cached), its facts are read from the OCI archive itself, then podman runs it as a
 * cluster would — read-only root filesystem, only /tmp writable, the image's own user and command
 * — against the test PostgreSQL: the portal migrates an empty database, answers /api/health,
 * /api/ready and its static files, and exits 0 on SIGTERM; so does the worker.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORBIDDEN_PACKAGES, IMAGE_NAME, IMAGE_USER } from '../../deploy/image/facts';
import { createTestDatabase, type TestDatabase } from '../db';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const ARCHIVE = path.join(root, `.data/image/${IMAGE_NAME}.oci.tar`);
const VERSION = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const IMAGE = `localhost/${IMAGE_NAME}:${VERSION}`;
/** The compressed archive stays under this: 63 MiB measured (README "Container image"); room for growth, not for a build tool. */
const MAX_ARCHIVE_MIB = 90;
const MIGRATIONS = readdirSync(path.join(root, 'prisma/migrations'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const sh = (script: string) => exec('bash', ['-c', script], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
const podman = (...args: string[]) =>
  exec('bash', ['deploy/image/podman.sh', ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });

/** A blob of the archive (OCI layout inside a tar), as text. */
async function blob(digest: string): Promise<string> {
  const { stdout } = await sh(`tar -xOf '${ARCHIVE}' 'blobs/sha256/${digest.replace(/^sha256:/, '')}'`);
  return stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  alive?: () => Promise<void>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    await alive?.();
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function logs(name: string): Promise<string> {
  const { stdout, stderr } = await podman('logs', name);
  return stdout + stderr;
}

/** Fails at once, with the container's log, when the container is no longer running. */
async function stillRunning(name: string): Promise<void> {
  const { stdout } = await podman('inspect', '--format', '{{.State.Running}}', name);
  if (stdout.trim() !== 'true') throw new Error(`container ${name} stopped:\n${await logs(name)}`);
}

interface ImageConfig {
  config: {
    User?: string;
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    Env?: string[];
    ExposedPorts?: Record<string, unknown>;
    StopSignal?: string;
    Labels?: Record<string, string>;
  };
}

let files: Set<string>;
let config: ImageConfig;
let layerBytes = 0;
const containers: string[] = [];
let database: TestDatabase;

beforeAll(async () => {
  // Up to date: a few seconds. Otherwise the image is built (README "Container image": timings).
  await exec('bash', ['deploy/image/build.sh'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const index = JSON.parse((await sh(`tar -xOf '${ARCHIVE}' index.json`)).stdout) as {
    manifests: { digest: string }[];
  };
  const manifest = JSON.parse(await blob(index.manifests[0]!.digest)) as {
    config: { digest: string };
    layers: { digest: string; size: number }[];
  };
  config = JSON.parse(await blob(manifest.config.digest)) as ImageConfig;
  files = new Set();
  for (const layer of manifest.layers) {
    const digest = layer.digest.replace(/^sha256:/, '');
    const { stdout } = await sh(`tar -xOf '${ARCHIVE}' 'blobs/sha256/${digest}' | tar -tz`);
    for (const line of stdout.split('\n')) if (line) files.add(line.replace(/^\.\//, '').replace(/\/$/, ''));
    const { stdout: size } = await sh(`tar -xOf '${ARCHIVE}' 'blobs/sha256/${digest}' | gzip -dc | wc -c`);
    layerBytes += Number(size.trim());
  }
  await podman('load', '-q', '-i', ARCHIVE);
  database = await createTestDatabase({ migrated: false });
}, 20 * 60_000);

afterAll(async () => {
  for (const name of containers) await podman('rm', '-f', '-t', '0', name).catch(() => {});
  // Not forced: another test run's container may still use it (it is then removed after that run).
  await podman('rmi', IMAGE).catch(() => {});
  // What interrupted runs left: their stopped containers after an hour, images no container uses.
  await podman('container', 'prune', '-f', '--filter', 'until=1h').catch(() => {});
  await podman('image', 'prune', '-f').catch(() => {});
  await database?.drop();
}, 120_000);

describe('the image, read from its OCI archive', () => {
  it('runs node as PID 1 with the portal as its command, as a non-root user', () => {
    expect(config.config.User).toBe(IMAGE_USER);
    expect(Number(config.config.User!.split(':')[0])).toBeGreaterThan(0);
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/node']);
    expect(config.config.Cmd).toEqual(['/app/server.mjs']);
    expect(config.config.WorkingDir).toBe('/app');
    expect(config.config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=3000']));
    expect(Object.keys(config.config.ExposedPorts ?? {})).toEqual(['3000/tcp']);
    expect(config.config.Labels?.['org.opencontainers.image.version']).toBe(VERSION);
  });

  it('holds the bundles, the build, the migrations and Node.js', () => {
    for (const file of [
      'usr/local/bin/node',
      'app/server.mjs',
      'app/worker.mjs',
      'app/migrate.mjs',
      'app/next.config.mjs',
      'app/.next/BUILD_ID',
      'app/public/robots.txt',
    ])
      expect(files, file).toContain(file);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    for (const name of MIGRATIONS) expect(files).toContain(`app/prisma/migrations/${name}/migration.sql`);
  });

  it('has no build or test tools, no npm, no shell and no TypeScript sources', () => {
    const packages = [...files].filter((file) =>
      FORBIDDEN_PACKAGES.some(
        (name) => file === `app/node_modules/${name}` || file.startsWith(`app/node_modules/${name}/`),
      ),
    );
    expect(packages).toEqual([]);
    expect([...files].filter((file) => /(^|\/)(npm|npx|corepack|sh|bash|dash)$/.test(file))).toEqual([]);
    expect([...files].filter((file) => /^app\/(?!node_modules\/).*\.tsx?$/.test(file))).toEqual([]);
  });

  it(`stays under ${MAX_ARCHIVE_MIB} MiB compressed`, () => {
    const mib = statSync(ARCHIVE).size / 2 ** 20;
    console.log(`image: ${mib.toFixed(0)} MiB compressed, ${(layerBytes / 2 ** 20).toFixed(0)} MiB unpacked`);
    expect(mib).toBeLessThan(MAX_ARCHIVE_MIB);
  });
});

describe('the image, run with a read-only root filesystem', () => {
  it('migrates an empty database, serves the portal, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const name = `mlp-image-test-${randomBytes(4).toString('hex')}`;
    containers.push(name);
    await podman(
      ...['run', '-d', '--name', name, '--network', 'host'],
      ...['--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp:rw,mode=1777,size=256m'],
      ...['-e', `DATABASE_URL=${database.url}`, '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1'],
      IMAGE,
    );
    const base = `http://127.0.0.1:${port}`;
    const health = await waitFor(
      'the portal answers /api/health',
      async () => {
        const response = await fetch(`${base}/api/health`);
        return response.status === 200 ? ((await response.json()) as unknown) : undefined;
      },
      90_000,
      () => stillRunning(name),
    );
    expect(health).toEqual({ status: 'ok' });

    const ready = await fetch(`${base}/api/ready`);
    expect(ready.status, await logs(name)).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('ready');

    // The image's own migrations, applied by server.mjs to the empty database.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    await client.end();
    expect(rows.map((row) => row.migration_name)).toEqual(MIGRATIONS);

    // Files of the build and of public/ are served from the image.
    expect((await fetch(`${base}/robots.txt`)).status).toBe(200);
    const chunk = [...files].find((file) => /^app\/\.next\/static\/chunks\/[^/]+\.js$/.test(file))!;
    expect((await fetch(`${base}/${chunk.replace(/^app\/\.next\//, '_next/')}`)).status).toBe(200);

    // Inside: node is PID 1 as the image's user; / and /app are read-only, /tmp is writable.
    const { stdout } = await podman(
      'exec',
      name,
      '/usr/local/bin/node',
      '-e',
      `const fs = require('node:fs');
       const attempt = (file) => { try { fs.writeFileSync(file, 'x'); return 'written'; } catch (e) { return e.code; } };
       console.log(JSON.stringify({
         uid: process.getuid(), gid: process.getgid(),
         pid1: fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0').filter(Boolean),
         pid1Uid: /^Uid:\\s+(\\d+)/m.exec(fs.readFileSync('/proc/1/status', 'utf8'))[1],
         root: attempt('/probe'), app: attempt('/app/probe'), next: attempt('/app/.next/probe'), tmp: attempt('/tmp/probe'),
       }));`,
    );
    expect(JSON.parse(stdout)).toEqual({
      uid: 65532,
      gid: 65532,
      pid1: ['/usr/local/bin/node', '/app/server.mjs'],
      pid1Uid: '65532',
      root: 'EROFS',
      app: 'EROFS',
      next: 'EROFS',
      tmp: 'written',
    });

    const stopped = Date.now();
    await podman('kill', '--signal', 'TERM', name);
    const { stdout: exitCode } = await podman('wait', name);
    expect(Number(exitCode.trim())).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(30_000);
    // It stopped because of the signal (its own log says so), not for another reason.
    expect(await logs(name)).toMatch(/"signal":"SIGTERM"/);
  }, 180_000);

  it('runs the worker, which stops on SIGTERM', async () => {
    const name = `mlp-image-worker-test-${randomBytes(4).toString('hex')}`;
    containers.push(name);
    await podman(
      ...['run', '-d', '--name', name, '--network', 'host'],
      ...['--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp:rw,mode=1777,size=64m'],
      ...['-e', `DATABASE_URL=${database.url}`, '-e', 'ROLLOUT_CHECK_INTERVAL_SECONDS=1'],
      IMAGE,
      '/app/worker.mjs',
    );
    await waitFor(
      'the worker starts',
      async () => ((await logs(name)).includes('"worker started"') ? true : undefined),
      60_000,
      () => stillRunning(name),
    );
    await podman('kill', '--signal', 'TERM', name);
    const { stdout: exitCode } = await podman('wait', name);
    expect(Number(exitCode.trim()), await logs(name)).toBe(0);
    expect(await logs(name)).toMatch(/"signal":"SIGTERM"/);
  }, 120_000);
});
