import Link from 'next/link';
import { CreateTokenForm, type TokenTenantOption } from '@/components/tokens/create-token-form';
import { TokenTable } from '@/components/tokens/token-table';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { grantableScopes, listPersonalTokens } from '@/lib/api-tokens/service';
import { maxTokenDays } from '@/lib/api-tokens/token';
import { requireUser } from '@/lib/auth/session';
import { listVisibleTenants } from '@/lib/tenancy/service';

export const metadata = { title: 'Your API tokens' };

export default async function PersonalTokensPage() {
  const user = await requireUser();
  const [tokens, tenants] = await Promise.all([listPersonalTokens(user), listVisibleTenants(user)]);
  // Tenants the person may make a token for, each with the scopes they may give it there.
  const options: TokenTenantOption[] = tenants
    .map((t) => ({ name: t.name, displayName: t.displayName, scopes: grantableScopes(user, 'personal', t) }))
    .filter((t) => t.scopes.length > 0);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Your API tokens"
        description={
          <>
            Personal tokens call the portal&apos;s REST API (
            <a className={buttonClass.link} href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>
            ) as you, in one tenant, with the scopes you choose — never more than your roles allow. Pipelines use a
            tenant&apos;s service tokens instead, which its admins make.
          </>
        }
      />
      <Card title="Create a token" className="mb-6">
        {options.length === 0 ? (
          <p className="text-sm">
            You are in no active tenant yet: a tenant admin adds you, then you can make tokens for it.{' '}
            <Link className={buttonClass.link} href="/">
              Your tenants
            </Link>
          </p>
        ) : (
          <CreateTokenForm kind="personal" tenants={options} maxDays={maxTokenDays()} />
        )}
      </Card>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens yet">
          Create one above to script what you do in the portal; it is shown once, then only its first characters.
        </EmptyState>
      ) : (
        <TokenTable caption="Your API tokens" tokens={tokens} showTenant now={now} />
      )}
    </>
  );
}
