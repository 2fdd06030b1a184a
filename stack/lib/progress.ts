/** Progress lines for long work: elapsed time, the component, what is happening. */
const started = Date.now();

export function progress(component: string, message: string): void {
  const elapsed = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[stack ${elapsed}s] ${component.padEnd(11)} ${message}\n`);
}
