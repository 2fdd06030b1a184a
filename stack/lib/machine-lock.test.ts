import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withMachineLock } from './machine-lock';

describe('withMachineLock', () => {
  it('lets one holder work at a time, in turn', async () => {
    const lock = path.join(await mkdtemp(path.join(tmpdir(), 'lock-')), 'install.lock');
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inside -= 1;
    };
    await Promise.all(Array.from({ length: 5 }, () => withMachineLock(lock, work, undefined, 5)));
    expect(most).toBe(1);
  });

  it('takes over a lock whose holder has died', async () => {
    const lock = path.join(await mkdtemp(path.join(tmpdir(), 'lock-')), 'install.lock');
    await mkdir(lock);
    await writeFile(path.join(lock, 'pid'), '2147483646');
    expect(await withMachineLock(lock, async () => 'done', undefined, 5)).toBe('done');
  });
});
