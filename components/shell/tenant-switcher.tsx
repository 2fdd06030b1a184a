'use client';

import { useParams, useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { buttonClass } from '../ui/styles';
import { TENANT_LIST_MAX } from '@/lib/tenancy/choices';
import { tenantNamed, type TenantNav } from './navigation';

const LABEL_CLASS = 'block text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400';
const CONTROL_CLASS =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900';

export function TenantSwitcher({ tenants }: { tenants: TenantNav[] }) {
  const params = useParams<{ tenant?: string }>();
  const router = useRouter();
  if (tenants.length === 0) return null;
  if (tenants.length > TENANT_LIST_MAX)
    return <TenantByName key={params.tenant ?? ''} tenants={tenants} current={params.tenant ?? ''} />;
  return (
    <div>
      <label htmlFor="tenant-switcher" className={LABEL_CLASS}>
        Tenant
      </label>
      <select
        id="tenant-switcher"
        className={CONTROL_CLASS}
        value={params.tenant ?? ''}
        onChange={(e) => e.target.value && router.push(`/t/${e.target.value}`)}
      >
        <option value="">Choose a tenant…</option>
        {tenants.map((t) => (
          <option key={t.name} value={t.name}>
            {t.displayName} ({t.name})
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Many tenants: typed, with the browser's suggestions from a list made only once the field is
 * focused (never in the page's HTML).
 */
function TenantByName({ tenants, current }: { tenants: TenantNav[]; current: string }) {
  const router = useRouter();
  const [suggest, setSuggest] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const go = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('tenant') ?? '');
    const tenant = tenantNamed(tenants, text);
    if (tenant) {
      setProblem(null);
      router.push(`/t/${tenant.name}`);
    } else
      setProblem(
        text.trim()
          ? `No single tenant of the ${tenants.length} you can see is named “${text.trim()}”.`
          : 'Type a tenant’s name.',
      );
  };
  return (
    <form onSubmit={go} role="search" aria-label="Go to a tenant">
      <label htmlFor="tenant-switcher" className={LABEL_CLASS}>
        Tenant
      </label>
      <div className="flex items-center gap-2">
        <input
          id="tenant-switcher"
          name="tenant"
          type="search"
          autoComplete="off"
          defaultValue={current}
          placeholder={`One of ${tenants.length}: type a name`}
          list={suggest ? 'tenant-switcher-names' : undefined}
          onFocus={() => setSuggest(true)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'tenant-switcher-problem' : undefined}
          className={CONTROL_CLASS}
        />
        <button type="submit" className={`${buttonClass.secondary} mt-1`}>
          Go
        </button>
      </div>
      {suggest ? (
        <datalist id="tenant-switcher-names">
          {tenants.map((t) => (
            <option key={t.name} value={t.name}>
              {t.displayName}
            </option>
          ))}
        </datalist>
      ) : null}
      {problem ? (
        <p id="tenant-switcher-problem" role="alert" className="mt-1 text-xs text-red-800 dark:text-red-300">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
