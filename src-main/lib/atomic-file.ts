import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Replaces `file` so that a crash at any moment leaves either the old or the new content:
 * write a temporary file beside it, fsync it, rename it over the old one, fsync the folder.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Iterable<Uint8Array>, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  // A folder made here holds what is written here (0600 by default): its owner's only.
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await fs.open(tmp, 'w', mode);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    // Chunks made one at a time as they are written (a large snapshot is never whole in memory).
    else for (const chunk of data) await handle.writeFile(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/**
 * Makes the folder's entries durable (a file created, renamed or removed in it): without it a
 * crash can lose the rename even though the file's own bytes were synced.
 */
export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals its metadata (the rename) itself.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes temporary files a crashed writer of `file` left behind. */
export async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.tmp-`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.rm(path.join(dir, n), { force: true })));
}
