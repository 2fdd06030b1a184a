import Link from 'next/link';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { TenantField } from '@/components/ui/tenant-filter';
import { CHECK_IDS, CHECKS, type CheckId } from '@/lib/platform-health/finding';
import type { TenantChoices } from '@/lib/tenancy/choices';

/**
 * The page's filters, tenant and check: a GET form, so both live in the URL and work without
 * JavaScript. Each check says how many findings it has among those shown for the tenant.
 */
export function HealthFilters({
  path,
  tenants,
  tenant,
  check,
  perCheck,
}: {
  path: string;
  tenants: TenantChoices;
  tenant: string | null;
  check: CheckId | null;
  perCheck: Record<CheckId, number>;
}) {
  return (
    <form
      method="get"
      action={path}
      role="search"
      aria-label="Filter the findings"
      className="flex flex-wrap items-end gap-3"
    >
      <TenantField
        id="health-tenant-filter"
        tenants={tenants}
        tenant={tenant}
        all={`All tenants and the platform (${tenants.count} tenants)`}
      />
      <div className="space-y-1">
        <label htmlFor="health-check-filter" className="block text-sm font-medium">
          Check
        </label>
        <select id="health-check-filter" name="check" defaultValue={check ?? ''} className={`${inputClass} min-w-56`}>
          <option value="">Every check</option>
          {CHECK_IDS.map((id) => (
            <option key={id} value={id}>
              {`${CHECKS[id].label} (${perCheck[id]})`}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass.secondary}>
        Show
      </button>
      {tenant || check ? (
        <Link href={path} className={`${buttonClass.link} pb-2 text-sm`}>
          Show everything
        </Link>
      ) : null}
    </form>
  );
}
