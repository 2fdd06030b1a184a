import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { httpOk, startProcess, stopProcess } from '../lib/processes';

const base = (ctx: StackContext) => `http://${HOST}:${ctx.ports.simulator}`;

export const simulator: Component = {
  name: 'simulator',
  dependsOn: ['kubernetes'],
  url: base,
  async start(ctx) {
    await startProcess(ctx, {
      name: 'simulator',
      command: process.execPath,
      args: ['--import', 'tsx', 'stack/simulator/main.ts'],
      env: { KUBECONFIG: ctx.kubeconfig },
      ready: () => httpOk(`${base(ctx)}/healthz`),
    });
  },
  isUp: (ctx) => httpOk(`${base(ctx)}/healthz`),
  stop: (ctx) => stopProcess(ctx, 'simulator'),
  env: (ctx) => ({ SIMULATOR_URL: base(ctx) }),
};
