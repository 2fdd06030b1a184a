import { z } from 'zod';
import { can, type Action, type Resource } from '../auth/authorize';
import { getCurrentUser } from '../auth/session';
import type { SessionUser } from '../auth/users';
import { recordAuditAlone } from '../audit/log';
import { UserFacingError } from '../errors';
import { log } from '../observability/logger';
import { metrics } from '../observability/metrics';
import { currentRequestId } from '../observability/request-context';

export type ActionResult =
  | { ok: true; message?: string; /** Where the form should go next, e.g. the record it created. */ href?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

export interface ActionSpec<S extends z.ZodType> {
  /** Audit and metrics name, e.g. `membership.add`. */
  name: string;
  input: S;
  /** What the caller must be allowed to do, judged on the parsed input. */
  permission: (input: z.output<S>) => { action: Action; resource: Resource } | Promise<{ action: Action; resource: Resource }>;
  /** Does the work, auditing its change in the same transaction. */
  run: (user: SessionUser, input: z.output<S>) => Promise<ActionResult>;
}

function toObject(data: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(data instanceof FormData)) return data;
  const object: Record<string, unknown> = {};
  for (const [key, value] of data.entries()) if (!key.startsWith('$ACTION')) object[key] = value;
  return object;
}

function tenantOf(resource: Resource): string | null {
  return 'tenant' in resource ? resource.tenant : null;
}

/**
 * Every server action is a public HTTP endpoint, so each one goes through the same steps:
 * parse the input (zod) → authorize (the one authorization module) → act → audit. Denied and
 * failed attempts are audited too. The result suits `useActionState`.
 */
export function defineAction<S extends z.ZodType>(spec: ActionSpec<S>) {
  return async function serverAction(_previous: unknown, data: FormData | Record<string, unknown>): Promise<ActionResult> {
    const count = (outcome: string) => metrics().serverActions.inc({ action: spec.name, outcome });
    const parsed = spec.input.safeParse(toObject(data));
    if (!parsed.success) {
      count('invalid');
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
      return { ok: false, error: 'Please correct the highlighted fields.', fieldErrors };
    }

    const user = await getCurrentUser();
    const { action, resource } = await spec.permission(parsed.data);
    if (!user || !can(user, action, resource)) {
      count('denied');
      await recordAuditAlone({
        actor: user ? { id: user.id, name: user.username } : { name: 'anonymous' },
        action: spec.name,
        tenant: tenantOf(resource),
        outcome: 'denied',
        reason: user ? `not allowed to ${action}` : 'not signed in',
        after: { input: parsed.data },
      });
      log.warn('server action denied', { action: spec.name, user: user?.username ?? null, tenant: tenantOf(resource) });
      return { ok: false, error: user ? 'You are not allowed to do this.' : 'Your session has ended: sign in again.' };
    }

    try {
      const result = await spec.run(user, parsed.data);
      count(result.ok ? 'success' : 'failed');
      return result;
    } catch (error) {
      count('failed');
      const known = error instanceof UserFacingError;
      await recordAuditAlone({
        actor: { id: user.id, name: user.username },
        action: spec.name,
        tenant: tenantOf(resource),
        outcome: 'failed',
        reason: known ? error.message : 'internal error',
        after: { input: parsed.data },
      }).catch((auditError: unknown) => log.error('could not audit a failed action', { error: auditError }));
      if (known) {
        return { ok: false, error: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
      }
      log.error('server action failed', { action: spec.name, error });
      return { ok: false, error: `Something went wrong on our side. Nothing was changed. (request ${currentRequestId() ?? 'unknown'})` };
    }
  };
}

export type ServerAction = (previous: unknown, data: FormData | Record<string, unknown>) => Promise<ActionResult>;
