import { groupsForRoles } from '../auth/group-mapping';
import type { SessionUser } from '../auth/users';
import { config } from '../config';
import { userActor } from '../integrations/kubernetes';
import type { Operator } from './service';

/** A signed-in person acting on rollouts: audited under their name, and impersonated at the Kubernetes API so the cluster's RBAC applies too. */
export function operatorFor(user: SessionUser): Operator {
  return {
    actor: { id: user.id, name: user.username },
    kube: userActor(user.username, groupsForRoles(user, config().groupMapping)),
  };
}
