/**
 * Long-running stack processes: started detached (they outlive `npm run stack -- up`), each
 * logging to its own file, tracked by a pid file, waited on until ready, stopped by `down`.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StackContext } from './context';

export interface ProcessSpec {
  /** Unique per process; names its pid file and its log file. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Resolves true once the process serves; polled until `timeoutMs`. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}

function pidFile(ctx: StackContext, name: string): string {
  return path.join(ctx.stateDir, 'pids', `${name}.pid`);
}

export function readPid(ctx: StackContext, name: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile(ctx, name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function processRunning(ctx: StackContext, name: string): boolean {
  return isAlive(readPid(ctx, name));
}

export async function tailLog(file: string, lines = 25): Promise<string> {
  if (!existsSync(file)) return '(no log)';
  const text = await readFile(file, 'utf8');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  failFast?: () => Promise<string | null>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const failure = failFast ? await failFast() : null;
    if (failure) throw new Error(failure);
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts the process unless it already runs; waits until it is ready either way. */
export async function startProcess(ctx: StackContext, spec: ProcessSpec): Promise<void> {
  const log = ctx.logFile(spec.name);
  if (!processRunning(ctx, spec.name)) {
    await mkdir(path.dirname(log), { recursive: true });
    await mkdir(path.dirname(pidFile(ctx, spec.name)), { recursive: true });
    const fd = openSync(log, 'a');
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd ?? ctx.root,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const raced = await Promise.race([spawnError, new Promise((resolve) => setTimeout(resolve, 50, null))]);
    if (raced instanceof Error) throw new Error(`${spec.name} could not start (${spec.command}): ${raced.message}`);
    await writeFile(pidFile(ctx, spec.name), String(child.pid));
    child.unref();
  }
  const pid = readPid(ctx, spec.name);
  await waitFor(spec.name, spec.ready, spec.timeoutMs ?? 60_000, async () =>
    isAlive(pid) ? null : `${spec.name} exited before it was ready. Last lines of ${log}:\n${await tailLog(log)}`,
  );
}

/** SIGTERM, then SIGKILL after `timeoutMs`; the whole process group, so children go too. */
export async function stopProcess(ctx: StackContext, name: string, timeoutMs = 15_000): Promise<void> {
  const pid = readPid(ctx, name);
  if (isAlive(pid)) {
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid!, sig);
      } catch {
        try {
          process.kill(pid!, sig);
        } catch {
          // already gone
        }
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (isAlive(pid)) signal('SIGKILL');
  }
  await rm(pidFile(ctx, name), { force: true });
}

export async function httpOk(url: string, init: RequestInit = {}): Promise<boolean> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}
