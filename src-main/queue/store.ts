/**
 * The durable store of the report queue (docs/formats/queue.md): an append-only journal of
 * framed, checksummed records plus a snapshot, in one folder:
 *
 *   DIR/snapshot.erq               every report as of the start of journal N (written atomically)
 *   DIR/journal-NNNNNNNN.erq       the changes since, appended; fsync'd before a change counts
 *   DIR/attachments/<id>-<NN>      attachment files the queue owns
 *   DIR/lock                       the pid of the process that has the queue open
 *
 * Concurrent changes share one write and one fsync (group commit). When the journal outgrows
 * the snapshot, a new journal is started and a new snapshot written (compaction). On open the
 * files are replayed (replay.ts); a damaged record is set aside in `<file>.corrupt-<time>` and
 * reported as a notice, never fatal. The folder has one owner at a time (lock.ts).
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { MethodName } from '../../src-shared/methods';
import { removeStaleTemps, syncDir, writeFileAtomic } from '../lib/atomic-file';
import { errorText } from '../lib/error-text';
import { ATTACHMENTS_DIR, journalPath, removeJournalsBelow, SNAPSHOT_FILE, type QueueNotice } from './files';
import { framePieces } from './framing';
import { acquireLock, QueueLockedError, type FolderLock } from './lock';
import { recordPieces, type EntryPatch, type HeldRecord, type QueueEntry } from './records';
import { DEFAULT_HISTORY_CAP, load } from './replay';
import { Snapshot } from './snapshot';
import { QueueMemory } from './state';

export { ATTACHMENTS_DIR, LOCK_FILE, SNAPSHOT_FILE, type QueueNotice } from './files';
export { QueueLockedError } from './lock';
export { DEFAULT_HISTORY_CAP, readQueue } from './replay';

export const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_OUTCOME_LINGER_MS = 5;
/** outcomes waiting that are written at once, without waiting for more */
const MAX_LINGER_BATCH = 256;

export interface QueueStoreOptions {
  dir: string;
  /** one write and one fsync for all concurrent changes (default true); false is the naive baseline */
  groupCommit?: boolean;
  /** settled reports kept in the history (default 10,000); the oldest settled are dropped */
  historyCap?: number;
  /** the journal size that starts a compaction, once it is also larger than the snapshot */
  compactBytes?: number;
  /**
   * How long the outcomes of attempts wait to share a write (default 5 ms): an outcome is not
   * waited for by a lane (its slot is free already), and a queue draining after an outage would
   * otherwise fsync once per report. An accept never waits: one arriving ends the wait.
   */
  outcomeLingerMs?: number;
  /** the wall clock, for the names of set-aside files */
  now?: () => number;
  /** problems that do not stop the queue (a failed compaction), for the service log */
  log?: (line: string) => void;
}

interface Pending {
  record: HeldRecord;
  bytes: Buffer;
  syncAttachments: boolean;
  resolve(entry: QueueEntry | undefined): void;
  reject(err: unknown): void;
}

/** Folders open in this process: a second open would corrupt the first. */
const openDirs = new Set<string>();
/** the kernel-released lock of each folder open here */
const locks = new Map<string, FolderLock>();

export class QueueStore {
  readonly attachmentsDir: string;
  private batch: Pending[] = [];
  /** an accept is in the batch: it is written at once */
  private batchHasInsert = false;
  /** ends the outcomes' wait early (an accept arrived) */
  private wake: (() => void) | null = null;
  private flushing: Promise<void> | null = null;
  private compaction: Promise<void> = Promise.resolve();
  private compactAt: number;
  private readonly inserting = new Set<string>();
  private broken: Error | null = null;
  private closing: Promise<void> | null = null;
  private seq: number;
  /** journal writes (each one fsync) since open */
  private commits = 0;

  private constructor(
    readonly dir: string,
    private readonly memory: QueueMemory,
    private journal: FileHandle,
    private generation: number,
    private journalBytes: number,
    private snapshotBytes: number,
    /** damage found when the queue was opened */
    readonly notices: QueueNotice[],
    private readonly options: QueueStoreOptions,
  ) {
    this.attachmentsDir = path.join(dir, ATTACHMENTS_DIR);
    this.compactAt = this.threshold();
    this.seq = memory.nextSeq;
  }

