import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OTHER_ROUTE, ROUTE_TEMPLATES, routeTemplate } from './routes';

const APP = path.resolve(import.meta.dirname, '../../app');

/** Every page and route handler under app/, as its URL template (route groups like (portal) left out). */
function appRoutes(dir = APP, prefix: string[] = []): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry.startsWith('_') || entry.startsWith('@')) continue;
      found.push(...appRoutes(full, /^\(.*\)$/.test(entry) ? prefix : [...prefix, entry]));
    } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry)) {
      found.push(`/${prefix.join('/')}`);
    }
  }
  return found;
}

describe('route templates', () => {
  it('are exactly the routes under app/', () => {
    expect([...new Set(appRoutes())].sort()).toEqual([...ROUTE_TEMPLATES].sort());
  });

  it('match concrete paths, fixed segments before dynamic ones', () => {
    expect(routeTemplate('/t/fraud/promotions/new')).toBe('/t/[tenant]/promotions/new');
    expect(routeTemplate('/t/fraud/promotions/0b1c')).toBe('/t/[tenant]/promotions/[id]');
    expect(routeTemplate('/api/auth/callback/oidc')).toBe('/api/auth/[...nextauth]');
    expect(routeTemplate('/t/fraud/')).toBe('/t/[tenant]');
    expect(routeTemplate('/_next/static/chunks/x.js')).toBe('/_next/*');
    expect(routeTemplate('/api/auth')).toBe(OTHER_ROUTE);
    expect(routeTemplate('/t/fraud/./models')).toBe(OTHER_ROUTE);
  });
});
