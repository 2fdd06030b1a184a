/**
 * `npm run bench:bundle`: the JavaScript each page of the portal makes the browser download before
 * it is interactive ("first-load JS"), gzipped, per route, from the production build's own output.
 *
 * The same chunks Next.js counts in its build diagnostics (next/dist/build/route-bundle-stats.js,
 * .next/diagnostics/route-bundle-stats.json, which gives only uncompressed sizes): for each page of
 * .next/server/app-paths-manifest.json, the union of the `entryJSFiles` of its client reference
 * manifest (.next/server/app/<page>_client-reference-manifest.js: one list per segment — root and
 * group layouts, error, not-found, the page) and the build manifest's `rootMainFiles` (the runtime,
 * React and the router, shared by every route and counted in each). Chunks loaded later by
 * `import()` (the charts, components/charts/lazy-chart.tsx) are not in these lists. Each chunk is
 * gzipped with node:zlib at its default level; sizes are in kB (1,000 bytes).
 *
 * Prints a table of the routes, largest first, then the chunks of the largest route, and last the
 * line `max_route_kb=<n> routes_over_200=<n>`. `--dist <dir>` reads another build's .next.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { normalizeAppPath } from 'next/dist/shared/lib/router/utils/app-paths.js';

const BUDGET_KB = 200;

const distArg = process.argv.indexOf('--dist');
const distDir = path.resolve(distArg === -1 ? '.next' : process.argv[distArg + 1]!);

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(distDir, file), 'utf8')) as T;
}

/** The `entryJSFiles` of a page's client reference manifest: a script that assigns `globalThis.__RSC_MANIFEST[page]`. */
function entryJsFiles(appPath: string): string[] {
  const file = path.join(distDir, 'server', 'app', `${appPath}_client-reference-manifest.js`);
  const sandbox: {
    globalThis?: unknown;
    __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }>;
  } = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file });
  const entry = sandbox.__RSC_MANIFEST?.[appPath];
  if (!entry?.entryJSFiles) throw new Error(`${file} has no entryJSFiles for ${appPath}`);
  return Object.values(entry.entryJSFiles).flat();
}

const gzippedBytes = new Map<string, number>();
function gzipped(chunk: string): number {
  let size = gzippedBytes.get(chunk);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(distDir, chunk))).length;
    gzippedBytes.set(chunk, size);
  }
  return size;
}

const kb = (bytes: number) => bytes / 1000;

function main() {
  const { rootMainFiles } = readJson<{ rootMainFiles: string[] }>('build-manifest.json');
  const appPaths = Object.keys(readJson<Record<string, string>>('server/app-paths-manifest.json')).filter((p) =>
    p.endsWith('/page'),
  );
  const routes = appPaths.map((appPath) => {
    const chunks = [...new Set([...entryJsFiles(appPath), ...rootMainFiles])].filter((f) => f.endsWith('.js'));
    return { route: normalizeAppPath(appPath), chunks, bytes: chunks.reduce((sum, c) => sum + gzipped(c), 0) };
  });
  routes.sort((a, b) => b.bytes - a.bytes || a.route.localeCompare(b.route));

  const shared = rootMainFiles.filter((f) => f.endsWith('.js')).reduce((sum, c) => sum + gzipped(c), 0);
  const width = Math.max(...routes.map((r) => r.route.length), 'Route'.length);
  console.log(`First-load JavaScript per route (gzipped, kB), ${distDir}`);
  console.log(`${'Route'.padEnd(width)}  ${'kB'.padStart(6)}`);
  for (const r of routes)
    console.log(
      `${r.route.padEnd(width)}  ${kb(r.bytes).toFixed(1).padStart(6)}${kb(r.bytes) > BUDGET_KB ? '  over' : ''}`,
    );
  console.log(`\nShared by every route (rootMainFiles): ${kb(shared).toFixed(1)} kB`);

  const largest = routes[0];
  if (largest) {
    console.log(`Chunks of ${largest.route}:`);
    for (const chunk of [...largest.chunks].sort((a, b) => gzipped(b) - gzipped(a)))
      console.log(`  ${chunk}  ${kb(gzipped(chunk)).toFixed(1)} kB`);
  }
  const max = largest ? Math.round(kb(largest.bytes)) : 0;
  console.log(`max_route_kb=${max} routes_over_200=${routes.filter((r) => kb(r.bytes) > BUDGET_KB).length}`);
}

main();
