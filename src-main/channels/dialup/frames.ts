/**
 * The frames of a dial-up transfer after CONNECT (docs/formats/dialup.md "Framing"), both ways:
 *
 *   magic 0x45 0x52 ("ER") | type (1) | seq (u32 BE) | length (u16 BE) | body | CRC-32 (u32 BE)
 *
 * The CRC-32 (IEEE 802.3, zlib's) covers type, seq, length and body. The reader resynchronises
 * on the magic after garbage or a damaged frame, so line noise costs one frame, never the call;
 * the bytes that are not part of any frame are handed on as text (a modem's NO CARRIER).
 * Used by the product's sender and by the center's modem (test/center).
 */
import { crc32 } from 'node:zlib';

export const MAGIC = Buffer.from('ER', 'latin1');
export const HEADER_BYTES = 2 + 1 + 4 + 2;
export const TRAILER_BYTES = 4;
/** bytes a frame adds to its body */
export const FRAME_OVERHEAD = HEADER_BYTES + TRAILER_BYTES;
/** the largest body a frame may carry (a data frame carries at most the hello's frame size) */
export const MAX_BODY = 4096;

export const FRAME_TYPES = {
  /** caller → center: the report's id, size, digest and frame size (JSON) */
  hello: 0x48, // H
  /** center → caller: where to start (seq = the first frame the center lacks) */
  resume: 0x52, // R
  /** caller → center: frame `seq` of the payload */
  data: 0x44, // D
  /** center → caller: every frame before `seq` is received and kept */
  ack: 0x41, // A
  /** center → caller: frame `seq` arrived damaged or not in order; send again from it */
  nak: 0x4e, // N
  /** center → caller: the report is stored (JSON: id, duplicate) */
  final: 0x46, // F
  /** either way: the transfer is given up (JSON: reason) */
  abort: 0x58, // X
  /** caller → center, after a final that said `batch`: no other report follows, the caller hangs up */
  bye: 0x42, // B
} as const;
export type FrameType = keyof typeof FRAME_TYPES;
const TYPE_NAMES = new Map<number, FrameType>(Object.entries(FRAME_TYPES).map(([k, v]) => [v, k as FrameType]));

export interface Frame {
  type: FrameType;
  seq: number;
  body: Buffer;
}

export function encodeFrame(type: FrameType, seq: number, body: Buffer = Buffer.alloc(0)): Buffer {
  if (body.length > MAX_BODY) throw new Error(`a frame body holds at most ${MAX_BODY} bytes, not ${body.length}`);
  const out = Buffer.alloc(FRAME_OVERHEAD + body.length);
  MAGIC.copy(out, 0);
  out[2] = FRAME_TYPES[type];
  out.writeUInt32BE(seq >>> 0, 3);
  out.writeUInt16BE(body.length, 7);
  body.copy(out, HEADER_BYTES);
  out.writeUInt32BE(crc32(out.subarray(2, HEADER_BYTES + body.length)) >>> 0, HEADER_BYTES + body.length);
  return out;
}

/** A JSON frame body (hello, final, abort). */
export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export type ReadEvent =
  | { kind: 'frame'; frame: Frame }
  /** a frame whose CRC or length is wrong; `seq` as read (it may be damaged too) */
  | { kind: 'bad'; seq: number; reason: 'crc' | 'length' }
  /** bytes between frames (a modem's result text, or noise) */
  | { kind: 'text'; text: string };

/**
 * Splits a byte stream into frames. push() takes what the port read and returns what it
 * completes; a partial frame waits for more. Never throws on any input.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBody = MAX_BODY) {}

  push(chunk: Buffer): ReadEvent[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const events: ReadEvent[] = [];
    for (;;) {
      const at = this.buffer.indexOf(MAGIC);
      if (at < 0) {
        // Keep a last byte that may be the first half of the magic.
        const keep = this.buffer.length > 0 && this.buffer[this.buffer.length - 1] === MAGIC[0] ? 1 : 0;
        this.text(events, this.buffer.subarray(0, this.buffer.length - keep));
        this.buffer = this.buffer.subarray(this.buffer.length - keep);
        return events;
      }
      this.text(events, this.buffer.subarray(0, at));
      this.buffer = this.buffer.subarray(at);
      if (this.buffer.length < 3) return events;
      const type = TYPE_NAMES.get(this.buffer[2]!);
      if (!type) {
        // "ER" in text (NO CARRIER, ERROR) is not a frame: it is passed on as text.
        this.text(events, this.buffer.subarray(0, 1));
        this.buffer = this.buffer.subarray(1);
        continue;
      }
      if (this.buffer.length < HEADER_BYTES) return events;
      const seq = this.buffer.readUInt32BE(3);
      const length = this.buffer.readUInt16BE(7);
      if (length > this.maxBody) {
        events.push({ kind: 'bad', seq, reason: 'length' });
        this.text(events, this.buffer.subarray(0, 1));
        this.buffer = this.buffer.subarray(1);
        continue;
      }
      const total = HEADER_BYTES + length + TRAILER_BYTES;
      if (this.buffer.length < total) return events;
      const crc = this.buffer.readUInt32BE(HEADER_BYTES + length);
      if ((crc32(this.buffer.subarray(2, HEADER_BYTES + length)) >>> 0) !== crc) {
        events.push({ kind: 'bad', seq, reason: 'crc' });
        // A damaged frame may hide the start of the next one: resynchronise from the next byte.
        this.text(events, this.buffer.subarray(0, 1));
        this.buffer = this.buffer.subarray(1);
        continue;
      }
      events.push({ kind: 'frame', frame: { type, seq, body: Buffer.from(this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length)) } });
      this.buffer = this.buffer.subarray(total);
    }
  }

  /** bytes held that are not yet a whole frame */
  get pending(): number {
    return this.buffer.length;
  }

  private text(events: ReadEvent[], bytes: Buffer): void {
    if (bytes.length === 0) return;
    const text = bytes.toString('latin1');
    const last = events[events.length - 1];
    if (last?.kind === 'text') last.text += text;
    else events.push({ kind: 'text', text });
  }
}
