/**
 * `npm run stack -- up | down | status [--json] | seed | reset`: the local ML platform —
 * Kubernetes with KServe, MLflow, MinIO, Prometheus, PostgreSQL, the IdP and the simulator —
 * as processes on 127.0.0.1. Idempotent: `up` builds or starts only what is missing.
 */
import './lib/project-node';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { COMPONENTS, inDependencyOrder } from './components/index';
import type { Component } from './lib/component';
import { stackContext, type StackContext } from './lib/context';
import { helmBinary } from './lib/helm';
import { progress } from './lib/progress';
import { resetDemoState, seedStack } from './seed/index';

async function writeEnvFile(ctx: StackContext, components: Component[]): Promise<void> {
  const lines = ['# Written by `npm run stack -- up`: where the portal finds each component of the local platform.'];
  for (const component of components) {
    for (const [key, value] of Object.entries(component.env?.(ctx) ?? {})) lines.push(`${key}=${value}`);
  }
  await mkdir(path.dirname(ctx.envFile), { recursive: true });
  await writeFile(ctx.envFile, `${lines.join('\n')}\n`);
}

export async function up(ctx: StackContext): Promise<void> {
  const started = Date.now();
  const ordered = inDependencyOrder();
  // Builds and installs are independent of each other; starting follows the dependencies. Helm
  // is a tool, not a component: built here for the chart's tests (test/helm/).
  await Promise.all([...ordered.map((c) => c.install?.(ctx)), helmBinary(ctx)]);
  for (const component of ordered) {
    if (await component.isUp(ctx)) {
      progress(component.name, `up (${component.url(ctx)})`);
      continue;
    }
    const t = Date.now();
    progress(component.name, 'starting');
    await component.start(ctx).catch((error: unknown) => {
      throw new Error(`${component.name} did not come up: ${error instanceof Error ? error.message : String(error)}`);
    });
    progress(
      component.name,
      `up in ${((Date.now() - t) / 1000).toFixed(1)} s (${component.url(ctx)}, log ${ctx.logFile(component.name)})`,
    );
  }
  await writeEnvFile(ctx, ordered);
  progress(
    'stack',
    `up in ${((Date.now() - started) / 1000).toFixed(1)} s; env file ${ctx.envFile}, kubeconfig ${ctx.kubeconfig}`,
  );
}

export async function down(ctx: StackContext): Promise<void> {
  for (const component of inDependencyOrder().reverse()) {
    progress(component.name, 'stopping');
    await component.stop(ctx);
  }
}

export async function status(ctx: StackContext) {
  const entries = await Promise.all(
    COMPONENTS.map(async (c) => [c.name, { state: (await c.isUp(ctx)) ? 'up' : 'down', url: c.url(ctx) }] as const),
  );
  return { components: Object.fromEntries(entries), kubeconfig: ctx.kubeconfig };
}

async function main(argv: string[]) {
  const ctx = stackContext();
  const [command, ...flags] = argv;
  switch (command) {
    case 'up':
      await up(ctx);
      break;
    case 'down':
      await down(ctx);
      break;
    case 'status': {
      const report = await status(ctx);
      if (flags.includes('--json')) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        for (const [name, c] of Object.entries(report.components))
          console.log(`${name.padEnd(11)} ${c.state.padEnd(5)} ${c.url}`);
        console.log(`kubeconfig  ${report.kubeconfig}`);
      }
      break;
    }
    case 'seed':
      await up(ctx);
      await seedStack(ctx);
      break;
    case 'restore':
      // The demo's endpoints, simulator faults and registry aliases as the seed left them.
      await up(ctx);
      await seedStack(ctx);
      await resetDemoState(ctx);
      break;
    case 'reset':
      await down(ctx);
      progress('stack', `removing ${ctx.stateDir} (built binaries in ${ctx.cacheDir} are kept)`);
      await rm(ctx.stateDir, { recursive: true, force: true });
      await up(ctx);
      await seedStack(ctx);
      break;
    default:
      console.error('usage: npm run stack -- up | down | status [--json] | seed | restore | reset');
      process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`\nstack: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
