'use client';

import Link from 'next/link';
import { useParams, usePathname } from 'next/navigation';
import { tenantMenu, type Navigation } from './navigation';
import { tenantLinks } from './tenant-pages';

function NavItem({ href, label, exact, badge }: { href: string; label: string; exact?: boolean; badge?: number }) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <li>
      <Link
        href={href}
        aria-current={active ? 'page' : undefined}
        className={`block rounded-md px-2 py-1.5 text-sm ${
          active
            ? 'bg-blue-100 font-medium text-blue-900 dark:bg-blue-900/50 dark:text-blue-100'
            : 'text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800'
        }`}
      >
        <span className="flex items-center justify-between gap-2">
          {label}
          {badge ? (
            <span
              className="rounded-full bg-blue-700 px-2 text-xs font-semibold text-white dark:bg-blue-500"
              data-testid={`badge-${label}`}
            >
              {badge}
              <span className="sr-only"> waiting</span>
            </span>
          ) : null}
        </span>
      </Link>
    </li>
  );
}

export function NavLinks({ navigation }: { navigation: Navigation }) {
  const params = useParams<{ tenant?: string }>();
  const tenant = tenantMenu(navigation, params.tenant);
  return (
    <nav aria-label="Main" className="space-y-6">
      {tenant ? (
        <div>
          <h2 className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            {tenant.displayName}
          </h2>
          <ul className="mt-1 space-y-0.5">
            {tenantLinks(tenant).map((l) => (
              <NavItem key={l.href} href={l.href} label={l.label} exact={l.href === `/t/${tenant.name}`} />
            ))}
          </ul>
        </div>
      ) : null}
      {navigation.platform.length > 0 ? (
        <div>
          <h2 className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            Platform
          </h2>
          <ul className="mt-1 space-y-0.5">
            {navigation.platform.map((l) => (
              <NavItem key={l.href} href={l.href} label={l.label} badge={l.badge} />
            ))}
          </ul>
        </div>
      ) : null}
    </nav>
  );
}
