import Link from 'next/link';
import type { ReactNode } from 'react';
import type { SessionUser } from '@/lib/auth/users';
import { buttonClass } from '../ui/styles';
import { signOutAction } from './actions';
import type { Navigation } from './navigation';
import { NavLinks } from './nav-links';
import { TenantSwitcher } from './tenant-switcher';
import { ThemeToggle } from './theme-toggle';

export function AppShell({
  user,
  navigation,
  inbox,
  children,
}: {
  user: SessionUser;
  navigation: Navigation;
  /** The link to the inbox with its unread count (components/notifications, given by the layout). */
  inbox: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2 dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="flex items-center print:hidden justify-between gap-4 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/" className="text-base font-semibold">
          ML platform
        </Link>
        <div className="flex flex-wrap items-center justify-end gap-3 text-sm">
          {inbox}
          <ThemeToggle />
          <span className="text-slate-700 dark:text-slate-300" data-testid="signed-in-user">
            {user.name ?? user.username}
            {user.platformRoles.length > 0 ? (
              <span className="text-slate-600 dark:text-slate-400"> · {user.platformRoles.join(', ')}</span>
            ) : null}
          </span>
          <Link href="/settings/tokens" className={buttonClass.link}>
            API tokens
          </Link>
          <Link href="/settings/notifications" className={buttonClass.link}>
            Notification settings
          </Link>
          <form action={signOutAction}>
            <button type="submit" className={buttonClass.secondary}>
              Sign out
            </button>
          </form>
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <aside className="w-full shrink-0 print:hidden space-y-6 border-b border-slate-200 bg-slate-100 p-4 md:w-60 md:border-b-0 md:border-r dark:border-slate-800 dark:bg-slate-900/60">
          <TenantSwitcher tenants={navigation.tenants} />
          <NavLinks navigation={navigation} />
        </aside>
        <main id="main" className="min-w-0 flex-1 p-6 print:p-0">
          {children}
        </main>
      </div>
    </div>
  );
}
