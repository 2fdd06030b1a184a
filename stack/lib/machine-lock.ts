import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Whether a process with this id still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` while holding a lock shared by every process on this machine (a directory made
 * atomically, with the holder's pid in it): one install of a shared cache at a time, whichever
 * checkout asks. A lock whose holder has died is taken over. `onWait` is told once when it waits.
 */
export async function withMachineLock<T>(
  lockDir: string,
  work: () => Promise<T>,
  onWait?: (holder: number) => void,
  pollMs = 500,
): Promise<T> {
  await mkdir(path.dirname(lockDir), { recursive: true });
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
      // No pid yet: the holder is between its mkdir and its write; look again shortly.
      if (holder > 0 && !alive(holder)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told && holder > 0) {
        told = true;
        onWait?.(holder);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
