/**
 * Who can talk to the local API server, and the files that say how:
 *
 * - `<stateDir>/kubernetes/tokens.csv`: the API server's `--token-auth-file`
 *   (`token,user,uid,"group1,group2"`), one bearer token per demo user, the portal and the admin.
 * - `<stateDir>/kubernetes/users.json`: what tests and scripts read (see `UsersFile`): the server,
 *   the CA file and, per identity, its Kubernetes username, groups, bearer token and kubeconfig.
 * - `<stateDir>/kubernetes/kubeconfigs/<name>.kubeconfig`: one kubeconfig per identity (token
 *   auth for the demo users; client certificates for admin, portal, the control plane and
 *   `erin-break-glass` — erin in the admission guard's break-glass group `mlp:break-glass`).
 * - `ctx.kubeconfig`: the admin's kubeconfig (client certificate, `system:masters`).
 *
 * Tokens are made once and kept, so a restarted API server accepts the same ones.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StackContext } from '../lib/context';
import { HOST } from '../lib/context';
import { DEMO_USERS } from '../oidc/users';
import { pkiFile } from './pki';

export interface UserEntry {
  /** The Kubernetes username the API server sees. */
  username: string;
  groups: string[];
  token: string;
  /** A kubeconfig acting as this identity. */
  kubeconfig: string;
}

export interface UsersFile {
  server: string;
  caFile: string;
  /** Keyed by short name: alice … frank, `portal`, `admin`, `erin-break-glass`. */
  users: Record<string, UserEntry>;
}

/** The service identity the portal uses; it impersonates the signed-in user for their requests. */
export const PORTAL_USER = 'ml-platform-portal';
export const PORTAL_GROUPS = ['mlp:portal'];
export const ADMIN_USER = 'stack-admin';
/** erin's emergency credential (a client certificate): on call, and in the admission guard's break-glass group. */
export const BREAK_GLASS = { name: 'erin-break-glass', username: 'erin', groups: ['mlp:oncall', 'mlp:break-glass'] };

export function kubernetesStateDir(ctx: StackContext): string {
  return path.join(ctx.stateDir, 'kubernetes');
}
export function usersFile(ctx: StackContext): string {
  return path.join(kubernetesStateDir(ctx), 'users.json');
}
export function tokenFile(ctx: StackContext): string {
  return path.join(kubernetesStateDir(ctx), 'tokens.csv');
}
export function kubeconfigPath(ctx: StackContext, name: string): string {
  return path.join(kubernetesStateDir(ctx), 'kubeconfigs', `${name}.kubeconfig`);
}
export function portalKubeconfig(ctx: StackContext): string {
  return kubeconfigPath(ctx, 'portal');
}
export function apiServerUrl(ctx: StackContext): string {
  return `https://${HOST}:${ctx.ports.kubernetes}`;
}

export async function readUsers(ctx: StackContext): Promise<UsersFile> {
  return JSON.parse(await readFile(usersFile(ctx), 'utf8')) as UsersFile;
}

type Credentials = { token: string } | { certName: string };

async function kubeconfigText(ctx: StackContext, user: string, credentials: Credentials): Promise<string> {
  const b64 = async (file: string) => (await readFile(pkiFile(ctx, file))).toString('base64');
  const userEntry =
    'token' in credentials
      ? { token: credentials.token }
      : {
          'client-certificate-data': await b64(`${credentials.certName}.crt`),
          'client-key-data': await b64(`${credentials.certName}.key`),
        };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'ml-portal-stack',
        cluster: { server: apiServerUrl(ctx), 'certificate-authority-data': await b64('ca.crt') },
      },
    ],
    users: [{ name: user, user: userEntry }],
    contexts: [{ name: `${user}@ml-portal-stack`, context: { cluster: 'ml-portal-stack', user } }],
    'current-context': `${user}@ml-portal-stack`,
    preferences: {},
  };
  // JSON is YAML: kubectl, client-go and @kubernetes/client-node all read it.
  return `${JSON.stringify(config, null, 2)}\n`;
}

async function writePrivate(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, text, { mode: 0o600 });
}

/** Control-plane components' kubeconfigs (client certificates), by process name. */
export const COMPONENT_KUBECONFIGS = ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

/** Writes tokens.csv, users.json and every kubeconfig; keeps existing tokens. Needs the PKI. */
export async function ensureIdentities(ctx: StackContext): Promise<UsersFile> {
  const previous: Partial<UsersFile> = existsSync(usersFile(ctx)) ? await readUsers(ctx) : {};
  const tokenOf = (name: string) => previous.users?.[name]?.token ?? randomBytes(24).toString('hex');

  const people = DEMO_USERS.map((u) => ({ name: u.username, username: u.username, groups: [...u.groups] }));
  const services = [
    { name: 'portal', username: PORTAL_USER, groups: PORTAL_GROUPS },
    { name: 'admin', username: ADMIN_USER, groups: ['system:masters'] },
    BREAK_GLASS,
  ];
  const users: Record<string, UserEntry> = {};
  for (const identity of [...people, ...services]) {
    users[identity.name] = {
      username: identity.username,
      groups: identity.groups,
      token: tokenOf(identity.name),
      kubeconfig: kubeconfigPath(ctx, identity.name),
    };
  }

  const csv = Object.entries(users).map(([name, u]) => `${u.token},${u.username},uid-${name},"${u.groups.join(',')}"`);
  await writePrivate(tokenFile(ctx), `${csv.join('\n')}\n`);

  for (const identity of people) {
    const entry = users[identity.name]!;
    await writePrivate(entry.kubeconfig, await kubeconfigText(ctx, identity.username, { token: entry.token }));
  }
  await writePrivate(kubeconfigPath(ctx, 'portal'), await kubeconfigText(ctx, PORTAL_USER, { certName: 'portal' }));
  await writePrivate(kubeconfigPath(ctx, 'admin'), await kubeconfigText(ctx, ADMIN_USER, { certName: 'admin' }));
  await writePrivate(
    kubeconfigPath(ctx, BREAK_GLASS.name),
    await kubeconfigText(ctx, BREAK_GLASS.username, { certName: BREAK_GLASS.name }),
  );
  await writePrivate(ctx.kubeconfig, await kubeconfigText(ctx, ADMIN_USER, { certName: 'admin' }));
  for (const component of COMPONENT_KUBECONFIGS) {
    await writePrivate(kubeconfigPath(ctx, component), await kubeconfigText(ctx, component, { certName: component }));
  }

  const file: UsersFile = { server: apiServerUrl(ctx), caFile: pkiFile(ctx, 'ca.crt'), users };
  await writePrivate(usersFile(ctx), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}
