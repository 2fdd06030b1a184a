import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { httpOk, startProcess, stopProcess } from '../lib/processes';
import { OIDC_CLIENT } from '../oidc/client';

const issuer = (ctx: StackContext) => `http://${HOST}:${ctx.ports.oidc}`;
const discovery = (ctx: StackContext) => `${issuer(ctx)}/.well-known/openid-configuration`;

export const oidc: Component = {
  name: 'oidc',
  dependsOn: [],
  url: issuer,
  async start(ctx) {
    await startProcess(ctx, {
      name: 'oidc',
      command: process.execPath,
      args: ['--import', 'tsx', 'stack/oidc/main.ts'],
      ready: () => httpOk(discovery(ctx)),
    });
  },
  isUp: (ctx) => httpOk(discovery(ctx)),
  stop: (ctx) => stopProcess(ctx, 'oidc'),
  env: (ctx) => ({ OIDC_ISSUER: issuer(ctx), OIDC_CLIENT_ID: OIDC_CLIENT.id, OIDC_CLIENT_SECRET: OIDC_CLIENT.secret }),
};