  /** Opens (or creates) the queue in `options.dir`, replaying what is there. */
  static async open(options: QueueStoreOptions): Promise<QueueStore> {
    const dir = path.resolve(options.dir);
    if (openDirs.has(dir)) throw new QueueLockedError(dir, process.pid);
    await fsp.mkdir(path.join(dir, ATTACHMENTS_DIR), { recursive: true, mode: 0o700 });
    const lock = await acquireLock(dir);
    openDirs.add(dir);
    locks.set(dir, lock);
    try {
      await removeStaleTemps(path.join(dir, SNAPSHOT_FILE));
      const loaded = await load(dir, options.historyCap ?? DEFAULT_HISTORY_CAP, { setAside: true, now: options.now ?? Date.now });
      // Start a fresh journal and write what was read as the snapshot: damaged tails are left
      // behind (kept aside), and appends never follow a torn record.
      const generation = Math.max(loaded.lastJournal, loaded.nextJournal - 1) + 1;
      const journal = await fsp.open(journalPath(dir, generation), 'ax', 0o600);
      try {
        await syncDir(dir);
        const snapshot = new Snapshot([...loaded.memory.entries.values()], generation, loaded.memory.nextSeq);
        await writeFileAtomic(path.join(dir, SNAPSHOT_FILE), snapshot.chunks());
        await removeJournalsBelow(dir, generation);
        await sweepAttachments(dir, loaded.memory);
        return new QueueStore(dir, loaded.memory, journal, generation, 0, snapshot.bytes, loaded.notices, options);
      } catch (err) {
        await journal.close();
        throw err;
      }
    } catch (err) {
      openDirs.delete(dir);
      locks.delete(dir);
      await lock.release();
      throw err;
    }
  }

  get(id: string): QueueEntry | undefined {
    return this.memory.entries.get(id);
  }

  has(id: string): boolean {
    return this.memory.entries.has(id) || this.inserting.has(id);
  }

  /** Every report, in acceptance order of first insert. */
  entries(): IterableIterator<QueueEntry> {
    return this.memory.entries.values();
  }

  counts(): { entries: number; pending: number; settled: number; taken: number; journalBytes: number; generation: number; commits: number } {
    return { ...this.memory.counts(), journalBytes: this.journalBytes, generation: this.generation, commits: this.commits };
  }

  /**
   * Stores a new report (its `seq` is set here, in acceptance order); resolves once it is
   * durable. `syncAttachments`: fsync the attachments folder first, because the report names
   * files just moved there.
   */
  async insert(entry: Omit<QueueEntry, 'seq'>, options: { syncAttachments?: boolean } = {}): Promise<QueueEntry> {
    if (this.has(entry.id)) throw new Error(`report ${entry.id} is already in the queue`);
    this.inserting.add(entry.id);
    try {
      // `seq` first: V8 gives `{ ...entry, seq }` (a key added after a spread) a map of its own
      // for every object: some 600 bytes a pending report (docs/operations.md, "Memory").
      return (await this.enqueue({ op: 'insert', entry: { seq: this.seq++, ...entry } }, options.syncAttachments ?? false))!;
    } finally {
      this.inserting.delete(entry.id);
    }
  }

  /** Changes a report; resolves once durable (with undefined if the history dropped it meanwhile). Releases a taken report. */
  update(id: string, set: EntryPatch): Promise<QueueEntry | undefined> {
    if (!this.memory.entries.has(id)) return Promise.reject(new Error(`report ${id} is not in the queue`));
    return this.enqueue({ op: 'update', id, set }, false);
  }

  /** Takes up to `max` pending reports due at `now` (earliest first); they stay taken until updated or released. */
  takeDue(now: number, max: number): QueueEntry[] {
    return this.memory.takeDue(now, max);
  }

  /** The lanes that have (or had) pending reports. */
  lanes(): IterableIterator<MethodName> {
    return this.memory.lanes();
  }

  /** The lane's earliest pending report not taken (its time and acceptance order), or null. */
  headOf(lane: MethodName): { at: number; seq: number } | null {
    return this.memory.headOf(lane);
  }

  /** Takes the lane's earliest pending report if it is due at `now`; it stays taken until updated or released. */
  takeDueIn(lane: MethodName, now: number): QueueEntry | null {
    return this.memory.takeDueIn(lane, now);
  }

  /** Gives back a taken report unchanged. */
  release(id: string): void {
    this.memory.release(id);
  }

  isTaken(id: string): boolean {
    return this.memory.isTaken(id);
  }

  /** The earliest next attempt among pending reports not taken, or null. */
  nextDueAt(): number | null {
    return this.memory.nextDueAt();
  }

  attachmentPath(file: string): string {
    return path.join(this.attachmentsDir, file);
  }

