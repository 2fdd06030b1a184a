import { groupsForRoles } from '../auth/group-mapping';
import type { SessionUser } from '../auth/users';
import type { Actor } from '../audit/log';
import { config } from '../config';
import { userActor, type KubeActor } from '../integrations/kubernetes';

/**
 * A signed-in platform admin provisioning tenants: audited under their name, and impersonated at
 * the Kubernetes API with the groups their roles come from (e.g. `mlp:platform-admins`), so the
 * cluster's RBAC decides what they may create there — a second line of defence behind the portal's.
 */
export function provisionerFor(user: SessionUser): { actor: Actor; kube: KubeActor } {
  return {
    actor: { id: user.id, name: user.username },
    kube: userActor(user.username, groupsForRoles(user, config().groupMapping)),
  };
}
