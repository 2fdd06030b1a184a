/**
 * The project runs on the Node.js that package.json's `node` devDependency installs
 * (node_modules/.bin/node, engines.node); npm scripts and npx find it first on PATH. A command
 * started by hand with an older `node` of the machine (`node --import tsx stack/cli.ts status`)
 * is run again under the project's — its dependencies need it (@kubernetes/client-node 2 does not
 * load on Node.js 20). Imported first by the entry points, so it runs before their other imports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const projectNode = path.join(root, 'node_modules/.bin/node');
const engines =
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines
    ?.node ?? '';
const wanted = Number(/\d+/.exec(engines)?.[0] ?? 0);

// Not when this already is the project's Node.js, so it never loops (an outdated one is setup.sh's to report).
if (
  Number(process.versions.node.split('.')[0]) < wanted &&
  existsSync(projectNode) &&
  realpathSync(projectNode) !== realpathSync(process.execPath)
) {
  process.stderr.write(
    `(Node.js ${process.version} is older than package.json's engines ask for: running under ${path.relative(process.cwd(), projectNode)})\n`,
  );
  const run = spawnSync(projectNode, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
