import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  output: string;
}

/**
 * Runs a command to completion, collecting its output and passing each non-empty line on.
 * Resolves on `close`, not `exit`: a child can exit before its output has been read, and a
 * caller that reads the output (an interpreter probe) would then see none.
 */
export function runCommand(
  command: string,
  args: string[],
  onLine?: (line: string) => void,
  env: Record<string, string> = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let buffer = '';
    const feed = (chunk: Buffer) => {
      output += chunk.toString();
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      if (onLine) lines.filter((l) => l.trim()).forEach(onLine);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', (error) => resolve({ code: -1, output: `${output}${error.message}` }));
    child.on('close', (code) => {
      if (onLine && buffer.trim()) onLine(buffer);
      resolve({ code: code ?? -1, output });
    });
  });
}
