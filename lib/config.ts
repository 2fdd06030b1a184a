import { z } from 'zod';
import { parsePlatformGroups } from './auth/group-mapping';

/**
 * Every setting the portal reads, validated once. The README's configuration table lists the
 * same variables; keep the two together.
 */
const schema = z.object({
  PORTAL_URL: z.url().default('http://127.0.0.1:3000'),
  OIDC_ISSUER: z.url({ message: 'OIDC_ISSUER must be the issuer URL of your identity provider' }),
  OIDC_CLIENT_ID: z.string().min(1),
  OIDC_CLIENT_SECRET: z.string().min(1),
  OIDC_DISPLAY_NAME: z.string().default('your organisation’s sign-in'),
  OIDC_SCOPES: z.string().default('openid profile email groups'),
  OIDC_GROUPS_CLAIM: z.string().default('groups'),
  ROLE_TENANT_GROUP_PATTERN: z.string().default('mlp:{tenant}:{role}'),
  ROLE_PLATFORM_GROUPS: z.string().default('mlp:platform-admins=platform-admin,mlp:oncall=oncall,mlp:managers=manager'),
});

export type PortalConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`The portal's configuration is incomplete: ${problems}. See the configuration table in README.md.`);
  }
  const c = parsed.data;
  return {
    portalUrl: c.PORTAL_URL.replace(/\/$/, ''),
    oidc: {
      issuer: c.OIDC_ISSUER.replace(/\/$/, ''),
      clientId: c.OIDC_CLIENT_ID,
      clientSecret: c.OIDC_CLIENT_SECRET,
      displayName: c.OIDC_DISPLAY_NAME,
      scopes: c.OIDC_SCOPES,
      groupsClaim: c.OIDC_GROUPS_CLAIM,
    },
    groupMapping: {
      tenantGroupPattern: c.ROLE_TENANT_GROUP_PATTERN,
      platformGroups: parsePlatformGroups(c.ROLE_PLATFORM_GROUPS),
    },
  };
}

let cached: PortalConfig | undefined;
export function config(): PortalConfig {
  cached ??= loadConfig();
  return cached;
}
