/**
 * The MLflow 3 tracking server from PyPI, in a virtualenv of its own under the cache
 * (`<cacheDir>/mlflow-venv-<version>`, made once, remade only when a pin changes), on the stack's
 * PostgreSQL (database `mlflow`) with its artifacts in MinIO, workspaces on.
 *
 * Artifacts: `--default-artifact-root s3://mlflow-artifacts` makes every run's `artifact_uri` a
 * real S3 location (`s3://mlflow-artifacts/workspaces/<tenant>/<experiment id>/<run id>/artifacts`)
 * that the portal reads with presigned URLs and KServe loads as a `storageUri`; clients that log
 * write to MinIO directly. `--serve-artifacts --artifacts-destination s3://mlflow-artifacts` keeps
 * the server's artifact proxy (`/api/2.0/mlflow-artifacts/...`, the UI's downloads) on the same
 * bucket. (`mlflow-artifacts:/` roots — the default with `--serve-artifacts` alone — would give
 * URIs that only MLflow can resolve.)
 *
 * Workspaces: mlflow-kubernetes-plugins' `kubernetes` provider maps each Kubernetes namespace
 * labelled `mlp.example.com/tenant` to the workspace of the same name (read-only: a workspace is
 * made by making the namespace). A REST client picks one with the `X-MLFLOW-WORKSPACE` header;
 * there is no default workspace, so a request without the header sees no tenant's data.
 * `STACK_MLFLOW_WORKSPACES=builtin` swaps in MLflow's own SQL workspace store (the seeder then
 * creates the workspaces through the API) for work without the Kubernetes control plane.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { httpOk, startProcess, stopProcess } from '../lib/processes';
import { progress } from '../lib/progress';
import { withMachineLock } from '../lib/machine-lock';
import { runCommand } from '../lib/run-command';
import { VERSIONS } from '../versions';
import { MLFLOW_BUCKET, S3_REGION, minioCredentials, minioUrl } from './minio';
import { ensureDatabase } from './postgres';

/** Namespaces with this label are MLflow workspaces (the tenant namespaces). */
export const WORKSPACE_NAMESPACE_LABEL = 'mlp.example.com/tenant';
export const WORKSPACE_HEADER = 'X-MLFLOW-WORKSPACE';

export type WorkspaceProvider = 'kubernetes' | 'builtin';

export function workspaceProvider(env: NodeJS.ProcessEnv = process.env): WorkspaceProvider {
  return env.STACK_MLFLOW_WORKSPACES === 'builtin' ? 'builtin' : 'kubernetes';
}

export function mlflowUrl(ctx: StackContext): string {
  return `http://${HOST}:${ctx.ports.mlflow}`;
}

const MLFLOW_DIR = (ctx: StackContext) => path.join(ctx.root, 'stack', 'mlflow');

export function venvDir(ctx: StackContext): string {
  return path.join(ctx.cacheDir, `mlflow-venv-${VERSIONS.mlflow}`);
}

export function venvPython(ctx: StackContext): string {
  return path.join(venvDir(ctx), 'bin', 'python');
}

function run(command: string, args: string[], onLine?: (line: string) => void) {
  return runCommand(command, args, onLine, { PIP_DISABLE_PIP_VERSION_CHECK: '1' });
}

interface Python {
  /** The interpreter itself (a pyenv shim resolved to what it runs). */
  executable: string;
  version: string;
}

async function inspectPython(python: string): Promise<Python | null> {
  const { code, output } = await run(python, [
    '-c',
    'import sys; print("%d.%d" % sys.version_info[:2], sys.executable)',
  ]);
  const match = code === 0 ? /^(\d+\.\d+) (.+)$/m.exec(output.trim()) : null;
  return match ? { version: match[1]!, executable: match[2]! } : null;
}

/**
 * A Python 3.12 or 3.13 (mlflow-kubernetes-plugins requires >= 3.12; constraints.txt was frozen on
 * 3.12): STACK_PYTHON, else the newest 3.12 (then 3.13) that pyenv has installed, else python3.12,
 * python3.13 or python3 on the PATH.
 */
