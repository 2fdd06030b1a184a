import Link from 'next/link';
import { RequestForm } from '@/components/promotions/request-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { UserFacingError } from '@/lib/errors';
import { mlflowFor } from '@/lib/integrations/mlflow';
import { UpstreamError } from '@/lib/integrations/upstream';
import { gateInputOf, gatherEvidence } from '@/lib/promotion/evaluation';
import type { GateInput } from '@/lib/promotion/gates';
import { getPolicy } from '@/lib/promotion/policy-store';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';

export const metadata = { title: 'Request a promotion' };

type Search = { model?: string | string[]; version?: string | string[] };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

function Problem({ children }: { children: React.ReactNode }) {
  return (
    <p
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      {children}
    </p>
  );
}

/** The tenant's models, and the chosen one's versions; what MLflow could not answer, in words instead. */
async function loadChoices(tenant: string, model: string | undefined) {
  const mlflow = mlflowFor(tenant);
  let models: Awaited<ReturnType<typeof mlflow.searchRegisteredModels>>['models'];
  try {
    models = (await mlflow.searchRegisteredModels({ maxResults: 200 })).models;
  } catch (error) {
    if (error instanceof UpstreamError) return { models: [], chosen: undefined, versions: [], problem: error.message };
    throw error;
  }
  if (!model) return { models, chosen: undefined, versions: [], problem: null };
  try {
    return { models, chosen: model, versions: await mlflow.searchModelVersions(model), problem: null };
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    // Another tenant's model, or a typo: this tenant's registry has no such model.
    const problem =
      error.kind === 'not-found'
        ? `This tenant has no registered model named “${model.slice(0, 200)}”. Choose one of its models.`
        : error.message;
    return { models, chosen: undefined, versions: [], problem };
  }
}

/** `showProblem`: false where the page already says what is wrong with the choice. */
async function Chooser({
  tenant,
  model,
  showProblem = true,
}: {
  tenant: string;
  model?: string;
  showProblem?: boolean;
}) {
  const { models, chosen, versions, problem } = await loadChoices(tenant, model);
  model = chosen;
  return (
    <>
      {problem && showProblem ? <Problem>{problem}</Problem> : null}
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
    </>
  );
}

/** What the gates need, or the message to show instead (a bad version number, MLflow down…). */
async function loadEvidence(
  tenant: string,
  model: string,
  version: string,
): Promise<{ evidence: Omit<GateInput, 'evidence'> } | { problem: string; chooseAgain: boolean }> {
  try {
    const { policy } = await getPolicy(tenant);
    return { evidence: gateInputOf(await gatherEvidence(tenant, model, version, policy), policy) };
  } catch (error) {
    if (error instanceof UserFacingError) return { problem: error.message, chooseAgain: true };
    if (error instanceof UpstreamError) return { problem: error.message, chooseAgain: false };
    throw error;
  }
}

export default async function NewPromotionPage({
  params,
  searchParams,
}: TenantPageProps<Record<never, never>, Search>) {
  const { tenant } = await openTenantPage(params, 'promotion.request');
  const query = await searchParams;
  const model = first(query.model);
  const version = first(query.version);

  const loaded = model && version ? await loadEvidence(tenant.name, model, version) : null;
  let body: React.ReactNode;
  if (!loaded) {
    body = <Chooser tenant={tenant.name} model={model} />;
  } else if ('problem' in loaded) {
    body = (
      <div className="space-y-4">
        <Problem>{loaded.problem}</Problem>
        {loaded.chooseAgain ? <Chooser tenant={tenant.name} model={model} showProblem={false} /> : null}
      </div>
    );
  } else {
    body = <RequestForm tenant={tenant.name} evidence={loaded.evidence} />;
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
