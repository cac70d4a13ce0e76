/**
 * The relay's frames (docs/formats/relay.md): a 6-byte header — version (1 byte), type (1 byte),
 * payload length (4 bytes, big-endian) — then the payload. Control frames carry one JSON object;
 * `chunk` frames carry raw attachment bytes. A reader takes bytes as they come and gives whole
 * frames; a frame of another version, an unknown type or a length over the limit is a
 * FrameError, and the caller drops the connection.
 */

export const RELAY_VERSION = 1;
export const HEADER_BYTES = 6;
/** the largest JSON frame (an envelope holds at most an 8 KiB message and the opening pages) */
export const MAX_CONTROL_BYTES = 256 * 1024;
/** the largest chunk of attachment bytes in one frame */
export const MAX_CHUNK_BYTES = 64 * 1024;

export const FRAME_TYPES = {
  challenge: 1,
  hello: 2,
  welcome: 3,
  refused: 4,
  report: 5,
  chunk: 6,
  end: 7,
  ack: 8,
  result: 9,
  nack: 10,
  heartbeat: 11,
  keepalive: 12,
  bye: 13,
} as const;
export type FrameType = keyof typeof FRAME_TYPES;
const TYPE_NAMES = new Map<number, FrameType>(Object.entries(FRAME_TYPES).map(([k, v]) => [v, k as FrameType]));

export type Frame = { type: 'chunk'; data: Buffer } | { type: Exclude<FrameType, 'chunk'>; body: Record<string, unknown> };

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** One frame as bytes. */
export function encodeFrame(frame: Frame): Buffer {
  const payload = frame.type === 'chunk' ? frame.data : Buffer.from(JSON.stringify(frame.body), 'utf8');
  const limit = frame.type === 'chunk' ? MAX_CHUNK_BYTES : MAX_CONTROL_BYTES;
  if (payload.length > limit) throw new FrameError(`a ${frame.type} frame of ${payload.length} bytes is over the limit of ${limit}`);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(RELAY_VERSION, 0);
  header.writeUInt8(FRAME_TYPES[frame.type], 1);
  header.writeUInt32BE(payload.length, 2);
  return Buffer.concat([header, payload]);
}

/** A JSON frame as bytes. */
export function control(type: Exclude<FrameType, 'chunk'>, body: Record<string, unknown> = {}): Buffer {
  return encodeFrame({ type, body });
}

/**
 * Collects bytes and gives whole frames. Holds at most one frame's bytes (a header announcing
 * more than the limit is refused before its payload arrives).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private held = 0;

  /** Adds bytes; returns the frames now complete. Throws FrameError on bad input. */
  push(data: Buffer): Frame[] {
    this.chunks.push(data);
    this.held += data.length;
    const out: Frame[] = [];
    for (;;) {
      if (this.held < HEADER_BYTES) return out;
      const head = this.peek(HEADER_BYTES);
      const version = head.readUInt8(0);
      if (version !== RELAY_VERSION) throw new FrameError(`frame version ${version} is not ${RELAY_VERSION}`);
      const type = TYPE_NAMES.get(head.readUInt8(1));
      if (!type) throw new FrameError(`unknown frame type ${head.readUInt8(1)}`);
      const length = head.readUInt32BE(2);
      const limit = type === 'chunk' ? MAX_CHUNK_BYTES : MAX_CONTROL_BYTES;
      if (length > limit) throw new FrameError(`a ${type} frame of ${length} bytes is over the limit of ${limit}`);
      if (this.held < HEADER_BYTES + length) return out;
      // A chunk is kept (written out later): its own copy; a control frame is parsed at once.
      const whole = this.take(HEADER_BYTES + length, type === 'chunk');
      const payload = whole.subarray(HEADER_BYTES);
      if (type === 'chunk') {
        out.push({ type, data: payload });
        continue;
      }
      let body: unknown;
      try {
        body = JSON.parse(payload.toString('utf8'));
      } catch {
        throw new FrameError(`a ${type} frame does not hold JSON`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FrameError(`a ${type} frame does not hold a JSON object`);
      out.push({ type, body: body as Record<string, unknown> });
    }
  }

  /** bytes held that are not a whole frame yet */
  get pending(): number {
    return this.held;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!.subarray(0, n);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  private take(n: number, copy: boolean): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = copy ? Buffer.from(joined.subarray(0, n)) : joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.held = rest.length;
    return out;
  }
}
