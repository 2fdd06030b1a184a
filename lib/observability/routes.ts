/**
 * The portal's routes as templates (`[tenant]` for a dynamic segment, `[...rest]` for the rest of
 * a path): the only values /api/metrics labels requests with, so a made-up URL can never add a
 * series. Kept in step with app/ by routes.test.ts, which reads the route files. Pure.
 */
export const ROUTE_TEMPLATES = [
  '/',
  '/admin',
  '/admin/audit',
  '/admin/tenants',
  '/admin/tenants/[name]/progress',
  '/api/auth/[...nextauth]',
  '/api/health',
  '/api/metrics',
  '/api/ready',
  '/api/v1/openapi.json',
  '/api/v1/t/[tenant]/experiments',
  '/api/v1/t/[tenant]/experiments/[experimentId]/runs',
  '/api/v1/t/[tenant]/models',
  '/api/v1/t/[tenant]/models/[name]/versions',
  '/api/v1/t/[tenant]/promotions',
  '/api/v1/t/[tenant]/promotions/[requestId]',
  '/api/v1/t/[tenant]/quota',
  '/api/v1/t/[tenant]/rollouts',
  '/api/v1/t/[tenant]/rollouts/[endpoint]',
  '/api/v1/t/[tenant]/rollouts/[endpoint]/promote',
  '/api/v1/t/[tenant]/rollouts/[endpoint]/rollback',
  '/api/v1/t/[tenant]/rollouts/[endpoint]/rollback-targets',
  '/api/v1/t/[tenant]/rollouts/[endpoint]/rollback-to-version',
  '/approvals',
  '/gpu',
  '/gpu/live',
  '/inbox',
  '/inbox/unread',
  '/ops',
  '/ops/live',
  '/platform/health',
  '/settings/notifications',
  '/settings/tokens',
  '/signin',
  '/slo',
  '/slo/live',
  '/slo/[tenant]/[endpoint]',
  '/slo/[tenant]/[endpoint]/live',
  '/t/[tenant]',
  '/t/[tenant]/deployments',
  '/t/[tenant]/deployments/[name]',
  '/t/[tenant]/deployments/[name]/live',
  '/t/[tenant]/experiments',
  '/t/[tenant]/experiments/[experimentId]',
  '/t/[tenant]/experiments/[experimentId]/compare',
  '/t/[tenant]/gpu',
  '/t/[tenant]/gpu/live',
  '/t/[tenant]/members',
  '/t/[tenant]/models',
  '/t/[tenant]/models/[name]',
  '/t/[tenant]/models/[name]/compare',
  '/t/[tenant]/models/[name]/timeline',
  '/t/[tenant]/pipelines',
  '/t/[tenant]/pipelines/live',
  '/t/[tenant]/policy',
  '/t/[tenant]/promotions',
  '/t/[tenant]/promotions/[id]',
  '/t/[tenant]/promotions/[id]/evidence',
  '/t/[tenant]/promotions/[id]/evidence.json',
  '/t/[tenant]/promotions/new',
  '/t/[tenant]/runs/[runId]',
  '/t/[tenant]/runs/[runId]/download',
  '/t/[tenant]/tokens',
  '/t/[tenant]/webhooks',
  '/t/[tenant]/webhooks/[id]',
  '/t/[tenant]/webhooks/[id]/live',
] as const;

/** Next.js' own files (scripts, styles, images): one label. */
export const NEXT_ASSETS = '/_next/*';
/** Everything else — unknown paths, probes, typos: one label. */
export const OTHER_ROUTE = 'other';

interface Matcher {
  template: string;
  segments: string[];
  /** Fixed segments count first: /t/[tenant]/promotions/new before /t/[tenant]/promotions/[id]. */
  fixed: number;
}

const MATCHERS: Matcher[] = ROUTE_TEMPLATES.map((template) => {
  const segments = template.split('/').filter(Boolean);
  return { template, segments, fixed: segments.filter((s) => !s.startsWith('[')).length };
}).sort((a, b) => b.fixed - a.fixed);

function matches(matcher: Matcher, parts: string[]): boolean {
  const { segments } = matcher;
  const catchAll = segments.at(-1)?.startsWith('[...');
  if (catchAll ? parts.length < segments.length : parts.length !== segments.length) return false;
  return segments.every((segment, i) => segment.startsWith('[') || segment === parts[i]);
}

/** The template of the route serving `pathname`, `/_next/*` for Next.js' files, or `other`. */
export function routeTemplate(pathname: string): string {
  if (pathname.startsWith('/_next/')) return NEXT_ASSETS;
  if (pathname.length > 2048) return OTHER_ROUTE;
  const parts = pathname.split('/').filter(Boolean);
  // A trailing slash or a repeated one does not make another route; '..' and '.' are not segments Next serves.
  if (parts.some((p) => p === '.' || p === '..')) return OTHER_ROUTE;
  return MATCHERS.find((m) => matches(m, parts))?.template ?? OTHER_ROUTE;
}