export async function findPython(env: NodeJS.ProcessEnv = process.env): Promise<Python> {
  const pyenvRoot = env.PYENV_ROOT ?? path.join(homedir(), '.pyenv');
  const installed = existsSync(path.join(pyenvRoot, 'versions')) ? readdirSync(path.join(pyenvRoot, 'versions')) : [];
  const pyenv = (minor: string) =>
    installed
      .filter((v) => v.startsWith(`${minor}.`) && /^\d+\.\d+\.\d+$/.test(v))
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
      .map((v) => path.join(pyenvRoot, 'versions', v, 'bin', 'python3'));
  const candidates = env.STACK_PYTHON
    ? [env.STACK_PYTHON]
    : [...pyenv('3.12'), ...pyenv('3.13'), 'python3.12', 'python3.13', 'python3'];
  for (const candidate of candidates) {
    const python = await inspectPython(candidate);
    if (python && (python.version === '3.12' || python.version === '3.13')) return python;
  }
  throw new Error(
    `MLflow's workspace plugin (mlflow-kubernetes-plugins ${VERSIONS.mlflowKubernetesPlugins}) needs Python 3.12 or 3.13; none found ` +
      `(tried ${candidates.join(', ')}). Install one (e.g. \`pyenv install 3.12\`) or point STACK_PYTHON at it.`,
  );
}

/** Changes when a pin (or the interpreter's minor version) changes; stored in the venv once installed. */
function installKey(ctx: StackContext, pythonMinor: string): string {
  const hash = createHash('sha256').update(pythonMinor);
  for (const file of ['requirements.txt', 'constraints.txt'])
    hash.update(readFileSync(path.join(MLFLOW_DIR(ctx), file)));
  return hash.digest('hex').slice(0, 16);
}

const markerFile = (ctx: StackContext) => path.join(venvDir(ctx), '.stack-install-key');

/**
 * Creates the virtualenv and installs the pinned requirements unless they are installed already.
 * The virtualenv is shared by every checkout on the machine: one install at a time, and whoever
 * waited finds it done.
 */
export async function ensureVenv(ctx: StackContext): Promise<void> {
  const python = await findPython();
  const key = installKey(ctx, python.version);
  const installed = () => existsSync(markerFile(ctx)) && readFileSync(markerFile(ctx), 'utf8').trim() === key;
  if (installed()) return;
  await withMachineLock(
    `${venvDir(ctx)}.lock`,
    async () => {
      if (!installed()) await installVenv(ctx, python, key);
    },
    (holder) =>
      progress('mlflow', `waiting for another install of MLflow's virtualenv on this machine (process ${holder})`),
  );
}

