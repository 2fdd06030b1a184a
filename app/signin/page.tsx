import { redirect } from 'next/navigation';
import { SignInButton } from '@/components/auth/sign-in-button';
import { getCurrentUser } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { safeCallbackPath } from '@/lib/security/callback-url';

export const metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  OAuthSignin: 'The identity provider could not be reached. Try again in a moment.',
  OAuthCallback: 'The identity provider’s answer could not be verified. Try again.',
  Callback: 'Signing in failed while your account was being set up. Try again, or ask a platform admin.',
  AccessDenied: 'The identity provider refused the sign-in.',
  SessionRequired: 'Please sign in to see that page.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  // Only same-origin paths: never send people elsewhere after signing in.
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const known =
    typeof params.error === 'string' && Object.hasOwn(ERRORS, params.error) ? ERRORS[params.error] : undefined;
  const error = params.error ? (known ?? 'Signing in failed. Try again.') : null;
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">ML platform portal</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          Experiments, models, promotions and deployments of your teams.
        </p>
        {params.signedOut ? (
          <p
            role="status"
            className="mt-4 rounded-md bg-green-50 p-3 text-sm text-green-900 dark:bg-green-950 dark:text-green-100"
          >
            You are signed out.
          </p>
        ) : null}
        {error ? (
          <p
            role="alert"
            className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
          >
            {error}
          </p>
        ) : null}
        <div className="mt-6">
          <SignInButton providerName={config().oidc.displayName} callbackUrl={callbackUrl} />
        </div>
      </div>
    </main>
  );
}
