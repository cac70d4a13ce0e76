/**
 * UUCP lock files, as pppd, mgetty and minicom use them on Linux: `LCK..ttyS0` in /run/lock (or
 * /var/lock) holding the owner's pid as 10 ASCII characters and a newline ("%10d\n"; an old
 * binary 4-byte pid is read too). A lock whose process is gone is stale and removed. The lock is
 * made whole in a temp file and linked into place, so two takers never both win.
 */
import { promises as fsp, realpathSync } from 'node:fs';
import path from 'node:path';

export const LOCK_DIRS = ['/run/lock', '/var/lock'];

/** The lock file's name for a device: /dev/ttyS0 → LCK..ttyS0, /dev/pts/3 → LCK..pts_3. */
export function lockName(device: string): string {
  let real = device;
  try {
    real = realpathSync(device);
  } catch {
    // a missing device keeps its name; opening it fails later with the reason
  }
  const rel = real.startsWith('/dev/') ? real.slice('/dev/'.length) : path.basename(real);
  return `LCK..${rel.replace(/\//g, '_')}`;
}

/** The first lock folder of `dirs` that exists, or null. */
export async function findLockDir(dirs: readonly string[] = LOCK_DIRS): Promise<string | null> {
  for (const dir of dirs) {
    try {
      if ((await fsp.stat(dir)).isDirectory()) return dir;
    } catch {
      // next one
    }
  }
  return null;
}

/** The pid a lock file holds, or null when it holds none. */
export function lockPid(content: Buffer): number | null {
  const text = content.toString('latin1').trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (content.length === 4) return content.readInt32LE(0);
  return null;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockResult =
  | { ok: true; file: string; release: () => Promise<void>; removedStale: number | null }
  | { ok: false; busy: true; file: string; pid: number }
  | { ok: false; busy: false; file: string; reason: string };

/** Takes the lock of `device` in `dir` for this process. */
export async function takeLock(dir: string, device: string, pid = process.pid): Promise<LockResult> {
  const file = path.join(dir, lockName(device));
  const temp = path.join(dir, `LTMP.${pid}.${Math.random().toString(36).slice(2, 8)}`);
  let removedStale: number | null = null;
  try {
    await fsp.writeFile(temp, `${String(pid).padStart(10)}\n`, { mode: 0o644 });
  } catch (err) {
    return { ok: false, busy: false, file, reason: `the lock folder ${dir} cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await fsp.link(temp, file);
        const release = async () => {
          // Only our own lock is removed, never one another process took after a stale one.
          const held = await fsp.readFile(file).catch(() => null);
          if (held && lockPid(held) === pid) await fsp.unlink(file).catch(() => undefined);
        };
        return { ok: true, file, release, removedStale };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          return { ok: false, busy: false, file, reason: `the lock ${file} cannot be made (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
        }
      }
      const content = await fsp.readFile(file).catch(() => null);
      if (content === null) continue;
      const owner = lockPid(content);
      if (owner !== null && owner !== pid && alive(owner)) return { ok: false, busy: true, file, pid: owner };
      // Stale (its process is gone, or it holds no pid): removed, as the other programs do.
      await fsp.unlink(file).catch(() => undefined);
      removedStale = owner ?? -1;
    }
    return { ok: false, busy: false, file, reason: `the lock ${file} keeps coming back` };
  } finally {
    await fsp.unlink(temp).catch(() => undefined);
  }
}
