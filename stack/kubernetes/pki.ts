/**
 * The control plane's certificates and keys, made once with `openssl` under
 * `<stateDir>/kubernetes/pki` and kept (every step skips what exists):
 *
 * - `ca.{crt,key}`: the one CA; it signs every serving and client certificate below and is the
 *   API server's `--client-ca-file`.
 * - `apiserver.{crt,key}`, `etcd.{crt,key}`, `controlplane-serving.{crt,key}`: serving
 *   certificates for 127.0.0.1 / localhost.
 * - `sa.{key,pub}`: the service-account token signing key pair.
 * - client certificates `<name>.{crt,key}`, their subject being the Kubernetes identity:
 *   CN is the user, O the groups.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { StackContext } from '../lib/context';

const exec = promisify(execFile);

export interface ClientIdentity {
  /** File name stem under pki/. */
  name: string;
  user: string;
  groups: string[];
}

/** Identities that authenticate with a client certificate. Users' tokens live in users.ts. */
export const CLIENT_CERTS: readonly ClientIdentity[] = [
  { name: 'admin', user: 'stack-admin', groups: ['system:masters'] },
  { name: 'kube-controller-manager', user: 'system:kube-controller-manager', groups: [] },
  { name: 'kube-scheduler', user: 'system:kube-scheduler', groups: [] },
  { name: 'kwok', user: 'kwok-controller', groups: [] },
  { name: 'apiserver-etcd-client', user: 'kube-apiserver-etcd-client', groups: [] },
  { name: 'apiserver-kubelet-client', user: 'kube-apiserver-kubelet-client', groups: [] },
  { name: 'portal', user: 'ml-platform-portal', groups: ['mlp:portal'] },
  // erin's second credential, for emergencies: the admission guard's break-glass group (deploy/admission/).
  { name: 'erin-break-glass', user: 'erin', groups: ['mlp:oncall', 'mlp:break-glass'] },
];

export function pkiDir(ctx: StackContext): string {
  return path.join(ctx.stateDir, 'kubernetes', 'pki');
}

export function pkiFile(ctx: StackContext, file: string): string {
  return path.join(pkiDir(ctx), file);
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await exec('openssl', args, { cwd });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('openssl is missing: apt-get install -y openssl');
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** A key and a certificate signed by the CA, unless both exist already. */
async function signed(dir: string, name: string, subject: string, extensions: string[]): Promise<void> {
  if (existsSync(path.join(dir, `${name}.crt`)) && existsSync(path.join(dir, `${name}.key`))) return;
  await openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ],
    dir,
  );
  await writeFile(path.join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
  await rm(path.join(dir, `${name}.csr`), { force: true });
  await rm(path.join(dir, `${name}.ext`), { force: true });
}

function subjectOf(identity: ClientIdentity): string {
  // openssl's -subj: "/O=g1/O=g2/CN=user"; '/' and '=' must not occur in names (they don't).
  return `${identity.groups.map((g) => `/O=${g}`).join('')}/CN=${identity.user}`;
}

const SERVING = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth,clientAuth',
];
const CLIENT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=clientAuth',
];

/** The first address of the service CIDR is the `kubernetes` Service's ClusterIP. */
export const SERVICE_CIDR = '10.96.0.0/16';
const KUBERNETES_SERVICE_IP = '10.96.0.1';

export async function ensurePki(ctx: StackContext): Promise<void> {
  const dir = pkiDir(ctx);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  if (!existsSync(path.join(dir, 'ca.crt')) || !existsSync(path.join(dir, 'ca.key'))) {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '3650',
        '-sha256',
        '-subj',
        '/CN=ml-portal-stack-ca',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      ],
      dir,
    );
  }

  const names = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
  await signed(dir, 'apiserver', '/CN=kube-apiserver', [
    ...SERVING,
    `subjectAltName=${[...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1', `IP:${KUBERNETES_SERVICE_IP}`].join(',')}`,
  ]);
  await signed(dir, 'etcd', '/CN=etcd', [...SERVING, 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  // The health endpoints of kube-controller-manager and kube-scheduler.
  await signed(dir, 'controlplane-serving', '/CN=control-plane-serving', [
    ...SERVING,
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  for (const identity of CLIENT_CERTS) await signed(dir, identity.name, subjectOf(identity), CLIENT);

  if (!existsSync(path.join(dir, 'sa.key')) || !existsSync(path.join(dir, 'sa.pub'))) {
    await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
    await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  }
}
