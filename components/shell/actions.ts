'use server';

import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/auth/session';
import { signOutEverywhere } from '@/lib/auth/sign-out';

export async function signOutAction(): Promise<void> {
  const destination = await signOutEverywhere(await getCurrentUser());
  redirect(destination);
}
