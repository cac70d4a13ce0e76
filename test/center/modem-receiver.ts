/**
 * The center's side of a dial-up transfer (docs/formats/dialup.md "Framing"): answers the hello
 * (from frame 0, from where a broken-off call of the same report and bytes ended, or at once
 * with the final acknowledgement when the report is stored), takes data frames in order, NAKs a
 * damaged or missing one, acknowledges each window once its frames are on disk, and stores the
 * report once by id with channel "dialup" — the same folder layout as the HTTPS receiver.
 * A caller whose hello says `batch` gets a final that says `batch` too, and the receiver then
 * takes the next report's hello on the same call, or the caller's goodbye (一括通報). With
 * `batch: false` it is a center without that extension: the final never says `batch`, and
 * nothing the caller sends after it is taken (it is logged as ignored):
 *
 *   DIR/dialup-partial/<id>/meta.json, data.bin   a transfer broken off, kept for the next call
 *   DIR/reports/<id>/report.json, attachment-NN.zip
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { encodeFrame, FRAME_OVERHEAD, FrameReader, jsonBody, MAX_BODY, type Frame } from '../../src-main/channels/dialup/frames';
import { MAX_PAYLOAD_BYTES, openPayload } from '../../src-main/channels/dialup/payload';
import type { StoredReport } from './reports';
import { inIncomingFolder, isReportStored, publishReport, writeSynced, type CenterStore } from './store';

export const PARTIAL_DIR = 'dialup-partial';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Meta {
  id: string;
  size: number;
  sha256: string;
  frameSize: number;
  /** frames kept on disk */
  acked: number;
}

export interface ReceiverEvents {
  log(line: string): void;
  /** a report was stored (not a duplicate) */
  stored?(id: string): void;
  /** a final that said batch went out: the call waits for the next hello or the goodbye */
  waiting?(): void;
  /** a frame of the caller's arrived (the wait for the next report is over) */
  busy?(): void;
  /** a final that ends the exchange went out (no other report is taken on this call) */
  ended?(): void;
}

export interface ReceiverOptions {
  store: CenterStore;
  /** what the caller dialled, kept as the report's remote address */
  number: string;
  /** the line's bit rate: how long a NAK holds before another one */
  bps: number;
  /** store the report but never send the final acknowledgement (the plan's noFinalAck) */
  noFinalAck?: boolean;
  /** false: a center without 一括通報 (the hello's `batch` is not read; default true) */
  batch?: boolean;
  now?: () => Date;
}

/** Stores a whole report once by id (the folder is renamed into place); true when it was new. */
export async function storeDialupReport(store: CenterStore, bytes: Buffer, number: string, now: Date): Promise<{ id: string; duplicate: boolean }> {
  const opened = openPayload(bytes);
  const id = opened.envelope.id.toLowerCase();
  if (await isReportStored(store, id)) return { id, duplicate: true };
  return inIncomingFolder(store, 'd-', async (temp) => {
    const attachments: StoredReport['attachments'] = [];
    for (const [i, a] of opened.attachments.entries()) {
      const file = `attachment-${String(i + 1).padStart(2, '0')}.zip`;
      await writeSynced(path.join(temp, file), a.data);
      attachments.push({ name: a.name, size: a.size, sha256: a.sha256, file });
    }
    const stored: StoredReport = { receivedAt: now.toISOString(), remoteAddress: `dialup ${number}`, channel: 'dialup', envelope: opened.envelope, attachments };
    const { duplicate } = await publishReport(store, temp, stored);
    return { id, duplicate };
  });
}

/** One call's receiver: push() the bytes from the caller, send() carries the answers back. */
export class ModemReceiver {
  private readonly reader = new FrameReader(MAX_BODY);
  private meta: Meta | null = null;
  private data: Buffer[] = [];
  private expected = 0;
  private nakFor = -1;
  private nakAt = 0;
  private busy: Promise<void> = Promise.resolve();
  private done = false;
  /** the caller's hello said batch: after the final, another report may follow on this call */
  private batch = false;
  /** the reports acknowledged (final sent) on this call, and those of them stored by it, in order */
  readonly acknowledged: string[] = [];
  readonly storedIds: string[] = [];
  /** the caller said goodbye */
  bye = false;

  constructor(
    private readonly options: ReceiverOptions,
    private readonly send: (bytes: Buffer) => void,
    private readonly events: ReceiverEvents,
  ) {}

  /** Takes bytes from the caller in order (each push waits for the one before). */
  push(bytes: Buffer): void {
    const events = this.reader.push(bytes);
    this.busy = this.busy.then(async () => {
      for (const e of events) {
        if (this.done) {
          if (e.kind === 'frame' && e.frame.type !== 'data') this.events.log(`receiver: ignored a ${e.frame.type} frame (the exchange on this call is over)`);
          continue;
        }
        try {
          if (e.kind === 'frame') await this.onFrame(e.frame);
          else if (e.kind === 'bad') this.nak(`a damaged frame (${e.reason})`);
        } catch (err) {
          this.events.log(`receiver: ${(err as Error).message}`);
          this.send(encodeFrame('abort', 0, jsonBody({ reason: (err as Error).message.slice(0, 200) })));
          this.done = true;
        }
      }
    });
  }

  /** Resolves when what was pushed is handled. */
  idle(): Promise<void> {
    return this.busy;
  }

  private partialDir(id: string): string {
    return this.options.store.path(PARTIAL_DIR, id);
  }

