/**
 * Reading a small file a user named (a key file, a definition file) without trusting it: only a
 * regular file is read, never more than `maxBytes` (+1 to see that it is larger), and nothing can
 * block. A FIFO, a device (`/dev/zero`), a socket or a folder is refused before a byte is read:
 * the file is stat'ed first, opened with O_NONBLOCK | O_NOCTTY (so a FIFO swapped in after the
 * stat cannot hang the open), and checked again on the open handle. A file that grows past the
 * limit while it is read is still refused.
 */
import { constants as fsConstants, promises as fsp, type Stats } from 'node:fs';
import { errorText } from '../lib/error-text';

export type BoundedReadProblem = 'not-found' | 'no-permission' | 'directory' | 'not-a-file' | 'too-large' | 'io';

export type BoundedRead =
  | { ok: true; bytes: Buffer }
  /** size: bytes when known (too-large); code: the system error code (io). */
  | { ok: false; problem: BoundedReadProblem; size?: number; code?: string };

/** open(2) flags for a read that cannot block or take a terminal (0 where the platform has none). */
export const NONBLOCKING_READ = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0);

function refusal(st: Stats, maxBytes: number): BoundedRead | null {
  if (st.isDirectory()) return { ok: false, problem: 'directory' };
  if (!st.isFile()) return { ok: false, problem: 'not-a-file' };
  if (st.size > maxBytes) return { ok: false, problem: 'too-large', size: st.size };
  return null;
}

function ioProblem(err: unknown): BoundedRead {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { ok: false, problem: 'not-found', code };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, problem: 'no-permission', code };
    case 'EISDIR':
      return { ok: false, problem: 'directory', code };
    default:
      return { ok: false, problem: 'io', code: code ?? (errorText(err)) };
  }
}

/** Reads a regular file of at most maxBytes; every other outcome is a named problem, never a throw. */
export async function readRegularFile(file: string, maxBytes: number): Promise<BoundedRead> {
  try {
    const before = refusal(await fsp.stat(file), maxBytes);
    if (before) return before;
  } catch (err) {
    return ioProblem(err);
  }
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, NONBLOCKING_READ);
  } catch (err) {
    return ioProblem(err);
  }
  try {
    const opened = refusal(await handle.stat(), maxBytes);
    if (opened) return opened;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { ok: false, problem: 'too-large' };
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (err) {
    return ioProblem(err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
