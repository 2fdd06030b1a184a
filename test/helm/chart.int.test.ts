/**
 * The Helm chart deploy/helm/ml-platform-portal, with Helm built from its Go module: lint and
 * render with the default (only the required values), trial and production values; what the
 * renders hold; the schema refusing wrong values; the admission guard rendered from the same files
 * as deploy/admission/; and every rendered object accepted by a server-side dry run against the
 * local platform's API server.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { KubernetesObject, V1Deployment, V1NetworkPolicy } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../stack/kubernetes/apply';
import {
  CHART,
  PRODUCTION_VALUES,
  REQUIRED_VALUES,
  ROOT,
  TRIAL_VALUES,
  adminConfig,
  ensureNamespace,
  find,
  render,
  renderError,
  runHelm,
  serverDryRun,
} from './helm';

const VARIANTS = {
  default: [REQUIRED_VALUES],
  trial: [REQUIRED_VALUES, TRIAL_VALUES],
  production: [PRODUCTION_VALUES],
} as const;

type Variant = keyof typeof VARIANTS;
const rendered = {} as Record<Variant, KubernetesObject[]>;
const renderMs: Record<string, number> = {};

/** The variables of README's configuration table. */
function readmeVariables(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const first = /^\|([^|]+)\|/.exec(line)?.[1] ?? '';
    for (const match of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(match[1]!);
  }
  return [...names];
}

function envNames(objects: KubernetesObject[]): Set<string> {
  const names = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'Deployment') as V1Deployment[])
    for (const c of o.spec!.template.spec!.containers) for (const e of c.env ?? []) names.add(e.name);
  return names;
}

beforeAll(async () => {
  for (const [variant, files] of Object.entries(VARIANTS) as [Variant, readonly string[]][]) {
    const { objects, ms } = await render({ valuesFiles: [...files] });
    rendered[variant] = objects;
    renderMs[variant] = ms;
  }
});

afterAll(() => {
  console.log(
    `helm template: ${Object.entries(renderMs)
      .map(([k, ms]) => `${k} ${Math.round(ms)} ms`)
      .join(', ')}`,
  );
});

