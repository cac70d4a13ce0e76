/** The names in the queue's folder and the file operations its parts share (docs/formats/queue.md). */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { syncDir } from '../lib/atomic-file';

export const SNAPSHOT_FILE = 'snapshot.erq';
export const ATTACHMENTS_DIR = 'attachments';
export const LOCK_FILE = 'lock';
const JOURNAL_RE = /^journal-(\d{8})\.erq$/;

/** Damage found on open: which file, where its bad bytes were kept, and what was wrong. */
export interface QueueNotice {
  file: string;
  /** the copy of the damaged bytes, or null when they could not be kept (or in a read-only look) */
  aside: string | null;
  /** one line in English */
  reason: string;
}

export function journalPath(dir: string, generation: number): string {
  return path.join(dir, `journal-${String(generation).padStart(8, '0')}.erq`);
}

export async function listJournals(dir: string): Promise<{ generation: number; file: string }[]> {
  const names = await fsp.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names
    .map((name) => ({ m: JOURNAL_RE.exec(name), name }))
    .filter((x) => x.m !== null)
    .map((x) => ({ generation: Number(x.m![1]), file: path.join(dir, x.name) }))
    .sort((a, b) => a.generation - b.generation);
}

export async function removeJournalsBelow(dir: string, generation: number): Promise<void> {
  const old = (await listJournals(dir)).filter((j) => j.generation < generation);
  if (old.length === 0) return;
  await Promise.all(old.map((j) => fsp.rm(j.file, { force: true })));
  await syncDir(dir);
}
