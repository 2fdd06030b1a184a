/**
 * The demo's pipeline that files its own promotion request: an Argo Workflow in tenant fraud,
 * `train-fraud-detector-<suffix>`, whose last step (a Python script template,
 * stack/pipeline/request_promotion.py — the README's snippet) files a promotion request for a
 * registered version through POST /api/v1/t/fraud/promotions, with a tenant service token.
 *
 * The local cluster runs no containers (kwok) and has no Argo controller, so this module plays
 * both for that one step: it reads the step's environment from the Workflow as a kubelet would —
 * the token from the Kubernetes Secret its `secretKeyRef` names, `{{workflow.…}}` placeholders
 * filled as Argo would — runs the script on this machine, and writes the outcome into the
 * Workflow's status as Argo would: Succeeded with the request's id and page as output parameters,
 * or Failed with the portal's reason.
 *
 * Where it runs: it needs the portal's real HTTP API, so not in `npm run stack -- seed` (no portal
 * runs then) but in stack/demo.ts once the portal answers, against that portal's database — the
 * demo and the browser tests (stack/demo.ts is their web server) both show the request. The token
 * is created as a tenant admin through lib/api-tokens/service.ts, as an admin would in the portal.
 * Once per portal database: a database that already holds a request filed by this pipeline is
 * left alone; otherwise the database's earlier runs of the pipeline (left by a failed attempt, or
 * by a recreated database) are replaced by a new one.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { createApiToken, revokeApiToken } from '../../lib/api-tokens/service';
import { loadSessionUser } from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import { venvPython } from '../components/mlflow';
import { adminKubeConfig, errorCode } from '../kubernetes/apply';
import type { StackContext } from '../lib/context';
import { progress } from '../lib/progress';
import { LABELS } from './kubernetes';
import type { SeededModels } from './mlflow';

export const PIPELINE = {
  tenant: 'fraud',
  /** The WorkflowTemplate-like name: the pipelines page groups runs by it. */
  template: 'train-fraud-detector',
  /** The service token's name in the portal: the pipeline it is for. */
  tokenName: 'train-fraud-detector',
  /** The Kubernetes Secret in the tenant's namespace holding the token (key `token`). */
  secret: 'portal-api-token',
  scopes: ['promotion.request', 'promotion.read'] as const,
} as const;

/** Marks the Workflows of this pipeline, and which portal database each ran against. */
export const FILES_PROMOTION_LABEL = 'mlp.example.com/files-promotion';
export const PORTAL_DATABASE_LABEL = 'mlp.example.com/portal-database';

const WORKFLOWS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;
const SCRIPT = path.resolve(import.meta.dirname, '../pipeline/request_promotion.py');
/** Where the step writes its output parameters in its container. */
const OUTPUTS_DIR = '/tmp/outputs';
const STEP_TIMEOUT_MS = 120_000;
const EARLIER_STEPS = ['prepare-data', 'train', 'evaluate', 'register-model'] as const;
const LAST_STEP = 'request-promotion';

export interface PipelineVersion {
  model: string;
  version: string;
}

/**
 * The version the pipeline files: fraud's newest signed version that is neither the champion nor
 * the challenger (the challenger is the one people request by hand in the demo and the browser
 * tests; one open request per version). Its gates pass against the champion.
 */
