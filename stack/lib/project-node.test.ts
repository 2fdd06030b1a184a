/**
 * The project's Node.js (package.json's `node` devDependency, engines.node) is what runs the tests,
 * and a stack command started by hand with the machine's older `node` runs again under it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
const wanted = Number(/\d+/.exec(engines)?.[0]);
const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

const SYSTEM_NODE = '/usr/bin/node';
const systemNode = existsSync(SYSTEM_NODE)
  ? execFileSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).trim()
  : null;

describe("the project's Node.js", () => {
  it(`runs the tests (engines.node ${engines})`, () => {
    console.log(`Vitest worker: Node.js ${process.version} (${process.execPath})`);
    expect(wanted).toBeGreaterThanOrEqual(24);
    expect(major(process.version)).toBeGreaterThanOrEqual(wanted);
  });

  it.runIf(systemNode !== null && major(systemNode) < wanted)(
    `takes over a stack command started with the machine's older node (${systemNode})`,
    () => {
      const output = execFileSync(
        SYSTEM_NODE,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          "await import('./stack/lib/project-node.ts'); console.log(process.version)",
        ],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      expect(major(output.trim())).toBeGreaterThanOrEqual(wanted);
    },
  );
});
