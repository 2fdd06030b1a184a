import Link from 'next/link';
import { buttonClass, inputClass } from '@/components/ui/styles';

/**
 * The tenant filter of a cross-tenant dashboard: a GET form, so the filter lives in the URL and
 * works without JavaScript. `path` is the page it reloads (e.g. /ops).
 */
export function TenantFilter({
  path,
  tenants,
  tenant,
  label,
}: {
  path: string;
  tenants: readonly { name: string; displayName: string }[];
  tenant: string | null;
  label: string;
}) {
  const id = `${path.replace(/[^a-z0-9]/gi, '')}-tenant-filter`;
  return (
    <form method="get" action={path} role="search" aria-label={label} className="flex flex-wrap items-end gap-3">
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium">
          Tenant
        </label>
        <select id={id} name="tenant" defaultValue={tenant ?? ''} className={`${inputClass} min-w-56`}>
          <option value="">All tenants ({tenants.length})</option>
          {tenants.map((t) => (
            <option key={t.name} value={t.name}>
              {t.displayName === t.name ? t.name : `${t.displayName} (${t.name})`}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass.secondary}>
        Show
      </button>
      {tenant ? (
        <Link href={path} className={`${buttonClass.link} pb-2 text-sm`}>
          Show every tenant
        </Link>
      ) : null}
    </form>
  );
}