export function pipelineVersion(models: SeededModels): PipelineVersion {
  const fraud = models.tenants.find((t) => t.tenant === PIPELINE.tenant);
  const version = fraud?.versions
    .toReversed()
    .find((v) => v.signature && v.version !== fraud.champion.version && v.version !== fraud.challenger.version);
  if (!fraud || !version)
    throw new Error(`MLflow has no version of ${PIPELINE.tenant}'s model for the pipeline to file`);
  return { model: fraud.model, version: version.version };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

interface WorkflowNode {
  id: string;
  name: string;
  displayName: string;
  type: string;
  templateName: string;
  phase: string;
  boundaryID?: string;
  startedAt: string;
  finishedAt: string | null;
  message?: string;
  children?: string[];
  outputs?: { parameters?: { name: string; value: string }[]; result?: string; exitCode?: string };
}

export interface PromotionWorkflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Workflow';
  metadata: { name: string; namespace: string; labels: Record<string, string>; resourceVersion?: string };
  spec: {
    entrypoint: string;
    arguments: { parameters: { name: string; value: string }[] };
    templates: Record<string, unknown>[];
  };
  status: {
    phase: 'Running' | 'Succeeded' | 'Failed';
    startedAt: string;
    finishedAt: string | null;
    progress: string;
    message?: string;
    nodes: Record<string, WorkflowNode>;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The step as a team would write it in its own Workflow (see the README): env from parameters and the Secret. */
function requestPromotionTemplate(source: string, portalUrl: string) {
  const env: EnvVar[] = [
    // In a cluster, the portal's Service URL; here, where the local portal listens.
    { name: 'PORTAL_URL', value: portalUrl },
    { name: 'PORTAL_TOKEN', valueFrom: { secretKeyRef: { name: PIPELINE.secret, key: 'token' } } },
    { name: 'TENANT', value: '{{workflow.parameters.tenant}}' },
    { name: 'MODEL_NAME', value: '{{workflow.parameters.model}}' },
    { name: 'MODEL_VERSION', value: '{{workflow.parameters.version}}' },
    { name: 'MODEL_CARD_URL', value: '{{workflow.parameters.model-card-url}}' },
    {
      name: 'NOTES',
      value:
        'Registered by pipeline {{workflow.name}} after its evaluate step passed; filed for review by its last step.',
    },
    { name: 'PIPELINE_RUN', value: '{{workflow.name}}' },
    { name: 'OUTPUTS_DIR', value: OUTPUTS_DIR },
  ];
  return {
    name: LAST_STEP,
    script: { image: 'python:3.12-slim', command: ['python'], source, env },
    outputs: {
      parameters: [
        { name: 'request-id', valueFrom: { path: `${OUTPUTS_DIR}/request-id` } },
        { name: 'request-href', valueFrom: { path: `${OUTPUTS_DIR}/request-href` } },
      ],
    },
  };
}

/**
 * The Workflow as submitted, with the status Argo would have written when its last step starts:
 * the training steps done (they ran over the last hour), the request step running.
 */
export function promotionWorkflow(options: {
  name: string;
  version: PipelineVersion;
  portalUrl: string;
  database: string;
  source: string;
  now: number;
}): PromotionWorkflow {
  const { name, now } = options;
  const started = now - 52 * 60_000;
  const span = (now - started) / EARLIER_STEPS.length;
  const steps = [...EARLIER_STEPS, LAST_STEP];
  const nodes: Record<string, WorkflowNode> = {
    [name]: {
      id: name,
      name,
      displayName: name,
      type: 'Steps',
      templateName: 'main',
      phase: 'Running',
      startedAt: iso(started),
      finishedAt: null,
      children: steps.map((_, i) => `${name}-${i}`),
    },
  };
  steps.forEach((step, i) => {
    const last = step === LAST_STEP;
    nodes[`${name}-${i}`] = {
      id: `${name}-${i}`,
      name: `${name}[${i}].${step}`,
      displayName: step,
      type: 'Pod',
      templateName: step,
      phase: last ? 'Running' : 'Succeeded',
      boundaryID: name,
      startedAt: iso(last ? now : started + i * span),
      finishedAt: last ? null : iso(started + (i + 1) * span),
    };
  });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name,
      namespace: PIPELINE.tenant,
      labels: {
        'workflows.argoproj.io/phase': 'Running',
        'workflows.argoproj.io/completed': 'false',
        'workflows.argoproj.io/workflow-template': PIPELINE.template,
        [LABELS.tenant]: PIPELINE.tenant,
        'mlp.example.com/pipeline': PIPELINE.template,
        [FILES_PROMOTION_LABEL]: 'true',
        [PORTAL_DATABASE_LABEL]: options.database,
      },
    },
    spec: {
      entrypoint: 'main',
      arguments: {
        parameters: [
          { name: 'tenant', value: PIPELINE.tenant },
          { name: 'model', value: options.version.model },
          { name: 'version', value: options.version.version },
          {
            name: 'model-card-url',
            value: `https://wiki.example.com/${PIPELINE.tenant}/${options.version.model}/model-card`,
          },
        ],
      },
      templates: [
        { name: 'main', steps: steps.map((step) => [{ name: step, template: step }]) },
        ...EARLIER_STEPS.map((step) => ({
          name: step,
          container: {
            image: 'registry.example.com/fraud/trainer:2.4.1',
            command: ['python', '-m', `pipeline.${step.replaceAll('-', '_')}`],
          },
        })),
        requestPromotionTemplate(options.source, options.portalUrl),
      ],
    },
    status: {
      phase: 'Running',
      startedAt: iso(started),
      finishedAt: null,
      progress: `${EARLIER_STEPS.length}/${steps.length}`,
      nodes,
    },
  };
}

/** Fills Argo's `{{workflow.name}}` and `{{workflow.parameters.<name>}}` placeholders. */
export function fillPlaceholders(text: string, workflow: Pick<PromotionWorkflow, 'metadata' | 'spec'>): string {
  const parameters = new Map(workflow.spec.arguments.parameters.map((p) => [p.name, p.value]));
  return text.replace(
    /\{\{\s*workflow\.(name|parameters\.([\w-]+))\s*\}\}/g,
    (whole, _key: string, parameter?: string) =>
      parameter === undefined ? workflow.metadata.name : (parameters.get(parameter) ?? whole),
  );
}

