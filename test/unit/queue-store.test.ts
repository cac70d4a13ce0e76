import { cpSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frameJson, HEADER_BYTES, scanFrames } from '../../src-main/queue/framing';
import type { QueueEntry } from '../../src-main/queue/records';
import { QueueLockedError, QueueStore, readQueue, type QueueStoreOptions } from '../../src-main/queue/store';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const T = Date.UTC(2026, 2, 2, 1, 0);

function newEntry(kind: 'alert' | 'test' = 'alert'): Omit<QueueEntry, 'seq'> {
  const envelope = sampleEnvelope(kind);
  return {
    id: envelope.id,
    kind,
    method: envelope.method,
    lane: envelope.method,
    acceptedAt: T,
    state: 'queued',
    attempts: 0,
    firstAttemptAt: null,
    lastAttemptAt: null,
    nextAttemptAt: T,
    settledAt: null,
    destination: null,
    lastError: null,
    failure: null,
    event: null,
    pin: null,
    singleAttempt: false,
    envelope: JSON.stringify(envelope),
    attachments: [],
  };
}

const temps: (() => void)[] = [];
const stores: QueueStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
  while (temps.length) temps.pop()!();
});

function folder(): string {
  const t = tempDir('er-qstore-');
  temps.push(t.remove);
  return t.dir;
}

async function open(dir: string, options: Partial<QueueStoreOptions> = {}): Promise<QueueStore> {
  const store = await QueueStore.open({ dir, now: () => T, ...options });
  stores.push(store);
  return store;
}

async function closeAll(): Promise<void> {
  while (stores.length) await stores.pop()!.close();
}

const flip = (bytes: Buffer, at: number, mask: number) => bytes.writeUInt8(bytes.readUInt8(at) ^ mask, at);
const journals = (dir: string) => readdirSync(dir).filter((n) => /^journal-\d{8}\.erq$/.test(n)).sort();
const states = (store: QueueStore) => Object.fromEntries([...store.entries()].map((e) => [e.id, e.state]));

/** A closed queue whose journal holds 3 inserts and, last, an update of the first report. */
async function journalWithUpdateLast(): Promise<{ dir: string; ids: string[]; journal: string; records: { start: number; end: number }[] }> {
  const dir = folder();
  const store = await open(dir);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await store.insert(newEntry())).id);
  await store.update(ids[0]!, { state: 'delivered', settledAt: T + 1, attempts: 1, destination: 'https://a/' });
  await closeAll();
  const journal = path.join(dir, journals(dir).at(-1)!);
  const records: { start: number; end: number }[] = [];
  const damaged = scanFrames(readFileSync(journal), (payload, offset) => records.push({ start: offset, end: offset + HEADER_BYTES + payload.length }));
  expect(damaged).toEqual([]);
  expect(records).toHaveLength(4);
  return { dir, ids, journal, records };
}

describe('framing', () => {
  it('reads back what it wrote; zeroed bytes are not a record', () => {
    const buf = Buffer.concat([frameJson({ a: 1 }), frameJson({ b: 'ü' })]);
    const got: unknown[] = [];
    expect(scanFrames(buf, (p) => got.push(JSON.parse(p.toString())))).toEqual([]);
    expect(got).toEqual([{ a: 1 }, { b: 'ü' }]);
    expect(scanFrames(Buffer.concat([buf, Buffer.alloc(64)]), () => undefined)).toEqual([{ start: buf.length, end: buf.length + 64, reason: 'length' }]);
  });
});

