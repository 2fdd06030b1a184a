import Link from 'next/link';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { listsEveryTenant, type TenantChoices } from '@/lib/tenancy/choices';

/**
 * A filter form's tenant field (`name="tenant"`): a list of the tenants, or past TENANT_LIST_MAX
 * a typed name; a name the viewer cannot see is refused by the page like any other. `all`: what
 * the empty choice means.
 */
export function TenantField({
  id,
  tenants,
  tenant,
  all,
}: {
  id: string;
  tenants: TenantChoices;
  tenant: string | null;
  all: string;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        Tenant
      </label>
      {listsEveryTenant(tenants) ? (
        <select id={id} name="tenant" defaultValue={tenant ?? ''} className={`${inputClass} min-w-56`}>
          <option value="">{all}</option>
          {tenants.listed.map((t) => (
            <option key={t.name} value={t.name}>
              {t.displayName === t.name ? t.name : `${t.displayName} (${t.name})`}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name="tenant"
          type="search"
          autoComplete="off"
          defaultValue={tenant ?? ''}
          placeholder={`${all}, or type a tenant's name`}
          className={`${inputClass} min-w-72`}
        />
      )}
    </div>
  );
}

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
  tenants: TenantChoices;
  tenant: string | null;
  label: string;
}) {
  return (
    <form method="get" action={path} role="search" aria-label={label} className="flex flex-wrap items-end gap-3">
      <TenantField
        id={`${path.replace(/[^a-z0-9]/gi, '')}-tenant-filter`}
        tenants={tenants}
        tenant={tenant}
        all={`All tenants (${tenants.count})`}
      />
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
