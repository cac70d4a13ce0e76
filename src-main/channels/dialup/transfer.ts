/**
 * The caller's side of the transfer after CONNECT (docs/formats/dialup.md "Framing"): the hello
 * with the report's id, size and digest; the center's answer says from which frame to start (0,
 * or where a call broken off before ended); data frames in windows, at most one window not yet
 * acknowledged; a NAK or a silent center sends again from the frame named (or the last one
 * acknowledged); the center's final acknowledgement means the report is stored.
 */
import { encodeFrame, FRAME_OVERHEAD, FrameReader, jsonBody, type Frame } from './frames';
import type { Payload } from './payload';
import type { SerialLine } from './serial-line';

export const PROTOCOL_VERSION = 1;

export interface TransferOptions {
  /** payload bytes per data frame (default 1024) */
  frameSize: number;
  /** frames the center acknowledges at once, and the most sent ahead of an acknowledgement (default 4) */
  window: number;
  /** damaged or lost frames (NAKs and silent windows) after which the call is given up (default 16) */
  errorLimit: number;
  /** the line's speed in bit/s (CONNECT's, else the port's): sets how long a window may take */
  lineBps: number;
  /** the longest wait for the hello's answer and for the final acknowledgement (default 20 s) */
  answerMs: number;
  /**
   * offer the center another report on the same call after this one's final (the hello's
   * `batch`); the center's final says whether it takes one (docs/formats/dialup.md "Several
   * reports in one call")
   */
  batch?: boolean;
}

export const DEFAULT_TRANSFER: Omit<TransferOptions, 'lineBps'> = { frameSize: 1024, window: 4, errorLimit: 16, answerMs: 20_000 };

export interface TransferStats {
  frames: number;
  resumedFrom: number;
  /** data frames sent, the ones sent again included */
  framesSent: number;
  /** data frames sent more than once in this call */
  resent: number;
  /** NAKs and silent windows */
  errors: number;
  /** whether the center answered the hello (resume, final or abort) */
  answered: boolean;
}

export type TransferResult =
  /** `more`: the center's final said it takes another report on this call */
  | { ok: true; duplicate: boolean; more: boolean; stats: TransferStats }
  | { ok: false; problem: 'line-dropped' | 'crc' | 'no-final-ack' | 'protocol' | 'cancelled'; detail: string; stats: TransferStats };

type Event = { kind: 'frame'; frame: Frame } | { kind: 'lost'; why: string } | { kind: 'timeout' } | { kind: 'cancelled' };

