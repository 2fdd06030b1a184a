import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { TokenTable } from '@/components/tokens/token-table';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { grantableScopes, listServiceTokens } from '@/lib/api-tokens/service';
import { maxTokenDays } from '@/lib/api-tokens/token';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'Service tokens' };

/** What a pipeline that files its own promotion requests needs; the admin may change it. */
const PIPELINE_SCOPES = ['promotion.request', 'promotion.read'] as const;

export default async function ServiceTokensPage({ params }: TenantPageProps) {
  // Only the tenant's admins: anyone else gets the 403 page.
  const { user, tenant } = await openTenantPage(params, 'token.manage');
  const tokens = await listServiceTokens(user, tenant.name);
  const scopes = grantableScopes(user, 'service', tenant);
  return (
    <>
      <PageHeader
        title={`Service tokens of ${tenant.displayName}`}
        description={
          <>
            A service token lets a pipeline call the REST API (
            <a className={buttonClass.link} href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>
            ) for {tenant.name} with its scopes alone — no person&apos;s roles. It never approves: four eyes need a
            person, and whoever creates it cannot approve what it files. Store it as a Kubernetes Secret in the
            tenant&apos;s namespace and give it to the pipeline step as an environment variable.
          </>
        }
      />
      <Card title="Create a service token" className="mb-6">
        {scopes.length === 0 ? (
          <p className="text-sm">Service tokens are only made for active tenants.</p>
        ) : (
          <CreateTokenForm
            kind="service"
            tenants={[{ name: tenant.name, displayName: tenant.displayName, scopes }]}
            maxDays={maxTokenDays()}
            suggestedScopes={PIPELINE_SCOPES}
          />
        )}
      </Card>
      {tokens.length === 0 ? (
        <EmptyState title="No service tokens yet">
          Create one for each pipeline that files promotion requests, so that each can be revoked on its own.
        </EmptyState>
      ) : (
        <TokenTable caption={`Service tokens of ${tenant.name}`} tokens={tokens} showTenant={false} now={new Date()} />
      )}
    </>
  );
}