  private nak(why: string): void {
    if (!this.meta) return;
    const holdMs = ((4 * (this.meta.frameSize + FRAME_OVERHEAD) * 10) / this.options.bps) * 1000 + 200;
    const now = Date.now();
    if (this.nakFor === this.expected && now - this.nakAt < holdMs) return;
    this.nakFor = this.expected;
    this.nakAt = now;
    this.events.log(`receiver: NAK ${this.expected} (${why})`);
    this.send(encodeFrame('nak', this.expected));
  }

  private async onFrame(frame: Frame): Promise<void> {
    this.events.busy?.();
    if (frame.type === 'bye') {
      this.events.log(`receiver: goodbye after ${this.acknowledged.length} report(s) on this call`);
      this.bye = true;
      this.done = true;
      return;
    }
    if (frame.type === 'hello') {
      // A hello in the middle of a transfer starts over: the frames kept on disk stay for a resume.
      this.meta = null;
      this.data = [];
      this.expected = 0;
      this.nakFor = -1;
      return this.onHello(frame.body);
    }
    if (frame.type !== 'data' || !this.meta) return;
    if (frame.seq !== this.expected) {
      if (frame.seq > this.expected) this.nak(`frame ${frame.seq} before ${this.expected}`);
      return;
    }
    const m = this.meta;
    const frames = Math.ceil(m.size / m.frameSize);
    const wanted = frame.seq === frames - 1 ? m.size - frame.seq * m.frameSize : m.frameSize;
    if (frame.body.length !== wanted) return this.nak(`frame ${frame.seq} holds ${frame.body.length} bytes, not ${wanted}`);
    this.data.push(frame.body);
    this.expected++;
    this.nakFor = -1;
    if (this.expected % this.window !== 0 && this.expected !== frames) return;
    // What is acknowledged is on disk: a broken-off call resumes from here.
    const dir = this.partialDir(m.id);
    await writeSynced(path.join(dir, 'data.bin'), Buffer.concat(this.data), 'a');
    this.data = [];
    m.acked = this.expected;
    await writeSynced(path.join(dir, 'meta.json'), JSON.stringify(m), 'w');
    this.send(encodeFrame('ack', this.expected));
    if (this.expected === frames) await this.complete();
  }

  private window = 4;

  private async onHello(body: Buffer): Promise<void> {
    let hello: Record<string, unknown>;
    try {
      hello = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new Error('the hello is not JSON');
    }
    const { id, size, sha256, frameSize, window } = hello;
    if (typeof id !== 'string' || !UUID.test(id)) throw new Error('the hello has no report id');
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_PAYLOAD_BYTES) throw new Error('the hello has no valid size');
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error('the hello has no sha256');
    if (typeof frameSize !== 'number' || !Number.isInteger(frameSize) || frameSize < 16 || frameSize > MAX_BODY) throw new Error('the hello has no valid frame size');
    this.window = typeof window === 'number' && Number.isInteger(window) && window >= 1 && window <= 64 ? window : 4;
    this.batch = hello.batch === true && this.options.batch !== false;
    const key = id.toLowerCase();
    if (await isReportStored(this.options.store, key)) {
      this.events.log(`receiver: report ${key} is already stored; final acknowledgement at once`);
      this.final(key, true);
      return;
    }
    const dir = this.partialDir(key);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    let meta: Meta = { id: key, size, sha256, frameSize, acked: 0 };
    const old = await fsp.readFile(path.join(dir, 'meta.json'), 'utf8').then((t) => JSON.parse(t) as Meta, () => null);
    const kept = await fsp.stat(path.join(dir, 'data.bin')).then((s) => s.size, () => -1);
    if (old && old.size === size && old.sha256 === sha256 && old.frameSize === frameSize && kept === Math.min(size, old.acked * frameSize)) meta = old;
    else await writeSynced(path.join(dir, 'data.bin'), Buffer.alloc(0), 'w');
    await writeSynced(path.join(dir, 'meta.json'), JSON.stringify(meta), 'w');
    this.meta = meta;
    this.expected = meta.acked;
    this.events.log(`receiver: report ${key}, ${size} bytes, ${Math.ceil(size / frameSize)} frames, from frame ${meta.acked}`);
    this.send(encodeFrame('resume', meta.acked));
  }

  private async complete(): Promise<void> {
    const m = this.meta!;
    const dir = this.partialDir(m.id);
    const bytes = await fsp.readFile(path.join(dir, 'data.bin'));
    this.done = true;
    if (createHash('sha256').update(bytes).digest('hex') !== m.sha256) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw new Error(`report ${m.id}: the bytes received do not match the hello's sha256`);
    }
    const stored = await storeDialupReport(this.options.store, bytes, this.options.number, this.options.now?.() ?? new Date());
    await fsp.rm(dir, { recursive: true, force: true });
    this.events.log(`receiver: report ${stored.id} ${stored.duplicate ? 'was already stored' : 'stored'}`);
    if (!stored.duplicate) this.events.stored?.(stored.id);
    if (!stored.duplicate) this.storedIds.push(stored.id);
    if (this.options.noFinalAck) {
      this.events.log('receiver: no final acknowledgement (plan)');
      return;
    }
    this.final(stored.id, stored.duplicate);
  }

  /** The final acknowledgement; with a batching caller, the call then waits for the next report. */
  private final(id: string, duplicate: boolean): void {
    this.acknowledged.push(id);
    this.meta = null;
    this.data = [];
    this.expected = 0;
    this.nakFor = -1;
    this.done = !this.batch;
    this.events.log(`receiver: final for ${id}${this.batch ? ' (batch: the call waits for the next report)' : ' (the call ends)'}`);
    this.send(encodeFrame('final', 0, jsonBody(this.batch ? { id, duplicate, batch: true } : { id, duplicate })));
    if (this.batch) this.events.waiting?.();
    else this.events.ended?.();
  }
}