function lastStepTemplate(workflow: PromotionWorkflow) {
  return workflow.spec.templates.find((t) => t.name === LAST_STEP) as ReturnType<typeof requestPromotionTemplate>;
}

/** The step's environment as the kubelet gives it to the container: values filled, Secret keys read. */
async function stepEnvironment(core: CoreV1Api, workflow: PromotionWorkflow): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const variable of lastStepTemplate(workflow).script.env) {
    if (variable.valueFrom) {
      const { name, key } = variable.valueFrom.secretKeyRef;
      const secret = await core.readNamespacedSecret({ namespace: workflow.metadata.namespace, name });
      const encoded = secret.data?.[key];
      if (!encoded) throw new Error(`Secret ${workflow.metadata.namespace}/${name} has no key ${key}`);
      env[variable.name] = Buffer.from(encoded, 'base64').toString('utf8');
    } else env[variable.name] = fillPlaceholders(variable.value ?? '', workflow);
  }
  return env;
}

interface StepOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  parameters: { name: string; value: string }[];
}

/** Runs the script template's source with the container's `python` played by the stack's Python. */
async function executeStep(ctx: StackContext, workflow: PromotionWorkflow, env: Record<string, string>) {
  const template = lastStepTemplate(workflow);
  const sandbox = await mkdtemp(path.join(tmpdir(), `${workflow.metadata.name}-`));
  try {
    const script = path.join(sandbox, 'script');
    await writeFile(script, template.script.source);
    const outputs = path.join(sandbox, 'outputs');
    // Only the step's own environment, as in its container (no proxies, no portal secrets of this process).
    // (Next.js's types require NODE_ENV in every process environment; a Python step has none.)
    const childEnv = {
      ...env,
      OUTPUTS_DIR: outputs,
      PYTHONUNBUFFERED: '1',
      LANG: 'C.UTF-8',
    } as unknown as NodeJS.ProcessEnv;
    const result = await new Promise<Omit<StepOutcome, 'parameters'>>((resolve) => {
      const child = spawn(venvPython(ctx), [script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ exitCode: -1, stdout, stderr: `${stderr}${error.message}` });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({
          exitCode: code ?? -1,
          stdout,
          stderr: signal ? `${stderr}killed (${signal}) after ${STEP_TIMEOUT_MS / 1000} s` : stderr,
        });
      });
    });
    const parameters: StepOutcome['parameters'] = [];
    if (result.exitCode === 0) {
      for (const parameter of template.outputs.parameters) {
        const local = path.join(outputs, path.relative(OUTPUTS_DIR, parameter.valueFrom.path));
        parameters.push({ name: parameter.name, value: (await readFile(local, 'utf8')).trim() });
      }
    }
    return { ...result, parameters };
  } finally {
    await rm(sandbox, { recursive: true, force: true });
  }
}

/** The Workflow after its last step ended, as Argo records it. */
export function finishedWorkflow(workflow: PromotionWorkflow, outcome: StepOutcome, now: number): PromotionWorkflow {
  const succeeded = outcome.exitCode === 0;
  const phase = succeeded ? 'Succeeded' : 'Failed';
  const reason = outcome.stderr.trim().split('\n').filter(Boolean);
  const message = succeeded
    ? undefined
    : `${reason[0] ?? `exit code ${outcome.exitCode}`}${reason.length > 1 ? ` (${reason.slice(1).join('; ').trim()})` : ''}`.slice(
        0,
        1000,
      );
  const nodes = { ...workflow.status.nodes };
  const lastId = `${workflow.metadata.name}-${EARLIER_STEPS.length}`;
  nodes[lastId] = {
    ...nodes[lastId]!,
    phase,
    finishedAt: iso(now),
    ...(message ? { message } : {}),
    outputs: {
      exitCode: String(outcome.exitCode),
      ...(succeeded ? { parameters: outcome.parameters, result: outcome.stdout.trim() } : {}),
    },
  };
  const root = workflow.metadata.name;
  nodes[root] = { ...nodes[root]!, phase, finishedAt: iso(now), ...(message ? { message } : {}) };
  return {
    ...workflow,
    metadata: {
      ...workflow.metadata,
      labels: {
        ...workflow.metadata.labels,
        'workflows.argoproj.io/phase': phase,
        'workflows.argoproj.io/completed': 'true',
      },
    },
    status: {
      ...workflow.status,
      phase,
      finishedAt: iso(now),
      progress: succeeded ? `${EARLIER_STEPS.length + 1}/${EARLIER_STEPS.length + 1}` : workflow.status.progress,
      ...(message ? { message: `child step "${LAST_STEP}" failed: ${message}` } : {}),
      nodes,
    },
  };
}

