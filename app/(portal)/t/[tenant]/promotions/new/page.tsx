import Link from 'next/link';
import { RequestForm } from '@/components/promotions/request-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { requireTenant } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/errors';
import { mlflowFor } from '@/lib/integrations/mlflow';
import { UpstreamError } from '@/lib/integrations/upstream';
import { gatherEvidence } from '@/lib/promotion/evaluation';
import { getPolicy } from '@/lib/promotion/policy-store';
import { requestPromotionAction } from '../actions';

export const metadata = { title: 'Request a promotion' };

type Search = Promise<{ model?: string | string[]; version?: string | string[] }>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

function Problem({ children }: { children: React.ReactNode }) {
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      {children}
    </p>
  );
}

async function Chooser({ tenant, model }: { tenant: string; model?: string }) {
  const mlflow = mlflowFor(tenant);
  const models = (await mlflow.searchRegisteredModels({ maxResults: 200 })).models;
  const versions = model ? await mlflow.searchModelVersions(model) : [];
  return (
    <form method="get" className="flex flex-wrap items-end gap-4">
      <div className="space-y-1">
        <label htmlFor="choose-model" className="block text-sm font-medium">
          Model
        </label>
        <select id="choose-model" name="model" defaultValue={model ?? ''} className={inputClass}>
          <option value="" disabled>
            Choose a registered model
          </option>
          {models.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      {model ? (
        <div className="space-y-1">
          <label htmlFor="choose-version" className="block text-sm font-medium">
            Version
          </label>
          <select id="choose-version" name="version" defaultValue="" className={inputClass}>
            <option value="" disabled>
              Choose a version
            </option>
            {versions
              .toSorted((a, b) => Number(b.version) - Number(a.version))
              .map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
                </option>
              ))}
          </select>
        </div>
      ) : null}
      <button type="submit" className={buttonClass.secondary}>
        {model ? 'Check this version' : 'Show versions'}
      </button>
    </form>
  );
}

export default async function NewPromotionPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Search }) {
  const { tenant: name } = await params;
  const { tenant } = await requireTenant(name, 'promotion.request');
  const query = await searchParams;
  const model = first(query.model);
  const version = first(query.version);

  let body: React.ReactNode;
  try {
    if (!model || !version) {
      body = <Chooser tenant={tenant.name} model={model} />;
    } else {
      const { policy } = await getPolicy(tenant.name);
      const evidence = await gatherEvidence(tenant.name, model, version, policy);
      body = (
        <RequestForm
          tenant={tenant.name}
          action={requestPromotionAction}
          evidence={{
            policy,
            version: { name: evidence.version.name, version: evidence.version.version, runId: evidence.version.runId, source: evidence.version.source },
            run: evidence.run ? { runId: evidence.run.runId, artifactUri: evidence.run.artifactUri, metrics: evidence.run.metrics } : null,
            champion: evidence.champion,
            mlmodelExists: evidence.mlmodelExists,
            signatureLogged: evidence.signatureLogged,
          }}
        />
      );
    }
  } catch (error) {
    if (!(error instanceof UserFacingError || error instanceof UpstreamError)) throw error;
    body = (
      <div className="space-y-4">
        <Problem>{error.message}</Problem>
        {error instanceof UserFacingError ? <Chooser tenant={tenant.name} model={model} /> : null}
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title={model && version ? `Promote ${model} v${version}` : 'Request a promotion'}
        description="The version is checked against this tenant's policy. Once approved it is deployed as a canary and judged automatically."
        actions={
          <Link href={`/t/${tenant.name}/promotions`} className={buttonClass.secondary}>
            All requests
          </Link>
        }
      />
      <Card>{body}</Card>
    </>
  );
}