describe('queue store', () => {
  it('keeps inserts and updates across a reopen', async () => {
    const dir = folder();
    const store = await open(dir);
    const a = await store.insert(newEntry());
    const b = await store.insert(newEntry('test'));
    expect([a.seq, b.seq]).toEqual([0, 1]);
    await store.update(a.id, { state: 'retrying', attempts: 1, nextAttemptAt: T + 300_000, lastError: { channel: 'https', step: 'connect', detail: 'refused', destination: 'https://a/', retryable: true } });
    await store.update(b.id, { state: 'delivered', attempts: 1, settledAt: T + 5, destination: 'https://a/' });
    await expect(store.insert(newEntry())).resolves.toMatchObject({ seq: 2 });
    await expect(store.insert({ ...newEntry(), id: a.id })).rejects.toThrow(/already in the queue/);
    await closeAll();
    const again = await open(dir);
    expect(again.notices).toEqual([]);
    expect(again.get(a.id)).toMatchObject({ state: 'retrying', attempts: 1, nextAttemptAt: T + 300_000, lastError: { step: 'connect' } });
    // A delivered report keeps its history line, not its content.
    expect(again.get(b.id)).toMatchObject({ state: 'delivered', envelope: null, attachments: [], destination: 'https://a/' });
    await expect(again.insert(newEntry())).resolves.toMatchObject({ seq: 3 });
  });

  it('takes due reports earliest first, once, until updated or released', async () => {
    const store = await open(folder());
    const late = await store.insert({ ...newEntry(), nextAttemptAt: T + 2000 });
    const early = await store.insert({ ...newEntry(), nextAttemptAt: T + 1000 });
    expect(store.nextDueAt()).toBe(T + 1000);
    expect(store.takeDue(T + 500, 10)).toEqual([]);
    expect(store.takeDue(T + 5000, 1).map((e) => e.id)).toEqual([early.id]);
    expect(store.nextDueAt()).toBe(T + 2000);
    expect(store.takeDue(T + 5000, 10).map((e) => e.id)).toEqual([late.id]);
    expect(store.nextDueAt()).toBeNull();
    store.release(early.id);
    await store.update(late.id, { nextAttemptAt: T + 9000 });
    expect(store.takeDue(T + 5000, 10).map((e) => e.id)).toEqual([early.id]);
    expect(store.nextDueAt()).toBe(T + 9000);
  });

  it('group commit: concurrent inserts share writes and fsyncs; the baseline does one each', async () => {
    const grouped = await open(folder());
    await Promise.all(Array.from({ length: 400 }, () => grouped.insert(newEntry())));
    expect(grouped.counts().entries).toBe(400);
    expect(grouped.counts().commits).toBeLessThan(40);
    const naive = await open(folder(), { groupCommit: false });
    await Promise.all(Array.from({ length: 100 }, () => naive.insert(newEntry())));
    expect(naive.counts().commits).toBe(100);
  });

  it('outcomes arriving one after another wait a moment to share a write; an accept ends the wait at once', async () => {
    const store = await open(folder(), { outcomeLingerMs: 40 });
    const entries = [];
    for (let i = 0; i < 10; i++) entries.push(await store.insert(newEntry()));
    const before = store.counts().commits;
    // Ten outcomes a little apart (as attempts end), within the wait: one write, one fsync.
    const outcomes: Promise<unknown>[] = [];
    for (const e of entries) {
      outcomes.push(store.update(e.id, { attempts: 1 }));
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(outcomes);
    expect(store.counts().commits).toBe(before + 1);
    expect(entries.every((e) => store.get(e.id)!.attempts === 1)).toBe(true);

    // A long wait is cut short by an accept, which is written with the outcome waiting.
    const slow = await open(folder(), { outcomeLingerMs: 60_000 });
    const first = await slow.insert(newEntry());
    const commits = slow.counts().commits;
    const started = performance.now();
    const outcome = slow.update(first.id, { attempts: 2 });
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([slow.insert(newEntry()), outcome]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(slow.counts().commits).toBe(commits + 1);
    expect(slow.get(first.id)!.attempts).toBe(2);
  });

  it('truncated at every byte of the last record: the records before it stand, the rest is set aside and reported, the queue goes on', async () => {
    const { dir, ids, journal, records } = await journalWithUpdateLast();
    const last = records.at(-1)!;
    const whole = readFileSync(journal);
    for (let cut = last.start; cut < last.end; cut++) {
      const copy = folder();
      cpSync(dir, copy, { recursive: true });
      const copied = path.join(copy, path.basename(journal));
      truncateSync(copied, cut);
      const store = await open(copy);
      expect(Object.values(states(store))).toEqual(['queued', 'queued', 'queued']);
      expect(store.get(ids[0]!)!.envelope).not.toBeNull();
      if (cut === last.start) {
        expect(store.notices).toEqual([]);
      } else {
        expect(store.notices).toHaveLength(1);
        const notice = store.notices[0]!;
        expect(notice.file).toBe(copied);
        expect(notice.reason).toMatch(new RegExp(`^an incomplete record at byte ${last.start} \\(the rest of the file, ${cut - last.start} bytes\\)`));
        expect(readFileSync(notice.aside!)).toEqual(whole.subarray(last.start, cut));
        expect(path.basename(notice.aside!)).toMatch(/^journal-\d{8}\.erq\.corrupt-2026-03-02T01-00-00-000Z$/);
      }
      // The queue goes on: a new report after the damage is kept, and the next open is clean.
      if (cut % 16 === 0 || cut === last.end - 1) {
        const added = await store.insert(newEntry());
        await closeAll();
        const again = await open(copy);
        expect(again.notices).toEqual([]);
        expect(again.get(added.id)?.state).toBe('queued');
        expect(again.counts().entries).toBe(4);
      }
      await closeAll();
    }
  });

  it('truncated inside an insert record: that report is absent, the earlier ones stand', async () => {
    const { dir, ids, journal, records } = await journalWithUpdateLast();
    const third = records[2]!;
    for (let cut = third.start + 1; cut < third.end; cut += 37) {
      const copy = folder();
      cpSync(dir, copy, { recursive: true });
      truncateSync(path.join(copy, path.basename(journal)), cut);
      const store = await open(copy);
      expect(Object.keys(states(store)).sort()).toEqual([ids[0]!, ids[1]!].sort());
      expect(store.notices).toHaveLength(1);
      await closeAll();
    }
  });

  it('a flipped byte anywhere in the last record: that record alone is lost, and reported', async () => {
    const { dir, ids, journal, records } = await journalWithUpdateLast();
    const last = records.at(-1)!;
    for (let at = last.start; at < last.end; at++) {
      const copy = folder();
      cpSync(dir, copy, { recursive: true });
      const copied = path.join(copy, path.basename(journal));
      const bytes = readFileSync(copied);
      flip(bytes, at, 0x10);
      writeFileSync(copied, bytes);
      const store = await open(copy);
      expect(store.get(ids[0]!)!.state).toBe('queued');
      expect(store.counts().entries).toBe(3);
      expect(store.notices).toHaveLength(1);
      expect(store.notices[0]!.reason).toMatch(/checksum|impossible length|incomplete/);
      await closeAll();
    }
  });

  it('a flipped payload byte in the middle: only that record is set aside; a damaged length sets aside the rest', async () => {
    const { dir, ids, journal, records } = await journalWithUpdateLast();
    const second = records[1]!;

    const payloadFlip = folder();
    cpSync(dir, payloadFlip, { recursive: true });
    let file = path.join(payloadFlip, path.basename(journal));
    let bytes = readFileSync(file);
    flip(bytes, second.start + HEADER_BYTES + 20, 0x01);
    writeFileSync(file, bytes);
    let store = await open(payloadFlip);
    expect(states(store)).toEqual({ [ids[0]!]: 'delivered', [ids[2]!]: 'queued' });
    expect(store.notices[0]!.reason).toBe(`a record whose checksum does not match at byte ${second.start} (${second.end - second.start} bytes)`);
    expect(readFileSync(store.notices[0]!.aside!)).toEqual(bytes.subarray(second.start, second.end));
    await closeAll();

    const lengthFlip = folder();
    cpSync(dir, lengthFlip, { recursive: true });
    file = path.join(lengthFlip, path.basename(journal));
    bytes = readFileSync(file);
    flip(bytes, second.start + 1, 0x40);
    writeFileSync(file, bytes);
    store = await open(lengthFlip);
    expect(Object.keys(states(store))).toEqual([ids[0]!]);
    expect(store.notices[0]!.reason).toMatch(new RegExp(`at byte ${second.start} \\(the rest of the file, ${bytes.length - second.start} bytes\\)`));
  });

  it('a well-framed record that is not a valid queue record is set aside alone', async () => {
    const { dir, ids, journal, records } = await journalWithUpdateLast();
    const bytes = readFileSync(journal);
    const bogus = frameJson({ op: 'insert', entry: { id: 'not-a-uuid' } });
    const at = records[1]!.start;
    writeFileSync(journal, Buffer.concat([bytes.subarray(0, at), bogus, bytes.subarray(at)]));
    const store = await open(dir);
    expect(store.counts().entries).toBe(3);
    expect(store.get(ids[0]!)!.state).toBe('delivered');
    expect(store.notices[0]!.reason).toBe(`a record that is not a valid queue record at byte ${at} (${bogus.length} bytes)`);
    expect(readFileSync(store.notices[0]!.aside!)).toEqual(bogus);
  });

  it('compaction: the journal is replaced by a snapshot as it grows; nothing changes on reopen', async () => {
    const dir = folder();
    const store = await open(dir, { compactBytes: 8 * 1024 });
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => store.insert(newEntry())));
      ids.push(...batch.map((e) => e.id));
      await Promise.all(batch.slice(0, 10).map((e, i) => store.update(e.id, i % 2 ? { state: 'delivered', settledAt: T + i } : { state: 'retrying', attempts: 1, nextAttemptAt: T + i })));
    }
    expect(store.counts().generation).toBeGreaterThan(3);
    const before = [...store.entries()];
    await closeAll();
    expect(journals(dir)).toHaveLength(1);
    const again = await open(dir);
    expect(again.notices).toEqual([]);
    expect([...again.entries()]).toEqual(before);
  });

  it('a snapshot of several chunks (over 1 MB) replays whole, with the changes made while it was written', async () => {
    const dir = folder();
    const store = await open(dir, { compactBytes: 64 * 1024 });
    const batch = await Promise.all(Array.from({ length: 1500 }, () => store.insert(newEntry())));
    // Changes that land while compactions write their snapshots go to the new journal.
    await Promise.all(batch.slice(0, 400).map((e, i) => store.update(e.id, { state: 'retrying', attempts: 1, nextAttemptAt: T + i })));
    expect(store.counts().generation).toBeGreaterThan(1);
    const before = [...store.entries()];
    await closeAll();
    expect(statSync(path.join(dir, 'snapshot.erq')).size).toBeGreaterThan(1024 * 1024);
    const again = await open(dir);
    expect(again.notices).toEqual([]);
    expect([...again.entries()]).toEqual(before);
    expect(again.get(batch[399]!.id)!.state).toBe('retrying');
    expect(JSON.parse(again.get(batch[1499]!.id)!.envelope!)).toMatchObject({ id: batch[1499]!.id });
  });

  it('a crash at any step of a compaction replays to the same reports', async () => {
    const { dir } = await journalWithUpdateLast();
    const reference = await open(dir);
    const expected = [...reference.entries()];
    await closeAll();
    // Now: snapshot covers journal 2 and before; journal 2 is empty. Add records to journal 2.
    let store = await open(dir);
    const extra = await store.insert(newEntry());
    await store.update(expected[1]!.id, { state: 'failed', settledAt: T + 9, failure: 'permanent' });
    await closeAll();
    const withExtra = [...expected.map((e) => (e.id === expected[1]!.id ? { ...e, state: 'failed', settledAt: T + 9, failure: 'permanent' } : e)), { ...extra }];

    // (a) crashed after creating the next journal, before the snapshot: an empty newer journal.
    const a = folder();
    cpSync(dir, a, { recursive: true });
    writeFileSync(path.join(a, 'journal-00000099.erq'), '');
    store = await open(a);
    expect([...store.entries()]).toEqual(withExtra);
    await closeAll();

    // (b) crashed after the snapshot, before deleting the old journal: it is ignored and removed.
    const b = folder();
    cpSync(dir, b, { recursive: true });
    const oldJournal = journals(b)[0]!;
    const kept = readFileSync(path.join(b, oldJournal));
    await open(b);
    await closeAll();
    writeFileSync(path.join(b, oldJournal), kept);
    store = await open(b);
    expect([...store.entries()]).toEqual(withExtra);
    expect(journals(b)).not.toContain(oldJournal);

    // (c) a temp file of a snapshot being written is removed.
    writeFileSync(path.join(b, '.snapshot.erq.tmp-1-abcd'), 'partial');
    await closeAll();
    await open(b);
    expect(existsSync(path.join(b, '.snapshot.erq.tmp-1-abcd'))).toBe(false);
  });

  it('history cap: the oldest settled reports are dropped, with their files; pending ones never', async () => {
    const dir = folder();
    const store = await open(dir, { historyCap: 3 });
    const pending = await store.insert(newEntry());
    const settled: string[] = [];
    for (let i = 0; i < 5; i++) {
      const e = newEntry();
      const file = `${e.id}-00`;
      writeFileSync(store.attachmentPath(file), 'zip');
      await store.insert({ ...e, attachments: [{ file }] });
      await store.update(e.id, { state: 'failed', settledAt: T + i, failure: 'permanent' });
      settled.push(e.id);
    }
    expect(store.get(pending.id)).toBeDefined();
    expect([...store.entries()].filter((e) => e.state === 'failed').map((e) => e.id)).toEqual(settled.slice(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(store.attachmentsDir).sort()).toEqual(settled.slice(2).map((id) => `${id}-00`).sort());
    await closeAll();
    const again = await open(dir, { historyCap: 3 });
    expect(again.counts()).toMatchObject({ entries: 4, settled: 3, pending: 1 });
  });

  it('attachment files no report names are removed on open', async () => {
    const dir = folder();
    const store = await open(dir);
    const e = newEntry();
    writeFileSync(store.attachmentPath(`${e.id}-00`), 'kept');
    writeFileSync(store.attachmentPath('00000000-0000-4000-8000-000000000000-00'), 'orphan');
    await store.insert({ ...e, attachments: [{ file: `${e.id}-00` }] });
    await closeAll();
    const again = await open(dir);
    expect(readdirSync(again.attachmentsDir)).toEqual([`${e.id}-00`]);
  });

  it('one owner at a time: a second open fails; a lock file left behind is taken over (more in queue-lock.test.ts)', async () => {
    const dir = folder();
    await open(dir);
    await expect(QueueStore.open({ dir })).rejects.toBeInstanceOf(QueueLockedError);
    await closeAll();
    writeFileSync(path.join(dir, 'lock'), '2147483646\n');
    const store = await open(dir);
    expect(readFileSync(path.join(dir, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
    await store.close();
    expect(existsSync(path.join(dir, 'lock'))).toBe(false);
  });

  it('readQueue: a look without the lock while the queue is open, a torn tail left out quietly', async () => {
    const dir = folder();
    const store = await open(dir);
    const a = await store.insert(newEntry());
    await store.update(a.id, { state: 'retrying', attempts: 1, nextAttemptAt: T + 1 });
    const journal = path.join(dir, journals(dir).at(-1)!);
    writeFileSync(journal, Buffer.concat([readFileSync(journal), frameJson({ op: 'update', id: a.id, set: { attempts: 9 } }).subarray(0, 20)]));
    const look = await readQueue(dir);
    expect(look.entries.map((e) => [e.id, e.state, e.attempts])).toEqual([[a.id, 'retrying', 1]]);
    expect(look.notices).toEqual([{ file: journal, aside: null, reason: expect.stringMatching(/^an incomplete record/) }]);
    expect(readdirSync(dir).some((n) => n.includes('corrupt'))).toBe(false);
    expect(await readQueue(path.join(dir, 'nothing-here'))).toEqual({ entries: [], notices: [] });
  });

  it('a damaged snapshot is set aside and reported; the journals still replay', async () => {
    const { dir, ids } = await journalWithUpdateLast();
    await open(dir);
    await closeAll();
    const snapshot = path.join(dir, 'snapshot.erq');
    const bytes = readFileSync(snapshot);
    const records: { start: number; end: number }[] = [];
    scanFrames(bytes, (p, o) => records.push({ start: o, end: o + HEADER_BYTES + p.length }));
    flip(bytes, records[2]!.start + HEADER_BYTES + 5, 0x01);
    writeFileSync(snapshot, bytes);
    const store = await open(dir);
    expect(store.counts().entries).toBe(2);
    expect(store.get(ids[0]!)!.state).toBe('delivered');
    expect(store.notices).toEqual([{ file: snapshot, aside: expect.stringContaining('snapshot.erq.corrupt-'), reason: expect.stringContaining('checksum') }]);
  });
});