/** A fraud admin in the portal's database: the service token is theirs to create. */
async function tenantAdmin() {
  const membership = await getDb().membership.findFirst({
    where: { tenant: { name: PIPELINE.tenant }, role: 'admin' },
    orderBy: { user: { username: 'asc' } },
  });
  const user = membership ? await loadSessionUser(membership.userId) : null;
  if (!user)
    throw new Error(`tenant ${PIPELINE.tenant} has no admin in the portal's database to create the service token`);
  return user;
}

/** A new service token for the pipeline (earlier ones of that name revoked: a rotation), as the tenant admin makes it. */
async function rotateServiceToken(): Promise<string> {
  const admin = await tenantAdmin();
  const earlier = await getDb().apiToken.findMany({
    where: { kind: 'service', name: PIPELINE.tokenName, tenant: { name: PIPELINE.tenant }, revokedAt: null },
    select: { id: true },
  });
  for (const token of earlier) await revokeApiToken(admin, { tokenId: token.id });
  const created = await createApiToken(admin, {
    kind: 'service',
    tenant: PIPELINE.tenant,
    name: PIPELINE.tokenName,
    scopes: [...PIPELINE.scopes],
  });
  return created.secret;
}

/** Writes the token into the tenant namespace's Secret, as the admin would with kubectl. */
async function storeTokenSecret(core: CoreV1Api, secret: string): Promise<void> {
  const body = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: PIPELINE.secret,
      namespace: PIPELINE.tenant,
      labels: { [LABELS.tenant]: PIPELINE.tenant, 'mlp.example.com/pipeline': PIPELINE.template },
    },
    type: 'Opaque',
    stringData: { token: secret },
  };
  try {
    await core.replaceNamespacedSecret({ namespace: PIPELINE.tenant, name: PIPELINE.secret, body });
  } catch (error) {
    if (errorCode(error) !== 404) throw error;
    await core.createNamespacedSecret({ namespace: PIPELINE.tenant, body });
  }
}

export interface PipelineRun {
  workflow: string;
  phase: 'Succeeded' | 'Failed' | 'Skipped';
  requestId?: string;
  message?: string;
}

/**
 * Runs the pipeline's last step against the portal at `portalUrl` (whose database is
 * DATABASE_URL, named `database`), unless that database already has its request.
 */
export async function runPromotionPipeline(
  ctx: StackContext,
  options: { portalUrl: string; database: string; version: PipelineVersion; kubeConfig?: KubeConfig },
): Promise<PipelineRun> {
  const filed = await getDb().promotionRequest.findFirst({
    where: { tenant: { name: PIPELINE.tenant }, pipeline: { startsWith: `${PIPELINE.template}-` } },
    orderBy: { createdAt: 'desc' },
  });
  if (filed) {
    progress('pipeline', `${filed.pipeline} already filed ${filed.modelName} v${filed.version} (request ${filed.id})`);
    return { workflow: filed.pipeline!, phase: 'Skipped', requestId: filed.id };
  }

  const kc = options.kubeConfig ?? adminKubeConfig(ctx);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const ref = { ...WORKFLOWS, namespace: PIPELINE.tenant };
  // This database's earlier runs filed nothing it holds: replaced by this one.
  await custom.deleteCollectionNamespacedCustomObject({
    ...ref,
    labelSelector: `${FILES_PROMOTION_LABEL}=true,${PORTAL_DATABASE_LABEL}=${options.database}`,
  });

  await storeTokenSecret(core, await rotateServiceToken());
  const name = `${PIPELINE.template}-${randomBytes(4).toString('hex').slice(0, 5)}`;
  const submitted = promotionWorkflow({
    name,
    version: options.version,
    portalUrl: options.portalUrl,
    database: options.database,
    source: await readFile(SCRIPT, 'utf8'),
    now: Date.now(),
  });
  const created = (await custom.createNamespacedCustomObject({ ...ref, body: submitted })) as PromotionWorkflow;
  progress(
    'pipeline',
    `${PIPELINE.tenant}/${name}: step ${LAST_STEP} files ${options.version.model} v${options.version.version}`,
  );

  const outcome = await executeStep(ctx, created, await stepEnvironment(core, created));
  // The CRD has no status subresource: the status is replaced with the object.
  await custom.replaceNamespacedCustomObject({ ...ref, name, body: finishedWorkflow(created, outcome, Date.now()) });
  const requestId = outcome.parameters.find((p) => p.name === 'request-id')?.value;
  const finished: PipelineRun =
    outcome.exitCode === 0
      ? { workflow: name, phase: 'Succeeded', requestId }
      : { workflow: name, phase: 'Failed', message: outcome.stderr.trim() };
  progress(
    'pipeline',
    finished.phase === 'Succeeded' ? `${name}: ${outcome.stdout.trim()}` : `${name} failed: ${finished.message}`,
  );
  return finished;
}