  /** Finishes the write in hand, then closes the journal and frees the folder. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flushing;
      await this.compaction;
      await this.journal.close().catch(() => undefined);
      openDirs.delete(this.dir);
      const lock = locks.get(this.dir);
      locks.delete(this.dir);
      await lock?.release();
    })();
    return this.closing;
  }

  private enqueue(record: HeldRecord, syncAttachments: boolean): Promise<QueueEntry | undefined> {
    if (this.closing) return Promise.reject(new Error('the report queue is closed'));
    if (this.broken) return Promise.reject(this.broken);
    let bytes: Buffer;
    try {
      bytes = framePieces(recordPieces(record));
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.batch.push({ record, bytes, syncAttachments, resolve, reject });
      if (record.op !== 'update') {
        this.batchHasInsert = true;
        this.wake?.();
      }
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.batch.length > 0) {
        const linger = this.options.outcomeLingerMs ?? DEFAULT_OUTCOME_LINGER_MS;
        if (this.options.groupCommit !== false && linger > 0 && !this.batchHasInsert && this.batch.length < MAX_LINGER_BATCH) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, linger);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
        const batch = this.options.groupCommit === false ? this.batch.splice(0, 1) : this.batch.splice(0);
        this.batchHasInsert = this.batch.some((p) => p.record.op !== 'update');
        if (this.broken) {
          for (const p of batch) p.reject(this.broken);
          continue;
        }
        await this.commit(batch);
        if (!this.broken && this.journalBytes >= this.compactAt) await this.compact();
      }
    } finally {
      this.flushing = null;
    }
  }

  /** One write and one fsync for the batch; then the changes apply in memory and their callers hear. */
  private async commit(batch: Pending[]): Promise<void> {
    const bytes = batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((p) => p.bytes));
    try {
      if (batch.some((p) => p.syncAttachments)) await syncDir(this.attachmentsDir);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    try {
      await writeAll(this.journal, bytes);
    } catch (err) {
      // Cut the partial write off, so later records do not follow a torn one.
      try {
        await this.journal.truncate(this.journalBytes);
        await this.journal.datasync();
      } catch (cause) {
        this.broken = new Error(`the report queue cannot write its journal: ${errorText(err)}; restart the service`, { cause });
      }
      for (const p of batch) p.reject(err);
      return;
    }
    try {
      await this.journal.datasync();
    } catch (err) {
      // After a failed fsync the kernel may have dropped the pages: nothing written since is trusted.
      this.broken = new Error(`the report queue cannot write its journal: ${errorText(err)}; restart the service`, { cause: err });
      for (const p of batch) p.reject(this.broken);
      return;
    }
    this.journalBytes += bytes.length;
    this.commits++;
    for (const p of batch) this.memory.apply(p.record);
    const released = this.memory.drainReleased();
    if (released.length > 0) void Promise.all(released.map((f) => fsp.rm(this.attachmentPath(f), { force: true }))).catch(() => undefined);
    for (const p of batch) p.resolve(this.memory.entries.get(recordId(p.record)));
  }

  private threshold(): number {
    return Math.max(this.options.compactBytes ?? DEFAULT_COMPACT_BYTES, this.snapshotBytes);
  }

  /**
   * Starts journal N+1 and writes the snapshot of everything before it. Appends go on into the
   * new journal while the snapshot is written; journal N is deleted once the snapshot is in
   * place. A crash at any point leaves files that replay to the same reports.
   */
  private async compact(): Promise<void> {
    await this.compaction;
    const generation = this.generation + 1;
    let journal: FileHandle;
    try {
      journal = await fsp.open(journalPath(this.dir, generation), 'ax', 0o600);
      await syncDir(this.dir);
    } catch (err) {
      this.options.log?.(`report queue: compaction could not start a new journal: ${errorText(err)}`);
      this.compactAt = this.journalBytes + this.threshold();
      return;
    }
    // Entries are never changed in place (state.ts replaces them), so the list of them now is
    // the queue as of journal N+1's start, serialised while it is written.
    const snapshot = new Snapshot([...this.memory.entries.values()], generation, this.memory.nextSeq);
    const old = this.journal;
    this.journal = journal;
    this.generation = generation;
    this.journalBytes = 0;
    // Until the snapshot's size is known: the journal it replaces was at least as large.
    this.compactAt = this.threshold();
    this.compaction = (async () => {
      await old.close().catch(() => undefined);
      try {
        await writeFileAtomic(path.join(this.dir, SNAPSHOT_FILE), snapshot.chunks());
        this.snapshotBytes = snapshot.bytes;
        this.compactAt = this.threshold();
        await removeJournalsBelow(this.dir, generation);
      } catch (err) {
        // The older journals stay and are replayed with the new one: nothing is lost.
        this.options.log?.(`report queue: compaction could not write the snapshot: ${errorText(err)}`);
      }
    })();
  }
}

function recordId(record: HeldRecord): string {
  return record.op === 'insert' ? record.entry.id : record.op === 'update' ? record.id : '';
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Deletes attachment files no report names (left by a crash between moving a file and its insert). */
async function sweepAttachments(dir: string, memory: QueueMemory): Promise<void> {
  const wanted = new Set<string>();
  for (const entry of memory.entries.values()) for (const a of entry.attachments) if ('file' in a) wanted.add(a.file);
  const folder = path.join(dir, ATTACHMENTS_DIR);
  const names = await fsp.readdir(folder);
  await Promise.all(names.filter((n) => !wanted.has(n)).map((n) => fsp.rm(path.join(folder, n), { force: true, recursive: true })));
}
