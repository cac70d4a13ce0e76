/**
 * Log collection and configuration collection (SPEC H7 while running, H9): run the tools, then
 * pack their LogFile files and folders into one zip archive in a temp folder.
 *
 *   1. tools   — each tool's Command, one after another, all within one TimeOut (tools.ts).
 *   2. scan    — the LogFile files and folders, recursively; MaxSize decides what fits (scan.ts).
 *   3. space   — the temp folder must have twice the bytes to collect free (seed: "採取したログの
 *                ファイルサイズの 2 倍の空き容量が必要"); otherwise CollectError 'no-space' and
 *                nothing has been written.
 *   4. zip     — the archive is streamed to `<tempDir>/er-collect-XXXXXX/<archiveName>` (zip-writer.ts):
 *                each file is read as a stream (at most the size it had when scanned), deflated
 *                and written as it goes, so neither a file nor the archive is ever held in memory.
 *                With nothing to collect the archive is empty but valid (seed: "ファイルが含まれない
 *                圧縮ファイルが送付されます").
 *
 * Whatever happens — success then dispose(), a failure, a cancel through the AbortSignal — the
 * temp folder ends with nothing of ours left in it. What was left out is in `omitted` (one row per
 * path, with the reason) and summed up in `notes` (English lines, one per fact).
 *
 * This module defines its own input (CollectionPlan); mapping AMHTPLOG.INF / AMHTPHBI.INF onto it
 * (which tools match an event, MaxSize KB → bytes) is the caller's job.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CollectError, formatBytes } from './errors';
import { errorCode, errorLine } from '../lib/error-text';
import { NONBLOCKING_READ } from '../platform/bounded-file';
import { scanLogFiles, selectWithinLimit, REASON_CHANGED, REASON_SYMLINK, REASON_NOT_REGULAR, type FoundFile, type Omitted } from './scan';
import { runTools, type CollectionTool } from './tools';
import { ZipOutputError, ZipWriter } from './zip-writer';

export { CollectError, type CollectErrorCode } from './errors';
export type { CollectionTool } from './tools';

export interface CollectionPlan {
  tools: CollectionTool[];
  /** TimeOut in seconds for all the commands together; 0 = none. */
  timeoutSeconds: number;
  /** MaxSize in bytes of uncompressed input; 0 (or less) = DEFAULT_MAX_BYTES. */
  maxBytes: number;
  /** File name of the archive, e.g. "log.zip" (a plain name, no folders). */
  archiveName: string;
}

export interface CollectProgress {
  phase: 'tools' | 'scan' | 'zip';
  /** tools: commands finished; scan: LogFile paths scanned; zip: input bytes packed. */
  done: number;
  total: number;
  detail?: string;
}

export interface CollectOptions {
  /** Where the archive is written; default os.tmpdir(). */
  tempDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: CollectProgress) => void;
  /** Free bytes for the current user in a folder; default statfs (bavail × bsize). */
  freeSpace?: (dir: string) => Promise<number>;
  /** Deflate level 1–9; default DEFAULT_COMPRESSION_LEVEL. */
  compressionLevel?: number;
}

export interface CollectedArchive {
  /** The zip file; valid until dispose(). */
  path: string;
  size: number;
  /** Hex SHA-256 of the archive. */
  sha256: string;
  /** Files in the archive. */
  included: number;
  /** Uncompressed bytes of those files. */
  includedBytes: number;
  omitted: Omitted[];
  notes: string[];
  /** Removes the archive and its temp folder (safe to call more than once). */
  dispose(): Promise<void>;
}

/**
 * MaxSize=0: the seed says "おおよそ 700MB~1GB", depending on the program's state. We take
 * 700 MiB (734 MB): inside that range on any reading of MB, and it leaves room on a 32-bit
 * sized upload.
 */
export const DEFAULT_MAX_BYTES = 700 * 1024 * 1024;

/**
 * Deflate level 1: logs are text and compress well at any level (about 5–6× at level 1, a tenth
 * better at 6 for three times the CPU); a collection on a server in trouble should finish fast.
 */
export const DEFAULT_COMPRESSION_LEVEL = 1;

const PROGRESS_EVERY_MS = 100;
const WORK_PREFIX = 'er-collect-';

