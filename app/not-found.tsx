import Link from 'next/link';
import { buttonClass } from '@/components/ui/styles';

export const metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center">
        <p className="font-mono text-sm text-slate-600 dark:text-slate-400">404</p>
        <h1 className="mt-1 text-2xl font-semibold">There is nothing here</h1>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          The address may be mistyped, or what it pointed to was moved.
        </p>
        <Link href="/" className={`${buttonClass.primary} mt-6`}>
          Go to your tenants
        </Link>
      </div>
    </main>
  );
}
