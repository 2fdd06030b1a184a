/**
 * The development identity provider's users. Their groups follow the portal's default group
 * mapping (`mlp:<tenant>:<role>` and the platform groups), as a real IdP's would.
 */
export interface DemoUser {
  username: string;
  password: string;
  name: string;
  email: string;
  groups: string[];
  /** What the user can do in the portal, for the demo banner and the login page. */
  description: string;
}

function demoUser(username: string, name: string, groups: string[], description: string): DemoUser {
  return { username, password: `${username}-demo`, name, email: `${username}@example.com`, groups, description };
}

export const DEMO_USERS: readonly DemoUser[] = [
  demoUser('alice', 'Alice Andersen', ['mlp:fraud:member'], 'data scientist, member of fraud'),
  demoUser('bob', 'Bob Brennan', ['mlp:fraud:approver'], 'model owner, approver of fraud'),
  demoUser('carol', 'Carol Chen', ['mlp:pricing:member'], 'data scientist, member of pricing'),
  demoUser('dave', 'Dave Duarte', ['mlp:managers'], 'manager (read-only SLO and operations views)'),
  demoUser('erin', 'Erin Eriksen', ['mlp:oncall'], 'on-call engineer'),
  demoUser('frank', 'Frank Fischer', ['mlp:platform-admins'], 'platform admin'),
  demoUser(
    'grace',
    'Grace Gomez',
    ['mlp:fraud:admin'],
    'tenant admin of fraud (a second admin: accepts policy proposals)',
  ),
];

export function findDemoUser(username: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.username === username);
}
