import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command';

describe('runCommand', () => {
  it('returns all of a short-lived child’s output, also when many run at once on a busy machine', async () => {
    // Like the interpreter probe, print and exit at once — with more than a pipe holds, so some
    // output is still unread when the child exits: resolving on `exit` returned without it.
    const expected = `3.12 /usr/bin/python3.12\n${'x'.repeat(1_000_000)}\n`;
    const probe = 'process.stdout.write(`3.12 /usr/bin/python3.12\\n${"x".repeat(1_000_000)}\\n`)';
    const runs = await Promise.all(
      Array.from({ length: 8 * availableParallelism() }, () => runCommand(process.execPath, ['-e', probe])),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.output === expected, `got ${run.output.length} of ${expected.length} characters`).toBe(true);
    }
  });

  it('passes on a last line without a newline, and says why a command could not start', async () => {
    const lines: string[] = [];
    expect(
      await runCommand(process.execPath, ['-e', 'process.stdout.write("one\\ntwo")'], (l) => lines.push(l)),
    ).toEqual({ code: 0, output: 'one\ntwo' });
    expect(lines).toEqual(['one', 'two']);
    const missing = await runCommand('/no/such/command', []);
    expect(missing.code).toBe(-1);
    expect(missing.output).toContain('ENOENT');
  });
});
