import type { TokenCaller } from '../api-tokens/service';
import { groupsForRoles } from '../auth/group-mapping';
import { loadSessionUser, type SessionUser } from '../auth/users';
import { config } from '../config';
import { PORTAL_ACTOR, userActor } from '../integrations/kubernetes';
import type { Operator } from './service';

/** A signed-in person acting on rollouts: audited under their name, and impersonated at the Kubernetes API so the cluster's RBAC applies too. */
export function operatorFor(user: SessionUser): Operator {
  return {
    actor: { id: user.id, name: user.username },
    kube: userActor(user.username, groupsForRoles(user, config().groupMapping)),
  };
}

/**
 * An API token acting on rollouts, named as the token in the audit log and rollout history. A
 * personal token acts at the Kubernetes API as its owner (impersonated, so the cluster's RBAC for
 * the owner applies, as in the portal); a service token has no person behind it and acts as the
 * portal's own identity, as automatic judgment does — what it may do was decided by `can` (its
 * tenant and its rollout.operate scope, which only a tenant admin can give it).
 */
export async function operatorForToken(caller: TokenCaller): Promise<Operator> {
  if (caller.token.kind === 'service') return { actor: caller.actor, kube: PORTAL_ACTOR };
  const owner = await loadSessionUser(caller.principal.id);
  if (!owner) throw new Error(`the owner of token ${caller.token.id} no longer exists`);
  return { actor: caller.actor, kube: operatorFor(owner).kube };
}
