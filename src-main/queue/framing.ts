/**
 * The record framing of the queue's journal and snapshot files (docs/formats/queue.md):
 *
 *   [u32 LE length][u32 LE crc32 of the 4 length bytes and the payload][payload: UTF-8 JSON]
 *
 * The checksum covers the length too, so a damaged length is caught like a damaged payload.
 */
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;
/** No record is larger; a length above it is damage, not a record. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** The smallest payload the queue writes is `{}`; a zero length is never a record (zeroed blocks). */
const MIN_RECORD_BYTES = 2;

/** One record, framed, ready to append. */
export function frameJson(value: unknown): Buffer {
  return frameText(JSON.stringify(value));
}

/** One record given as its JSON text, framed. */
export function frameText(json: string): Buffer {
  return framePieces([json]);
}

/** One record given as pieces of its JSON text (joined, they are the JSON), framed without joining them. */
export function framePieces(pieces: readonly string[]): Buffer {
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece);
  if (length > MAX_RECORD_BYTES) throw new RangeError(`a queue record of ${length} bytes is larger than ${MAX_RECORD_BYTES}`);
  const out = Buffer.allocUnsafe(HEADER_BYTES + length);
  out.writeUInt32LE(length, 0);
  let at = HEADER_BYTES;
  for (const piece of pieces) at += out.write(piece, at, 'utf8');
  out.writeUInt32LE(checksum(out, length), 4);
  return out;
}

function checksum(buf: Buffer, length: number, at = 0): number {
  return crc32(buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length), crc32(buf.subarray(at, at + 4)));
}

export type FrameProblem = 'torn' | 'length' | 'checksum';

/** A damaged stretch of a file: [start, end) in bytes. */
export interface DamagedRegion {
  start: number;
  end: number;
  reason: FrameProblem;
}

type FrameAt = { ok: true; length: number } | { ok: false; reason: FrameProblem; length: number | null };

function frameAt(buf: Buffer, at: number): FrameAt {
  if (buf.length - at < HEADER_BYTES) return { ok: false, reason: 'torn', length: null };
  const length = buf.readUInt32LE(at);
  if (length < MIN_RECORD_BYTES || length > MAX_RECORD_BYTES) return { ok: false, reason: 'length', length: null };
  if (buf.length - at - HEADER_BYTES < length) return { ok: false, reason: 'torn', length: null };
  if (checksum(buf, length, at) !== buf.readUInt32LE(at + 4)) return { ok: false, reason: 'checksum', length };
  return { ok: true, length };
}

/**
 * Reads the records of a file. A record whose checksum fails but whose length leads to a valid
 * record is skipped alone (a flipped payload byte); otherwise the framing cannot be trusted any
 * more and the rest of the file is one damaged region (a torn write at the end, a bad length).
 */
export function scanFrames(buf: Buffer, onRecord: (payload: Buffer, offset: number) => void): DamagedRegion[] {
  const damaged: DamagedRegion[] = [];
  let at = 0;
  while (at < buf.length) {
    const frame = frameAt(buf, at);
    if (frame.ok) {
      onRecord(buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + frame.length), at);
      at += HEADER_BYTES + frame.length;
      continue;
    }
    const next = frame.length === null ? -1 : at + HEADER_BYTES + frame.length;
    if (next > 0 && next < buf.length && frameAt(buf, next).ok) {
      damaged.push({ start: at, end: next, reason: frame.reason });
      at = next;
      continue;
    }
    damaged.push({ start: at, end: buf.length, reason: frame.reason });
    break;
  }
  return damaged;
}
