/**
 * Finding the LogFile files and folders (folders recursively) and choosing what fits in MaxSize.
 *
 * - A LogFile is an absolute path to a file or a folder. A missing one is a note, not a failure.
 * - Folders are walked depth first, names sorted (by UTF-16 code unit), so the same tree gives
 *   the same archive. Only regular files are collected; folders exist in the archive only as
 *   the paths of the files in them, so empty folders are left out (seed: "空のフォルダーは含みません").
 * - Symbolic links: a LogFile that is itself a link is followed (that is what was asked for): the
 *   file is recorded under the link's name but read through its real path, found once, here.
 *   Inside a folder, links (and Windows junctions) are never followed — neither to folders nor
 *   to files — so the walk cannot leave the tree, loop, or pick up a file twice; each is listed
 *   as omitted. Sockets, FIFOs and devices are omitted too (reading a FIFO would never end).
 * - Archive names are the absolute paths without their root: `/var/log/a.log` → `var/log/a.log`,
 *   `C:\ESM\log\a.log` → `C/ESM/log/a.log`, `\\srv\share\a.log` → `UNC/srv/share/a.log`, so two
 *   LogFiles with the same file name cannot collide. A file reached twice is taken once.
 * - MaxSize counts the uncompressed bytes (file sizes when scanned) and stops there: the first
 *   file that would go over the limit and every file after it are omitted ("stopping at MaxSize").
 */
import { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import { errorCode, errorLine } from '../lib/error-text';
import { CollectError } from './errors';
import { isAbsoluteFor, type Platform } from './tools';

export interface FoundFile {
  /** Where to read it. */
  path: string;
  /** Its name in the archive (forward slashes, no root). */
  entryName: string;
  /** Bytes when scanned; no more than this is read. */
  size: number;
  mtime: Date;
  mode: number;
  /** Device and inode when scanned: the file read must be this one (collector.ts). */
  dev: number;
  ino: number;
}

export interface Omitted {
  path: string;
  reason: string;
}

export interface ScanResult {
  files: FoundFile[];
  omitted: Omitted[];
  notes: string[];
}

export const REASON_SYMLINK = 'symbolic link, not followed';
export const REASON_NOT_REGULAR = 'not a regular file';
export const REASON_CHANGED = 'replaced since it was scanned (a link, another file or not a regular file now), not read';

/** The archive name of an absolute path (see the module comment). */
export function archiveEntryName(absPath: string, platform: Platform = process.platform): string {
  if (platform === 'win32') {
    const p = path.win32.normalize(absPath);
    const unc = /^\\\\([^\\]+)\\([^\\]+)\\?(.*)$/.exec(p);
    const parts = unc ? ['UNC', unc[1]!, unc[2]!, ...unc[3]!.split('\\')] : [p[0]!.toUpperCase(), ...p.slice(3).split('\\')];
    return parts.filter((s) => s.length > 0).join('/');
  }
  return path.posix
    .normalize(absPath)
    .split('/')
    .filter((s) => s.length > 0)
    .join('/');
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** done/total count LogFile paths; `detail` says what is being looked at. */
  onProgress?: (done: number, total: number, detail?: string) => void;
  platform?: Platform;
}

/** Finds the files under the LogFile paths (in the given order, each path once). */
export async function scanLogFiles(logFiles: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const platform = options.platform ?? process.platform;
  const files: FoundFile[] = [];
  const omitted: Omitted[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const roots = [...new Set(logFiles.map((p) => p.trim()).filter((p) => p.length > 0))];
  let lastProgress = 0;

  const checkAbort = () => {
    if (options.signal?.aborted) throw new CollectError('aborted', 'The collection was cancelled.');
  };
  /** `p` names it in the archive; it is read at `readPath` (the real path of a LogFile link). */
  const addFile = (p: string, st: Stats, readPath = p) => {
    const entryName = archiveEntryName(p, platform);
    if (entryName === '' || seen.has(entryName)) return;
    seen.add(entryName);
    files.push({ path: readPath, entryName, size: st.size, mtime: st.mtime, mode: st.mode & 0xffff, dev: st.dev, ino: st.ino });
  };
  const walk = async (dir: string): Promise<void> => {
    checkAbort();
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch (err) {
      omitted.push({ path: dir, reason: `folder cannot be read: ${errorCode(err)}` });
      return;
    }
    names.sort();
    const now = Date.now();
    if (now - lastProgress > 200) {
      lastProgress = now;
      options.onProgress?.(done, roots.length, dir);
    }
    for (const name of names) {
      const p = path.join(dir, name);
      let st: Stats;
      try {
        st = await fsp.lstat(p);
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') omitted.push({ path: p, reason: `cannot be read: ${errorCode(err)}` });
        continue; // gone since readdir: a log rotated away
      }
      if (st.isSymbolicLink()) omitted.push({ path: p, reason: REASON_SYMLINK });
      else if (st.isDirectory()) await walk(p);
      else if (st.isFile()) addFile(p, st);
      else omitted.push({ path: p, reason: REASON_NOT_REGULAR });
    }
  };

  let done = 0;
  for (const root of roots) {
    checkAbort();
    options.onProgress?.(done, roots.length, root);
    if (!isAbsoluteFor(root, platform)) {
      notes.push(`LogFile ${root} is not an absolute path; it was left out.`);
    } else {
      const abs = path.resolve(root);
      let st: Stats | null = null;
      try {
        st = await fsp.stat(abs); // a LogFile that is a link is followed
      } catch (err) {
        if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') notes.push(`LogFile ${root} does not exist.`);
        else notes.push(`LogFile ${root} cannot be read (${errorLine(err)}).`);
      }
      if (st?.isDirectory()) await walk(abs);
      else if (st?.isFile()) {
        // Read through the real path: the collector opens files without following a final link.
        const real = await fsp.realpath(abs).catch(() => null);
        if (real === null) notes.push(`LogFile ${root} does not exist.`);
        else addFile(abs, st, real);
      }
      else if (st) omitted.push({ path: abs, reason: REASON_NOT_REGULAR });
    }
    done++;
  }
  options.onProgress?.(done, roots.length);
  return { files, omitted, notes };
}

/** Keeps files in order while their total stays within maxBytes; the rest is omitted. */
export function selectWithinLimit(
  files: FoundFile[],
  maxBytes: number,
): { included: FoundFile[]; left: FoundFile[]; includedBytes: number; leftBytes: number } {
  let includedBytes = 0;
  let i = 0;
  for (; i < files.length; i++) {
    const size = files[i]!.size;
    if (includedBytes + size > maxBytes) break;
    includedBytes += size;
  }
  const left = files.slice(i);
  return { included: files.slice(0, i), left, includedBytes, leftBytes: left.reduce((s, f) => s + f.size, 0) };
}
