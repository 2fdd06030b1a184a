/**
 * Prometheus from Debian's package, run as our own process (never Debian's service): config
 * generated under the state folder, data under `.data/stack/data/prometheus`, 45 days retention
 * (room for the 30 days of backfilled history), lifecycle API on for reloads.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { httpOk, processRunning, startProcess, stopProcess } from '../lib/processes';
import { progress } from '../lib/progress';
import { runCommand } from '../lib/run-command';
import { configFile, prometheusConfig, prometheusUrl } from '../prometheus/config';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

async function aptInstall(): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const apt = async (args: string[]) => {
    const [command, ...rest] = [...prefix, 'apt-get', ...args];
    let last = 0;
    return runCommand(
      command!,
      rest,
      (line) => {
        // apt prints one line per package fetched, unpacked and set up.
        if (/^(Get:|Unpacking|Setting up)/.test(line) && Date.now() - last > 2_000) {
          last = Date.now();
          progress('prometheus', `… ${line.slice(0, 100)}`);
        }
      },
      { DEBIAN_FRONTEND: 'noninteractive' },
    );
  };
  progress('prometheus', 'installing Debian’s prometheus package (apt-get install prometheus)');
  let result = await apt(['install', '-y', '--no-install-recommends', 'prometheus']);
  if (
    result.code !== 0 &&
    /Unable to locate package|has no installation candidate|404\s+Not Found/i.test(result.output)
  ) {
    progress('prometheus', 'package lists are stale; apt-get update');
    await apt(['update']);
    result = await apt(['install', '-y', '--no-install-recommends', 'prometheus']);
  }
  if (result.code !== 0 || !existsSync(PROMETHEUS_BIN)) {
    const hint = asRoot ? '' : ' (installing needs root: run `sudo apt-get install prometheus` once)';
    throw new Error(
      `apt-get install prometheus failed${hint}:\n${result.output.trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  const version = await runCommand(PROMETHEUS_BIN, ['--version']);
  progress('prometheus', `installed ${version.output.split('\n')[0] ?? 'prometheus'}`);
}

/** The package may start (and enable) Debian's own Prometheus on :9090; the stack runs its own. */
async function disableDebianService(): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) return;
  if (existsSync('/run/systemd/system')) {
    const active = await runCommand('systemctl', ['is-active', '--quiet', 'prometheus.service']);
    const enabled = await runCommand('systemctl', ['is-enabled', '--quiet', 'prometheus.service']);
    if (active.code === 0 || enabled.code === 0) {
      progress('prometheus', 'stopping and disabling Debian’s prometheus.service (the stack runs its own Prometheus)');
      await runCommand('systemctl', ['disable', '--now', 'prometheus.service']);
    }
  } else if (existsSync('/etc/init.d/prometheus')) {
    const status = await runCommand('/etc/init.d/prometheus', ['status']);
    if (status.code === 0) {
      progress('prometheus', 'stopping Debian’s prometheus init service (the stack runs its own Prometheus)');
      await runCommand('/etc/init.d/prometheus', ['stop']);
    }
    await runCommand('update-rc.d', ['prometheus', 'disable']);
  }
}

async function writeConfig(ctx: StackContext): Promise<boolean> {
  const file = configFile(ctx);
  const text = prometheusConfig(ctx);
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  if (current === text) return false;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return true;
}

const ready = (ctx: StackContext) => httpOk(`${prometheusUrl(ctx)}/-/ready`);

export const prometheus: Component = {
  name: 'prometheus',
  dependsOn: ['simulator'],
  url: (ctx) => prometheusUrl(ctx),

  async install() {
    if (!existsSync(PROMETHEUS_BIN) || !existsSync(PROMTOOL_BIN)) await aptInstall();
    await disableDebianService();
  },

  async start(ctx) {
    const changed = await writeConfig(ctx);
    const dataDir = ctx.dataDir('prometheus');
    await mkdir(dataDir, { recursive: true });
    if (processRunning(ctx, 'prometheus')) {
      if (changed) {
        // Running with an older config (e.g. the Kubernetes PKI appeared since): reload in place.
        const response = await fetch(`${prometheusUrl(ctx)}/-/reload`, {
          method: 'POST',
          signal: AbortSignal.timeout(10_000),
        }).catch((error: unknown) => error as Error);
        if (response instanceof Error || !response.ok) {
          const detail = response instanceof Error ? response.message : `${response.status} ${await response.text()}`;
          throw new Error(`prometheus did not reload ${configFile(ctx)}: ${detail}`);
        }
        progress('prometheus', 'reloaded its configuration');
      }
    }
    await startProcess(ctx, {
      name: 'prometheus',
      command: PROMETHEUS_BIN,
      args: [
        `--config.file=${configFile(ctx)}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=${HOST}:${ctx.ports.prometheus}`,
        '--storage.tsdb.retention.time=45d',
        '--web.enable-lifecycle',
      ],
      ready: () => ready(ctx),
      // Replaying a large WAL can take a while on two cores: after a 500-tenant bench platform
      // (5,000 InferenceServices' series) it took over 3 minutes.
      timeoutMs: 600_000,
    });
  },

  isUp: (ctx) => ready(ctx),
  stop: (ctx) => stopProcess(ctx, 'prometheus', 30_000),
  env: (ctx) => ({ PROMETHEUS_URL: prometheusUrl(ctx) }),
};
