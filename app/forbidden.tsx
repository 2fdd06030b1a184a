import Link from 'next/link';
import { buttonClass } from '@/components/ui/styles';

export const metadata = { title: 'Not allowed' };

export default function Forbidden() {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center">
        <p className="font-mono text-sm text-slate-600 dark:text-slate-400">403</p>
        <h1 className="mt-1 text-2xl font-semibold">You don’t have access to this</h1>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          This page belongs to a tenant or area your roles don’t include. If you need it, ask a tenant admin or platform
          admin to add you.
        </p>
        <Link href="/" className={`${buttonClass.primary} mt-6`}>
          Go to your tenants
        </Link>
      </div>
    </main>
  );
}