describe('helm lint', () => {
  it.each(Object.keys(VARIANTS) as Variant[])('passes with the %s values (strict)', async (variant) => {
    const result = await runHelm(['lint', CHART, '--strict', ...VARIANTS[variant].flatMap((f) => ['-f', f])]);
    expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});

describe('helm template', () => {
  it('renders the web and worker Deployments of a production install', () => {
    const objects = rendered.default;
    const web = find(objects, 'Deployment', 'ml-platform-portal-web') as V1Deployment;
    const worker = find(objects, 'Deployment', 'ml-platform-portal-worker') as V1Deployment;
    expect(web.spec!.replicas).toBeGreaterThanOrEqual(2);
    expect(worker.spec!.replicas).toBeGreaterThanOrEqual(2);
    const pod = web.spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(container.image).toBe(
      `ml-platform-portal:${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`,
    );
    expect(container.livenessProbe!.httpGet!.path).toBe('/api/health');
    expect(container.readinessProbe!.httpGet!.path).toBe('/api/ready');
    expect(container.resources!.requests!.memory).toBeTruthy();
    expect(pod.topologySpreadConstraints!.map((t) => t.topologyKey)).toContain('kubernetes.io/hostname');
    // The image's entrypoint is node (deploy/image/Containerfile): the portal by default, the worker by args.
    const workerContainer = worker.spec!.template.spec!.containers[0]!;
    expect(container.args).toBeUndefined();
    expect(workerContainer.args).toEqual(['/app/worker.mjs']);
    expect(workerContainer.livenessProbe!.httpGet).toEqual({ path: '/health', port: 'metrics' });
    expect(workerContainer.env).toContainEqual({ name: 'WORKER_METRICS_PORT', value: '9464' });
    expect(container.env).toContainEqual({ name: 'SHUTDOWN_DRAIN_SECONDS', value: '20' });
    for (const p of [pod, worker.spec!.template.spec!]) {
      expect(p.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(p.automountServiceAccountToken).toBe(true);
      expect(p.serviceAccountName).toBe('ml-platform-portal');
      for (const c of p.containers) {
        expect(c.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
      expect(p.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    }
    const env = Object.fromEntries(container.env!.map((e) => [e.name, e]));
    expect(env.DATABASE_URL!.valueFrom!.secretKeyRef).toEqual({ name: 'ml-portal', key: 'DATABASE_URL' });
    expect(env.NEXTAUTH_SECRET!.valueFrom!.secretKeyRef).toEqual({ name: 'ml-portal', key: 'NEXTAUTH_SECRET' });
    expect(env.HOST!.value).toBe('0.0.0.0');
    expect(find(objects, 'ServiceAccount', 'ml-platform-portal')).toMatchObject({
      automountServiceAccountToken: false,
    });
    expect(find(objects, 'PodDisruptionBudget', 'ml-platform-portal-web')).toMatchObject({ spec: { minAvailable: 1 } });
    expect(find(objects, 'Service', 'ml-platform-portal')).toMatchObject({ spec: { ports: [{ targetPort: 'http' }] } });
    // No secret values in the render: only references.
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('renders a one-pod trial: the portal, the worker and PostgreSQL beside them on an emptyDir', async () => {
    const objects = rendered.trial;
    const web = find(objects, 'Deployment', 'ml-platform-portal-web') as V1Deployment;
    expect(web.spec!.replicas).toBe(1);
    expect(web.spec!.strategy!.type).toBe('Recreate');
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata!.name!.endsWith('-worker'))).toBe(false);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    const pod = web.spec!.template.spec!;
    expect(pod.containers.map((c) => c.name)).toEqual(['web', 'worker', 'postgres']);
    expect(pod.volumes).toContainEqual({ name: 'data', emptyDir: {} });
    const url = 'postgresql://portal:portal-trial@127.0.0.1:5432/portal';
    for (const c of pod.containers.slice(0, 2)) expect(c.env).toContainEqual({ name: 'DATABASE_URL', value: url });
    expect(pod.containers[2]!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsUser: 999 });

    // The portal's own embedded PostgreSQL instead, for an image that ships it.
    const { objects: embedded } = await render({ valuesFiles: [...VARIANTS.trial], set: ['trial.database=embedded'] });
    const embeddedPod = (find(embedded, 'Deployment', 'ml-platform-portal-web') as V1Deployment).spec!.template.spec!;
    expect(embeddedPod.containers.map((c) => c.name)).toEqual(['web', 'worker']);
    const webEnv = Object.fromEntries(embeddedPod.containers[0]!.env!.map((e) => [e.name, e.value]));
    expect(webEnv.PORTAL_DATA_DIR).toBe('/var/lib/ml-portal');
    expect('DATABASE_URL' in webEnv).toBe(false);
    expect(embeddedPod.containers[1]!.env).toContainEqual({
      name: 'DATABASE_URL',
      value: 'postgresql://postgres:postgres@127.0.0.1:54329/portal',
    });
  });

  it('renders the production example: ingress, admission guard, network policy to each upstream', () => {
    const objects = rendered.production;
    expect(find(objects, 'Ingress', 'ml-platform-portal')).toMatchObject({
      spec: { rules: [{ host: 'ml.example.internal' }], tls: [{ hosts: ['ml.example.internal'] }] },
    });
    find(objects, 'ValidatingAdmissionPolicy', 'mlp-inference-service-guard');
    find(objects, 'ValidatingAdmissionPolicyBinding', 'mlp-admission-params-guard');
    const policy = find(objects, 'NetworkPolicy', 'ml-platform-portal') as V1NetworkPolicy;
    expect(policy.spec!.policyTypes).toEqual(['Ingress', 'Egress']);
    // DNS, the API server, PostgreSQL, MLflow, object storage, Prometheus, the IdP, webhook receivers — nothing else.
    expect(policy.spec!.egress).toHaveLength(8);
    expect(policy.spec!.egress!.at(-1)).toMatchObject({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
    for (const rule of policy.spec!.egress!) expect(rule.to!.length).toBeGreaterThan(0);
    // In: the web port and the worker's metrics port, from the ingress controller and Prometheus only.
    expect(policy.spec!.ingress!.map((rule) => rule.ports)).toEqual([
      [{ port: 'http', protocol: 'TCP' }],
      [{ port: 'metrics', protocol: 'TCP' }],
    ]);
    // (client-node's model calls `from` `_from`)
    expect(policy.spec!.ingress!.map((rule) => rule._from?.length)).toEqual([2, 1]);
  });

  it("maps every variable of README's configuration table to the containers' environment", async () => {
    const variables = readmeVariables();
    expect(variables.length).toBeGreaterThan(30);
    const { objects: full } = await render({
      valuesFiles: [PRODUCTION_VALUES],
      set: [
        'kubernetes.portalKubeconfig.existingSecret=other-cluster',
        'envFile=/etc/ml-portal/extra.env',
        'prometheus.queryTemplates.fleetRequestRate=sum(rate(x[5m]))',
        'platformHealth.servingMlflowVersion=2.16.2',
        'platformHealth.versionMatrix.combinations[0].name=ours',
      ],
    });
    const { objects: embedded } = await render({ valuesFiles: [...VARIANTS.trial], set: ['trial.database=embedded'] });
    const names = new Set([...envNames(full), ...envNames(embedded)]);
    expect(variables.filter((v) => !names.has(v))).toEqual([]);
  });

  it('renders in well under a second', () => {
    for (const ms of Object.values(renderMs)) expect(ms).toBeLessThan(5_000);
  });
});

describe('values.schema.json', () => {
  it('refuses a values file without the IdP issuer, naming it', async () => {
    const message = await renderError({
      valuesFiles: [REQUIRED_VALUES],
      set: ['oidc.issuer='],
    });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toMatch(/\/oidc\/issuer/);
  });

  it('refuses a production install without the DATABASE_URL secret', async () => {
    const file = path.join(ROOT, 'test/helm/values/missing-database.yaml');
    const message = await renderError({ valuesFiles: [file] });
    expect(message).toMatch(/\/database/);
    expect(message).toMatch(/existingSecret/);
  });

  it('refuses a trial with more than one replica, a wrong URL and a root container', async () => {
    expect(await renderError({ valuesFiles: [REQUIRED_VALUES, TRIAL_VALUES], set: ['web.replicas=2'] })).toMatch(
      /\/web\/replicas/,
    );
    expect(await renderError({ valuesFiles: [REQUIRED_VALUES], set: ['publicUrl=ml.example.internal'] })).toMatch(
      /\/publicUrl/,
    );
    expect(
      await renderError({
        valuesFiles: [REQUIRED_VALUES],
        set: ['containerSecurityContext.readOnlyRootFilesystem=false'],
      }),
    ).toMatch(/readOnlyRootFilesystem/);
  });

  it('refuses a network policy that leaves the portal without its API server', async () => {
    const message = await renderError({
      valuesFiles: [REQUIRED_VALUES],
      set: ['networkPolicy.egress.kubernetesApi.cidrs=null'],
    });
    expect(message).toContain('networkPolicy.egress.kubernetesApi');
  });
});

describe('the admission guard from the same files', () => {
  it('keeps files/admission/ identical to deploy/admission/', () => {
    const source = path.join(ROOT, 'deploy/admission');
    const copy = path.join(CHART, 'files/admission');
    expect(readdirSync(copy).sort()).toEqual(readdirSync(source).sort());
    for (const file of readdirSync(source))
      expect(readFileSync(path.join(copy, file), 'utf8'), `${file} differs: cp deploy/admission/${file} ${copy}/`).toBe(
        readFileSync(path.join(source, file), 'utf8'),
      );
  });

  it("renders deploy/admission/'s objects unchanged for mlp-system/ml-platform-portal", async () => {
    const { objects } = await render({ valuesFiles: [REQUIRED_VALUES], set: ['admission.enabled=true'] });
    const source = [
      ...(await loadManifests(path.join(ROOT, 'deploy/admission/inference-service-guard.yaml'))),
      ...(await loadManifests(path.join(ROOT, 'deploy/admission/params-guard.yaml'))),
    ];
    for (const object of source) expect(find(objects, object.kind!, object.metadata!.name!)).toEqual(object);
    const rbac = await loadManifests(path.join(ROOT, 'deploy/admission/rbac.yaml'));
    for (const object of rbac.filter((o) => o.metadata!.name === 'mlp:break-glass'))
      expect(find(objects, object.kind!, 'mlp:break-glass')).toEqual(object);
    const portalRole = rbac.find((o) => o.kind === 'ClusterRole' && o.metadata!.name === 'mlp:portal-admission') as {
      rules: unknown;
    };
    expect(
      (find(objects, 'ClusterRole', 'ml-platform-portal-admission') as unknown as { rules: unknown }).rules,
    ).toEqual(portalRole.rules);
  });

  it('fills in the portal users and the break-glass group', async () => {
    const { objects } = await render({
      namespace: 'platform',
      valuesFiles: [REQUIRED_VALUES],
      set: ['admission.enabled=true', 'admission.breakGlassGroup=sre:emergency'],
    });
    const guard = find(objects, 'ValidatingAdmissionPolicy', 'mlp-inference-service-guard') as unknown as {
      spec: { variables: { name: string; expression: string }[] };
    };
    const variable = (name: string) => guard.spec.variables.find((v) => v.name === name)!.expression;
    expect(variable('portalUsers')).toBe("['system:serviceaccount:platform:ml-platform-portal']");
    expect(variable('breakGlassGroup')).toBe("'sre:emergency'");
    expect(find(objects, 'ClusterRoleBinding', 'mlp:break-glass')).toMatchObject({
      subjects: [{ kind: 'Group', name: 'sre:emergency' }],
    });
  });
});

describe('server-side dry run against the local API server', () => {
  it.each(Object.keys(VARIANTS) as Variant[])('accepts every object of the %s render', async (variant) => {
    const kc = adminConfig();
    // The render's namespace must exist for its namespaced objects; the dry run creates nothing.
    await ensureNamespace(kc, 'mlp-system');
    const objects = rendered[variant];
    expect(objects.length).toBeGreaterThan(5);
    expect(await serverDryRun(kc, objects)).toEqual([]);
  });

  it('is a real check: the API server refuses a broken object of the render', async () => {
    const web = structuredClone(find(rendered.default, 'Deployment', 'ml-platform-portal-web')) as V1Deployment;
    web.spec!.replicas = -1;
    web.spec!.template.spec!.containers[0]!.ports![0]!.containerPort = 70_000;
    const [refusal] = await serverDryRun(adminConfig(), [web as KubernetesObject]);
    expect(refusal).toMatch(/Deployment mlp-system\/ml-platform-portal-web: HTTP 422/);
    expect(refusal).toContain('spec.replicas');
    expect(refusal).toContain('containerPort');
  });
});