/** Reads frames and carrier loss from the line; next() waits for one. */
class Inbox {
  private readonly reader = new FrameReader();
  private readonly events: Event[] = [];
  private wake: (() => void) | null = null;
  private text = '';
  private poll: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly line: SerialLine,
    private readonly signal?: AbortSignal,
  ) {
    line.setConsumer((data) => {
      for (const e of this.reader.push(data)) if (e.kind === 'frame') this.push({ kind: 'frame', frame: e.frame });
      // The modem's own words when the carrier goes (a pty has no DCD, so this is how it tells),
      // looked for in the raw bytes: they may follow half a frame the center never finished.
      this.text = (this.text + data.toString('latin1')).slice(-64);
      if (/NO CARRIER/.test(this.text)) {
        this.text = '';
        this.push({ kind: 'lost', why: 'the modem said NO CARRIER' });
      }
    });
    this.unsubscribe = line.onFailure((err) => this.push({ kind: 'lost', why: `the serial port failed (${err.message})` }));
    if (line.controlLines) {
      // Only a DCD that was up and went down is a lost carrier: a cable without the DCD wire reads low throughout.
      let seenUp = false;
      this.poll = setInterval(() => {
        void line.carrier().then((dcd) => {
          if (dcd === true) seenUp = true;
          else if (dcd === false && seenUp) {
            seenUp = false;
            this.push({ kind: 'lost', why: 'DCD dropped' });
          }
        });
      }, 250);
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.push({ kind: 'cancelled' });

  private push(e: Event): void {
    this.events.push(e);
    this.wake?.();
  }

  async next(ms: number): Promise<Event> {
    if (!this.events.length) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.events.push({ kind: 'timeout' });
          resolve();
        }, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    // A lost carrier or a cancel goes before frames still queued.
    const urgent = this.events.findIndex((e) => e.kind === 'lost' || e.kind === 'cancelled');
    return urgent >= 0 ? this.events.splice(urgent, 1)[0]! : this.events.shift()!;
  }

  close(): void {
    if (this.poll) clearInterval(this.poll);
    this.unsubscribe();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.line.setConsumer(null);
    this.line.discardPending();
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Sends the payload of report `id` over a connected line. Never throws. */
export async function sendPayload(line: SerialLine, id: string, payload: Payload, options: TransferOptions, signal?: AbortSignal): Promise<TransferResult> {
  const { frameSize, window } = options;
  const frames = Math.max(1, Math.ceil(payload.bytes.length / frameSize));
  const stats: TransferStats = { frames, resumedFrom: 0, framesSent: 0, resent: 0, errors: 0, answered: false };
  const delivered = (final: Frame): TransferResult => {
    const body = parseJson(final.body);
    return { ok: true, duplicate: body.duplicate === true, more: options.batch === true && body.batch === true, stats };
  };
  const fail = (problem: Extract<TransferResult, { ok: false }>['problem'], detail: string): TransferResult => ({ ok: false, problem, detail, stats });
  const windowMs = Math.ceil(((window * (frameSize + FRAME_OVERHEAD) * 10) / options.lineBps) * 1000 * 1.5) + 2000;
  const inbox = new Inbox(line, signal);
  const sentOnce = new Set<number>();
  try {
    const hello = { v: PROTOCOL_VERSION, id, size: payload.bytes.length, sha256: payload.sha256, rawSize: payload.rawSize, frameSize, window, ...(options.batch ? { batch: true } : {}) };
    await line.write(encodeFrame('hello', 0, jsonBody(hello)));
    let acked = -1;
    while (acked < 0) {
      const e = await inbox.next(options.answerMs);
      if (e.kind === 'cancelled') return fail('cancelled', 'cancelled before the center answered the hello');
      if (e.kind === 'lost') return fail('line-dropped', `the line dropped before the center answered the hello (${e.why})`);
      if (e.kind === 'timeout') return fail('protocol', `the center did not answer the hello within ${Math.round(options.answerMs / 1000)} s`);
      const f = e.frame;
      if (f.type === 'final' || f.type === 'abort' || f.type === 'resume') stats.answered = true;
      if (f.type === 'final') return delivered(f);
      if (f.type === 'abort') return fail('protocol', `the center refused the report (${String(parseJson(f.body).reason ?? 'no reason')})`);
      if (f.type === 'resume') {
        if (f.seq > frames) return fail('protocol', `the center asked to resume at frame ${f.seq} of ${frames}`);
        acked = f.seq;
      }
    }
    stats.resumedFrom = acked;
    let next = acked;
    let silent = 0;
    while (acked < frames) {
      while (next < frames && next - acked < window) {
        const body = payload.bytes.subarray(next * frameSize, (next + 1) * frameSize);
        await line.write(encodeFrame('data', next, body));
        stats.framesSent++;
        if (sentOnce.has(next)) stats.resent++;
        sentOnce.add(next);
        next++;
      }
      const e = await inbox.next(windowMs);
      if (e.kind === 'cancelled') return fail('cancelled', `cancelled after ${acked} of ${frames} frames`);
      if (e.kind === 'lost') return fail('line-dropped', `the line dropped after ${acked} of ${frames} frames (${e.why}); the next call resumes from frame ${acked}`);
      if (e.kind === 'timeout') {
        stats.errors++;
        if (++silent > 3) return fail('line-dropped', `the center went silent after ${acked} of ${frames} frames; the next call resumes from frame ${acked}`);
        if (stats.errors > options.errorLimit) return fail('crc', `${stats.errors} frames were damaged or lost on the line (the limit is ${options.errorLimit})`);
        next = acked;
        continue;
      }
      const f = e.frame;
      if (f.type === 'ack') {
        if (f.seq > acked && f.seq <= frames) {
          acked = f.seq;
          silent = 0;
          if (next < acked) next = acked;
        }
      } else if (f.type === 'nak') {
        stats.errors++;
        if (stats.errors > options.errorLimit) return fail('crc', `${stats.errors} frames were damaged on the line (CRC errors; the limit is ${options.errorLimit})`);
        if (f.seq >= acked && f.seq < next) next = f.seq;
      } else if (f.type === 'abort') {
        return fail('protocol', `the center gave the transfer up (${String(parseJson(f.body).reason ?? 'no reason')})`);
      } else if (f.type === 'final') {
        return delivered(f);
      }
    }
    for (;;) {
      const e = await inbox.next(options.answerMs);
      if (e.kind === 'cancelled') return fail('cancelled', 'cancelled while waiting for the final acknowledgement');
      if (e.kind === 'lost') return fail('no-final-ack', `the line dropped after all ${frames} frames, before the center's final acknowledgement (${e.why})`);
      if (e.kind === 'timeout') return fail('no-final-ack', `no final acknowledgement within ${Math.round(options.answerMs / 1000)} s after all ${frames} frames`);
      if (e.frame.type === 'final') return delivered(e.frame);
      if (e.frame.type === 'abort') return fail('no-final-ack', `the center did not store the report (${String(parseJson(e.frame.body).reason ?? 'no reason')})`);
    }
  } catch (err) {
    return fail('line-dropped', `writing to the serial port failed (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    inbox.close();
  }
}

/** Ends a call on which the center said it takes more reports: no other report follows. Never throws. */
export async function sendBye(line: SerialLine): Promise<boolean> {
  try {
    await line.write(encodeFrame('bye', 0));
    return true;
  } catch {
    return false;
  }
}