async function installVenv(ctx: StackContext, python: Python, key: string): Promise<void> {
  const dir = venvDir(ctx);
  const started = Date.now();
  progress(
    'mlflow',
    `installing MLflow ${VERSIONS.mlflow} from PyPI into ${dir} (Python ${python.version}, ${python.executable}) — first time only, this takes minutes`,
  );
  await rm(dir, { recursive: true, force: true });
  const created = await run(python.executable, ['-m', 'venv', dir]);
  if (created.code !== 0)
    throw new Error(`could not create the MLflow virtualenv with ${python.executable}:\n${created.output}`);

  let collected = 0;
  let installing = false;
  let last = Date.now();
  const pip = await run(
    path.join(dir, 'bin', 'python'),
    [
      '-m',
      'pip',
      'install',
      '--progress-bar',
      'off',
      '-r',
      path.join(MLFLOW_DIR(ctx), 'requirements.txt'),
      '-c',
      path.join(MLFLOW_DIR(ctx), 'constraints.txt'),
    ],
    (line) => {
      const collecting = /^Collecting (\S+)/.exec(line);
      if (collecting) collected++;
      if (line.startsWith('Installing collected packages')) {
        installing = true;
        progress('mlflow', `… downloaded ${collected} packages; installing them`);
        last = Date.now();
      } else if (Date.now() - last > 10_000) {
        last = Date.now();
        progress(
          'mlflow',
          installing
            ? '… still installing'
            : `… ${collected} packages resolved (${collecting?.[1] ?? line.trim().slice(0, 80)})`,
        );
      }
    },
  );
  if (pip.code !== 0)
    throw new Error(
      `pip could not install MLflow's requirements:\n${pip.output.trimEnd().split('\n').slice(-30).join('\n')}`,
    );
  await writeFile(markerFile(ctx), `${key}\n`);
  progress('mlflow', `installed MLflow ${VERSIONS.mlflow} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** What the server and the seeder need to reach MinIO (boto3 reads these). */
export function s3Env(ctx: StackContext): Record<string, string> {
  const { accessKeyId, secretAccessKey } = minioCredentials();
  return {
    MLFLOW_S3_ENDPOINT_URL: minioUrl(ctx),
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_DEFAULT_REGION: S3_REGION,
    // MinIO is reached by IP: path-style addressing.
    AWS_S3_ADDRESSING_STYLE: 'path',
  };
}

const ready = (ctx: StackContext) => httpOk(`${mlflowUrl(ctx)}/health`);

export const mlflow: Component = {
  name: 'mlflow',
  dependsOn: workspaceProvider() === 'kubernetes' ? ['postgres', 'minio', 'kubernetes'] : ['postgres', 'minio'],
  url: mlflowUrl,
  install: ensureVenv,
  async start(ctx) {
    await ensureVenv(ctx);
    // SQLAlchemy 2.1 maps plain `postgresql://` to psycopg 3; the venv has psycopg2 (binary wheels).
    const backendStore = (await ensureDatabase(ctx, 'mlflow')).replace(/^postgresql:/, 'postgresql+psycopg2:');
    const provider = workspaceProvider();
    if (provider === 'kubernetes' && !existsSync(ctx.kubeconfig)) {
      throw new Error(
        `MLflow's workspaces are Kubernetes namespaces, but there is no kubeconfig at ${ctx.kubeconfig}: start the kubernetes component first`,
      );
    }
    const port = ctx.ports.mlflow;
    const args = [
      'server',
      '--host',
      HOST,
      '--port',
      String(port),
      '--backend-store-uri',
      backendStore,
      '--default-artifact-root',
      `s3://${MLFLOW_BUCKET}`,
      '--serve-artifacts',
      '--artifacts-destination',
      `s3://${MLFLOW_BUCKET}`,
      '--enable-workspaces',
      // One uvicorn worker (~285 MB, beside the ~280 MB `mlflow server` parent that supervises it).
      '--workers',
      '1',
      '--allowed-hosts',
      `${HOST}:${port},localhost:${port},${HOST},localhost`,
    ];
    if (provider === 'kubernetes')
      args.push(
        '--workspace-store-uri',
        `kubernetes://?label_selector=${encodeURIComponent(WORKSPACE_NAMESPACE_LABEL)}`,
      );
    await startProcess(ctx, {
      name: 'mlflow',
      command: path.join(venvDir(ctx), 'bin', 'mlflow'),
      args,
      env: {
        ...s3Env(ctx),
        KUBECONFIG: ctx.kubeconfig,
        MLFLOW_K8S_DEFAULT_WORKSPACE: '',
        // No telemetry and no calls out: the stack runs air-gapped.
        MLFLOW_DISABLE_TELEMETRY: 'true',
        DO_NOT_TRACK: 'true',
        PYTHONUNBUFFERED: '1',
        // The job runner (GenAI scorers, prompt optimisation) forks seven huey consumers of
        // ~200 MB each; nothing here uses MLflow jobs.
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
      },
      ready: () => ready(ctx),
      // The first start creates the schema (alembic migrations) in PostgreSQL.
      timeoutMs: 180_000,
    });
  },
  isUp: ready,
  stop: (ctx) => stopProcess(ctx, 'mlflow', 20_000),
  env: (ctx) => ({
    MLFLOW_TRACKING_URI: mlflowUrl(ctx),
    MLFLOW_WORKSPACE_HEADER: WORKSPACE_HEADER,
    // The local platform's serving runtime loads models with the MLflow it installs (the
    // simulator plays KServe's MLflow server): platform health judges unsigned models against it.
    PLATFORM_SERVING_MLFLOW_VERSION: VERSIONS.mlflow,
  }),
};
