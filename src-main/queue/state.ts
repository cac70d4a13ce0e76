/**
 * The queue in memory: every report by id, the pending ones ordered by their next attempt in
 * each lane (so that a lane held by its limits never hides another lane's due reports), and
 * the settled ones in the order they settled (the history cap drops the oldest). It changes only
 * by applying journal records, live after they are durable and on replay, so both give the same
 * state.
 */
import type { MethodName } from '../../src-shared/methods';
import { DueIndex } from './due-index';
import { isPending, type EntryPatch, type HeldRecord, type QueueEntry } from './records';

export class QueueMemory {
  readonly entries = new Map<string, QueueEntry>();
  /** settled ids, oldest settled first */
  private readonly settled = new Set<string>();
  /** by lane */
  private readonly due = new Map<MethodName, DueIndex>();
  private readonly versions = new Map<string, number>();
  /** taken by the dispatcher, being tried */
  private readonly taken = new Set<string>();
  /** attachment files no report needs any more, for the store to delete */
  private released: string[] = [];
  nextSeq = 0;

  constructor(private readonly historyCap: number) {}

  apply(record: HeldRecord): void {
    switch (record.op) {
      case 'snapshot':
        this.nextSeq = Math.max(this.nextSeq, record.nextSeq);
        return;
      case 'insert': {
        this.place(record.entry);
        this.nextSeq = Math.max(this.nextSeq, record.entry.seq + 1);
        return;
      }
      case 'update': {
        const entry = this.entries.get(record.id);
        // An update of a report dropped from the history (or lost to damage) changes nothing.
        if (entry) this.place(patched(entry, record.set, (files) => this.released.push(...files)));
        return;
      }
    }
  }

  /** Adds or replaces an entry in the indexes; trims the history. */
  private place(entry: QueueEntry): void {
    const id = entry.id;
    this.entries.set(id, entry);
    this.taken.delete(id);
    const version = (this.versions.get(id) ?? 0) + 1;
    this.versions.set(id, version);
    this.settled.delete(id);
    if (isPending(entry.state)) {
      let lane = this.due.get(entry.lane);
      if (!lane) this.due.set(entry.lane, (lane = new DueIndex()));
      lane.push(id, entry.nextAttemptAt ?? entry.acceptedAt, entry.seq, version);
      return;
    }
    this.settled.add(id);
    while (this.settled.size > this.historyCap) {
      const oldest = this.settled.values().next().value!;
      this.settled.delete(oldest);
      const dropped = this.entries.get(oldest);
      this.entries.delete(oldest);
      this.versions.delete(oldest);
      if (dropped) this.releaseFiles(dropped);
    }
  }

  private releaseFiles(entry: QueueEntry): void {
    for (const a of entry.attachments) if ('file' in a) this.released.push(a.file);
  }

  /** The attachment files released since the last call. */
  drainReleased(): string[] {
    const out = this.released;
    this.released = [];
    return out;
  }

  private isCurrent = (id: string, version: number): boolean => !this.taken.has(id) && this.versions.get(id) === version;

  /** Marks up to `max` pending reports due at `now` as taken, earliest first across the lanes. */
  takeDue(now: number, max: number): QueueEntry[] {
    const out: QueueEntry[] = [];
    while (out.length < max) {
      let best: { lane: MethodName; at: number; seq: number } | null = null;
      for (const lane of this.due.keys()) {
        const head = this.headOf(lane);
        if (head && head.at <= now && (!best || head.at < best.at || (head.at === best.at && head.seq < best.seq))) best = { lane, ...head };
      }
      if (!best) break;
      out.push(this.takeDueIn(best.lane, now)!);
    }
    return out;
  }

  /** The lanes that have (or had) pending reports. */
  lanes(): IterableIterator<MethodName> {
    return this.due.keys();
  }

  /** The earliest pending report of the lane not taken: its time and acceptance order, or null. */
  headOf(lane: MethodName): { at: number; seq: number } | null {
    const top = this.due.get(lane)?.peek(this.isCurrent);
    return top ? { at: top.at, seq: top.seq } : null;
  }

  /** Marks the lane's earliest pending report as taken when it is due at `now`. */
  takeDueIn(lane: MethodName, now: number): QueueEntry | null {
    const index = this.due.get(lane);
    const top = index?.peek(this.isCurrent);
    if (!index || !top || top.at > now) return null;
    index.pop();
    this.taken.add(top.id);
    return this.entries.get(top.id)!;
  }

  /** Gives a taken report back unchanged (an attempt cancelled by stop). */
  release(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || !this.taken.has(id)) return;
    this.place(entry);
  }

  isTaken(id: string): boolean {
    return this.taken.has(id);
  }

  /** The earliest next attempt of a pending report not taken, or null. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const index of this.due.values()) {
      const at = index.peek(this.isCurrent)?.at;
      if (at !== undefined && (next === null || at < next)) next = at;
    }
    return next;
  }

  counts(): { entries: number; pending: number; settled: number; taken: number } {
    return { entries: this.entries.size, pending: this.entries.size - this.settled.size, settled: this.settled.size, taken: this.taken.size };
  }
}

/** The entry with the patch applied; a delivered report keeps no envelope and no attachments. */
function patched(entry: QueueEntry, set: EntryPatch, release: (files: string[]) => void): QueueEntry {
  const next: QueueEntry = { ...entry };
  for (const [key, value] of Object.entries(set)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (next.state === 'delivered' && (next.envelope !== null || next.attachments.length > 0)) {
    release(next.attachments.flatMap((a) => ('file' in a ? [a.file] : [])));
    next.envelope = null;
    next.attachments = [];
  }
  return next;
}
