/**
 * Reading the queue's files back (docs/formats/queue.md, "Opening"): the snapshot, then every
 * journal it does not hold, record by record. Damaged or invalid records are set aside in
 * `<file>.corrupt-<time>` and reported as notices; they never stop the queue.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../lib/atomic-file';
import { listJournals, SNAPSHOT_FILE, type QueueNotice } from './files';
import { HEADER_BYTES, scanFrames, type DamagedRegion } from './framing';
import { heldRecord, recordSchema, type QueueEntry, type QueueRecord } from './records';
import { QueueMemory } from './state';

export const DEFAULT_HISTORY_CAP = 10_000;

export interface Loaded {
  memory: QueueMemory;
  notices: QueueNotice[];
  /** the journals below this are in the snapshot */
  nextJournal: number;
  /** the highest journal number found (0: none) */
  lastJournal: number;
}

interface Bad {
  start: number;
  end: number;
  what: string;
}

function describe(region: DamagedRegion, size: number): string {
  const bytes = region.end - region.start;
  const rest = region.end === size ? ` (the rest of the file, ${bytes} bytes)` : ` (${bytes} bytes)`;
  switch (region.reason) {
    case 'torn':
      return `an incomplete record at byte ${region.start}${rest}: a write cut short, never acknowledged`;
    case 'length':
      return `a record with an impossible length at byte ${region.start}${rest}`;
    case 'checksum':
      return `a record whose checksum does not match at byte ${region.start}${rest}`;
  }
}

function stampOf(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

/**
 * Applies the records of one file to `memory`. Returns the snapshot header when `snapshot` and
 * the file starts with one, and a notice when anything in it was damaged or invalid.
 */
async function replayFile(
  file: string,
  memory: QueueMemory,
  snapshot: boolean,
  options: { setAside: boolean; now: () => number },
): Promise<{ header: Extract<QueueRecord, { op: 'snapshot' }> | null; notice: QueueNotice | null }> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { header: null, notice: null };
    throw err;
  }
  const bad: Bad[] = [];
  let header: Extract<QueueRecord, { op: 'snapshot' }> | null = null;
  let first = true;
  const damaged = scanFrames(buf, (payload, offset) => {
    const isFirst = first;
    first = false;
    const end = offset + HEADER_BYTES + payload.length;
    let record: QueueRecord;
    try {
      record = recordSchema.parse(JSON.parse(payload.toString('utf8')));
    } catch {
      bad.push({ start: offset, end, what: `a record that is not a valid queue record at byte ${offset} (${end - offset} bytes)` });
      return;
    }
    if (record.op === 'snapshot') {
      if (snapshot && isFirst) {
        header = record;
        memory.apply(record);
      } else bad.push({ start: offset, end, what: `a snapshot header out of place at byte ${offset}` });
      return;
    }
    if (snapshot && isFirst) bad.push({ start: offset, end: offset, what: 'no snapshot header: every journal found is replayed' });
    memory.apply(heldRecord(record));
  });
  for (const region of damaged) bad.push({ start: region.start, end: region.end, what: describe(region, buf.length) });
  memory.drainReleased();
  if (bad.length === 0) return { header, notice: null };
  bad.sort((a, b) => a.start - b.start);
  let aside: string | null = null;
  if (options.setAside) {
    const candidate = `${file}.corrupt-${stampOf(options.now())}`;
    try {
      await writeFileAtomic(candidate, Buffer.concat(bad.map((b) => buf.subarray(b.start, b.end))));
      aside = candidate;
    } catch {
      aside = null;
    }
  }
  return { header, notice: { file, aside, reason: bad.map((b) => b.what).join('; ') } };
}

export async function load(dir: string, historyCap: number, options: { setAside: boolean; now: () => number }): Promise<Loaded> {
  const memory = new QueueMemory(historyCap);
  const notices: QueueNotice[] = [];
  const snap = await replayFile(path.join(dir, SNAPSHOT_FILE), memory, true, options);
  if (snap.notice) notices.push(snap.notice);
  const header = snap.header as Extract<QueueRecord, { op: 'snapshot' }> | null;
  // Without a readable header, replay every journal: patches are absolute, so replaying one
  // already in the snapshot converges to the same reports.
  const nextJournal = header?.nextJournal ?? 1;
  const journals = await listJournals(dir);
  for (const j of journals) {
    if (j.generation < nextJournal && header) continue;
    const replayed = await replayFile(j.file, memory, false, options);
    if (replayed.notice) notices.push(replayed.notice);
  }
  return { memory, notices, nextJournal, lastJournal: journals.at(-1)?.generation ?? 0 };
}

/**
 * Reads the queue without opening it for writing (no lock, nothing set aside or changed): for
 * `express-report queue` and `history` while the service runs. A record being written at that
 * moment looks torn and is left out.
 */
export async function readQueue(dir: string, historyCap = DEFAULT_HISTORY_CAP): Promise<{ entries: QueueEntry[]; notices: QueueNotice[] }> {
  const folder = path.resolve(dir);
  const identity = async () => {
    const stat = await fsp.stat(path.join(folder, SNAPSHOT_FILE)).catch(() => null);
    return stat ? `${stat.ino}:${stat.mtimeMs}:${stat.size}` : '';
  };
  for (let attempt = 0; ; attempt++) {
    const before = await identity();
    const loaded = await load(folder, historyCap, { setAside: false, now: Date.now });
    // A compaction of the running service replaced the snapshot meanwhile: read again.
    if ((await identity()) === before || attempt >= 5) return { entries: [...loaded.memory.entries.values()], notices: loaded.notices };
  }
}
