'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/styles';

export function SignInButton({ providerName, callbackUrl }: { providerName: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={`${buttonClass.primary} w-full`}
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn('oidc', { callbackUrl });
      }}
    >
      {pending ? 'Redirecting…' : `Sign in with ${providerName}`}
    </button>
  );
}
