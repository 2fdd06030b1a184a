/**
 * Builds Go binaries from their official modules into the cache, once per pinned version.
 * A build shows its progress (packages compiled so far), since a cold Kubernetes build takes
 * many minutes on two cores.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StackContext } from './context';
import { progress } from './progress';

export interface GoBuild {
  /** Component shown in progress lines. */
  component: string;
  /** Cache folder name, e.g. `kubernetes-v1.35.1`. */
  name: string;
  binaries: string[];
  /**
   * Either `go install <module/cmd>@<version>` targets (no go.mod of ours needed), or `go build`
   * package paths inside `moduleDir`, a folder of ours with a go.mod that pins them.
   */
  install?: string[];
  build?: { moduleDir: string; packages: string[] };
  env?: Record<string, string | undefined>;
  /** Extra -ldflags, e.g. `-X k8s.io/component-base/version.gitVersion=v1.35.1`. */
  ldflags?: string;
}

function buildKey(spec: GoBuild): string {
  const hash = createHash('sha256').update(JSON.stringify([spec.install, spec.build?.packages, spec.ldflags]));
  if (spec.build) {
    for (const file of ['go.mod', 'go.sum']) {
      const p = path.join(spec.build.moduleDir, file);
      if (existsSync(p)) hash.update(readFileSync(p));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

function run(
  component: string,
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let compiled = 0;
    let current = '';
    let lastReport = Date.now();
    const tail: string[] = [];
    const onLine = (line: string) => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      // `go build -v` prints each package as it is compiled.
      if (!line.startsWith('go: ') && !line.includes(' ')) {
        compiled++;
        current = line;
      } else if (line.startsWith('go: downloading')) {
        current = line.slice(4);
      }
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        progress(component, `… ${compiled} packages compiled (${current})`);
      }
    };
    let buffer = '';
    const feed = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

/** Returns the folder holding the binaries, building them first when the cache lacks them. */
export async function goBinaries(ctx: StackContext, spec: GoBuild): Promise<string> {
  const binDir = path.join(ctx.cacheDir, 'bin', `${spec.name}-${buildKey(spec)}`);
  if (spec.binaries.every((b) => existsSync(path.join(binDir, b)))) return binDir;

  const tmpDir = `${binDir}.partial`;
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CGO_ENABLED: '0',
    GOFLAGS: '-buildvcs=false',
    GOTOOLCHAIN: 'local',
    ...spec.env,
  };
  const started = Date.now();
  const ldflags = `-ldflags=-s -w ${spec.ldflags ?? ''}`.trim();
  progress(
    spec.component,
    `building ${spec.binaries.join(', ')} (${spec.name}) from Go modules — first time only, this takes minutes`,
  );
  if (spec.install) {
    await run(spec.component, 'go', ['install', '-v', '-trimpath', ldflags, ...spec.install], {
      env: { ...env, GOBIN: tmpDir },
    });
  }
  if (spec.build) {
    await run(spec.component, 'go', ['build', '-v', '-trimpath', ldflags, '-o', `${tmpDir}/`, ...spec.build.packages], {
      cwd: spec.build.moduleDir,
      env: { ...env, GOFLAGS: `${env.GOFLAGS} -mod=mod` },
    });
  }
  const missing = spec.binaries.filter((b) => !existsSync(path.join(tmpDir, b)));
  if (missing.length) throw new Error(`the build of ${spec.name} did not produce ${missing.join(', ')}`);
  await rm(binDir, { recursive: true, force: true });
  await rename(tmpDir, binDir);
  progress(spec.component, `built ${spec.name} in ${Math.round((Date.now() - started) / 1000)} s`);
  return binDir;
}