export async function defaultFreeSpace(dir: string): Promise<number> {
  const s = await fsp.statfs(dir);
  return s.bavail * s.bsize;
}

export async function collect(plan: CollectionPlan, options: CollectOptions = {}): Promise<CollectedArchive> {
  const { signal, onProgress } = options;
  const tempDir = path.resolve(options.tempDir ?? os.tmpdir());
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new TypeError(`compressionLevel ${level} is not 1–9`);
  const archiveName = plan.archiveName;
  if (!archiveName || archiveName !== path.basename(archiveName) || archiveName === '.' || archiveName === '..' || /[\\/]/.test(archiveName)) {
    throw new TypeError(`archiveName "${archiveName}" must be a plain file name`);
  }
  const maxBytes = plan.maxBytes > 0 ? plan.maxBytes : DEFAULT_MAX_BYTES;
  const checkAbort = () => {
    if (signal?.aborted) throw new CollectError('aborted', 'The collection was cancelled.');
  };

  let workDir: string | null = null;
  try {
    checkAbort();
    // 1. tools
    const notes = await runTools(plan.tools, {
      timeoutSeconds: plan.timeoutSeconds,
      signal,
      onProgress: (done, total, detail) => onProgress?.({ phase: 'tools', done, total, detail }),
    });

    // 2. scan
    checkAbort();
    const scan = await scanLogFiles(
      plan.tools.flatMap((t) => t.logFiles),
      { signal, onProgress: (done, total, detail) => onProgress?.({ phase: 'scan', done, total, detail }) },
    );
    notes.push(...scan.notes);
    const omitted: Omitted[] = [...scan.omitted];
    const sel = selectWithinLimit(scan.files, maxBytes);
    for (const f of sel.left) omitted.push({ path: f.path, reason: `MaxSize of ${formatBytes(maxBytes)} reached` });

    // 3. space
    checkAbort();
    const needed = 2 * sel.includedBytes;
    let available: number;
    try {
      available = await (options.freeSpace ?? defaultFreeSpace)(tempDir);
    } catch (err) {
      throw new CollectError('io', `The temp folder ${tempDir} cannot be used (${errorLine(err)}).`, { cause: err });
    }
    if (available < needed) {
      throw new CollectError(
        'no-space',
        `Not enough free space in ${tempDir}: ${formatBytes(needed)} needed (twice the ${formatBytes(sel.includedBytes)} to collect), ${formatBytes(available)} available.`,
      );
    }

    // 4. zip
    checkAbort();
    try {
      workDir = await fsp.mkdtemp(path.join(tempDir, WORK_PREFIX));
    } catch (err) {
      throw new CollectError('io', `The temp folder ${tempDir} cannot be used (${errorLine(err)}).`, { cause: err });
    }
    const archivePath = path.join(workDir, archiveName);
    const written = await writeZip(archivePath, sel.included, sel.includedBytes, level, signal, (done, total, detail) =>
      onProgress?.({ phase: 'zip', done, total, detail }),
    );
    omitted.push(...written.unreadable);
    notes.push(...summarize(omitted, maxBytes, sel.left.length, sel.leftBytes));

    const dir = workDir;
    return {
      path: archivePath,
      size: written.size,
      sha256: written.sha256,
      included: written.included,
      includedBytes: written.includedBytes,
      omitted,
      notes,
      dispose: () => fsp.rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    if (workDir) await fsp.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    if (signal?.aborted) {
      throw err instanceof CollectError && err.code === 'aborted' ? err : new CollectError('aborted', 'The collection was cancelled.', { cause: err });
    }
    if (err instanceof CollectError || err instanceof TypeError) throw err;
    throw new CollectError('io', `Collecting the logs failed: ${errorLine(err)}`, { cause: err });
  }
}

function summarize(omitted: Omitted[], maxBytes: number, leftCount: number, leftBytes: number): string[] {
  const notes: string[] = [];
  if (leftCount) {
    notes.push(
      `MaxSize of ${formatBytes(maxBytes)} reached: ${leftCount} file(s) (${formatBytes(leftBytes)}) were left out, from ${omitted.find((o) => o.reason.startsWith('MaxSize'))?.path ?? '?'} on.`,
    );
  }
  const links = omitted.filter((o) => o.reason === REASON_SYMLINK).length;
  if (links) notes.push(`${links} symbolic link(s) inside LogFile folders were not followed.`);
  const changed = omitted.filter((o) => o.reason === REASON_CHANGED).length;
  if (changed) notes.push(`${changed} file(s) were replaced between the scan and the packing (by a link, another file or a special file) and were left out.`);
  const special = omitted.filter((o) => o.reason === REASON_NOT_REGULAR).length;
  if (special) notes.push(`${special} item(s) that are not regular files (sockets, pipes, devices) were left out.`);
  const unreadable = omitted.filter((o) => o.reason.includes('cannot be read') || o.reason.includes('could not be opened')).length;
  if (unreadable) notes.push(`${unreadable} item(s) could not be read and were left out.`);
  return notes;
}

interface Written {
  size: number;
  sha256: string;
  included: number;
  includedBytes: number;
  unreadable: Omitted[];
}

async function writeZip(
  file: string,
  files: FoundFile[],
  totalBytes: number,
  level: number,
  signal: AbortSignal | undefined,
  progress: (done: number, total: number, detail?: string) => void,
): Promise<Written> {
  const out = await fsp.open(file, 'wx');
  const zip = new ZipWriter(out, { level });
  const unreadable: Omitted[] = [];
  let includedBytes = 0;
  let currentName: string | undefined;
  let skipped = 0; // bytes counted in totalBytes but not read (shrunk or unreadable files)
  const ticker = setInterval(() => progress(zip.bytesRead + skipped, totalBytes, currentName), PROGRESS_EVERY_MS);
  try {
    progress(0, totalBytes);
    for (const f of files) {
      if (signal?.aborted) throw abortedError();
      const meta = { mtime: f.mtime, mode: f.mode };
      currentName = f.path;
      try {
        if (f.size === 0) {
          await zip.addEmpty(f.entryName, meta);
          continue;
        }
        let fh: FileHandle;
        try {
          fh = await fsp.open(f.path, OPEN_SCANNED);
        } catch (err) {
          // ELOOP: the path is a symbolic link now (O_NOFOLLOW).
          const code = errorCode(err);
          unreadable.push({ path: f.path, reason: code === 'ELOOP' ? REASON_CHANGED : `could not be opened: ${code}` });
          skipped += f.size;
          continue;
        }
        try {
          if (!(await isScannedFile(fh, f))) {
            unreadable.push({ path: f.path, reason: REASON_CHANGED });
            skipped += f.size;
            continue;
          }
          const read = await zip.addFile(f.entryName, fh, f.size, meta, signal);
          includedBytes += read;
          skipped += f.size - read;
        } finally {
          await fh.close().catch(() => undefined);
        }
      } catch (err) {
        if (signal?.aborted) throw abortedError();
        if (err instanceof ZipOutputError) throw new CollectError('io', `Writing ${file} failed: ${errorLine(err)}`, { cause: err });
        throw new CollectError('io', `Reading ${f.path} failed: ${errorLine(err)}`, { cause: err });
      }
    }
    if (signal?.aborted) throw abortedError();
    let end: { size: number; sha256: string };
    try {
      end = await zip.finish();
    } catch (err) {
      throw new CollectError('io', `Writing ${file} failed: ${errorLine(err)}`, { cause: err });
    }
    progress(totalBytes, totalBytes);
    return { size: end.size, sha256: end.sha256, included: zip.count, includedBytes, unreadable };
  } finally {
    clearInterval(ticker);
    await zip.close();
    await out.close().catch(() => undefined);
  }
}

/**
 * How a scanned file is opened: never through a final symbolic link (O_NOFOLLOW; Windows has no
 * such flag and relies on the identity check), never blocking (a FIFO swapped in cannot hang).
 */
const OPEN_SCANNED = NONBLOCKING_READ | (fsConstants.O_NOFOLLOW ?? 0);

/** The open file is the one that was scanned: a regular file with the same device and inode. */
async function isScannedFile(fh: FileHandle, f: FoundFile): Promise<boolean> {
  const st = await fh.stat();
  return st.isFile() && st.dev === f.dev && st.ino === f.ino;
}

function abortedError(): CollectError {
  return new CollectError('aborted', 'The collection was cancelled.');
}
