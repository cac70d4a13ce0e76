/**
 * The queue folder's owner: `lock` holds the pid of the process that has the queue open. Written
 * beside and hard-linked into place, so it never exists without its pid; a lock left by a
 * process that is gone is taken over.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from './files';

export class QueueLockedError extends Error {
  readonly code = 'queue-locked';
  constructor(
    readonly dir: string,
    readonly pid: number | null,
  ) {
    super(`the report queue ${dir} is in use${pid ? ` by process ${pid}` : ''}`);
    this.name = 'QueueLockedError';
  }
}

/** Whether a process with this pid runs (one of another user counts: EPERM). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function createLockInPlace(file: string): Promise<boolean> {
  try {
    await fsp.writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the folder's lock file; one left by a process that is gone is taken over. */
export async function acquireLock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  // Written beside and linked into place, so the lock file never exists without its pid.
  const temp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(temp, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let i = 0; i < 3; i++) {
      try {
        await fsp.link(temp, file);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
          // A file system without hard links: create the lock in place instead.
          if (await createLockInPlace(file)) return;
        } else if (code !== 'EEXIST') throw err;
      }
      const owner = Number((await fsp.readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw new QueueLockedError(dir, owner);
      await fsp.rm(file, { force: true });
    }
    throw new QueueLockedError(dir, null);
  } finally {
    await fsp.rm(temp, { force: true });
  }
}
