'use client';

import { useParams, useRouter } from 'next/navigation';
import type { TenantNav } from './navigation';

export function TenantSwitcher({ tenants }: { tenants: TenantNav[] }) {
  const params = useParams<{ tenant?: string }>();
  const router = useRouter();
  if (tenants.length === 0) return null;
  return (
    <div>
      <label
        htmlFor="tenant-switcher"
        className="block text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400"
      >
        Tenant
      </label>
      <select
        id="tenant-switcher"
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
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
