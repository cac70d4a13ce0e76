/**
 * A streaming zip writer (PKWARE APPNOTE 6.3): entries go out one after another as they are
 * read, with the CRC and sizes in a data descriptor after the data, so nothing but the central
 * directory (about 100 bytes an entry) and a few blocks in flight are held in memory.
 *
 * Speed: files are read in blocks of BLOCK_BYTES; each block is deflated on the libuv thread
 * pool with the previous block's last 32 KiB as its dictionary and ends with a sync flush, the
 * way pigz does it, so the blocks joined in order are one ordinary deflate stream (a final empty
 * block `03 00` closes it), while up to `parallel` blocks — of one file or of the next files —
 * are compressed at the same time. Output is written strictly in order by one writer loop. The
 * CRC-32 is zlib.crc32 (native). At most `parallel` blocks (input and output) are in memory.
 * Why not yazl: it computes the CRC with buffer-crc32 (JavaScript, ~350 MB/s here) in line with a
 * single deflate stream; on the benchmark tree that was 0.74× the speed of `zip -r -1`.
 *
 * - Deflate (method 8) at the given level for every file with data; empty files are stored
 *   (method 0) with their CRC and sizes in the local header, no data descriptor.
 * - Names are UTF-8 (flag bit 11). Times: DOS date/time in local time plus the extended timestamp
 *   extra field (0x5455, UTC mtime) as Info-ZIP writes it. Unix mode in the external attributes
 *   (made by: Unix).
 * - Zip64 (APPNOTE 4.5.3) where a value does not fit: an entry that may reach 4 GiB
 *   (ZIP64_ENTRY_THRESHOLD, decided from its size before it is written), a local header offset
 *   past 4 GiB, 65,535 entries or more, a central directory past 4 GiB. `forceZip64` writes every
 *   zip64 structure regardless (tests use it to check them with unzip on small archives).
 * - No folders are written: a folder exists only as part of its files' names.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { errorText } from '../lib/error-text';

const deflateRaw = promisify(zlib.deflateRaw) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD = 0x06054b50;
const FLAG_DESCRIPTOR = 1 << 3;
const FLAG_UTF8 = 1 << 11;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
const MADE_BY_UNIX = (3 << 8) | 63;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** An entry whose input may reach this size is written as zip64 (deflate can grow random data slightly). */
export const ZIP64_ENTRY_THRESHOLD = 0xf0000000;
/** Input block: the unit of parallel deflate and of reading. */
export const BLOCK_BYTES = 1024 * 1024;
/** Blocks deflated at once by default (the thread pool has 4 threads; one is left for reads and writes). */
export const DEFAULT_PARALLEL = 3;
const DICTIONARY_BYTES = 32 * 1024;
const FLUSH_BYTES = 256 * 1024;
const MAX_QUEUED_ITEMS = 4096;
/** A final, empty deflate block (BFINAL=1, fixed Huffman, end of block). */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

interface CentralEntry {
  name: Buffer;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  unixTime: number;
  crc: number;
  compressed: number;
  uncompressed: number;
  offset: number;
  mode: number;
  zip64: boolean;
}

/** Output in archive order: built when its turn comes, or compressed data still on its way. */
type QueueItem =
  | { kind: 'make'; make: () => Buffer; done?: () => void }
  | { kind: 'data'; data: Promise<Buffer>; entry: CentralEntry; done: () => void };

export interface ZipEntryOptions {
  mtime: Date;
  /** Unix mode (type and permission bits). */
  mode: number;
}

export interface ZipWriterOptions {
  /** Deflate level 1–9. */
  level: number;
  /** Blocks deflated at the same time; default DEFAULT_PARALLEL. */
  parallel?: number;
  forceZip64?: boolean;
}

/** Writing the archive failed (as opposed to reading an input file). */
export class ZipOutputError extends Error {
  override readonly name = 'ZipOutputError';
}

/**
 * Writes a zip archive to an open file. Call addEmpty/addFile one at a time (awaiting each),
 * then finish(); always close() at the end, also after a failure.
 */
export class ZipWriter {
  /** Input bytes read so far (for progress). */
  bytesRead = 0;
  private readonly entries: CentralEntry[] = [];
  private readonly hash = createHash('sha256');
  private readonly parallel: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to push() so far: the archive offset of the next byte. */
  private offset = 0;
  private queue: QueueItem[] = [];
  private head = 0;
  private inFlight = 0;
  private failure: ZipOutputError | null = null;
  private stopped = false;
  private discard = false;
  private finished = false;
  private wakeConsumer: (() => void) | null = null;
  private waiters: Array<() => void> = [];
  private readonly consumer: Promise<void>;

  constructor(
    private readonly fh: FileHandle,
    private readonly options: ZipWriterOptions,
  ) {
    if (!Number.isInteger(options.level) || options.level < 1 || options.level > 9) {
      throw new TypeError(`deflate level ${options.level} is not 1–9`);
    }
    this.parallel = Math.max(1, options.parallel ?? DEFAULT_PARALLEL);
    this.consumer = this.consume();
  }

  /** Entries added so far. */
  get count(): number {
    return this.entries.length;
  }

  /** Adds a file whose content is empty. */
  async addEmpty(name: string, options: ZipEntryOptions): Promise<void> {
    this.checkOpen();
    const e = this.newEntry(name, options, METHOD_STORE, 0, false);
    await this.room();
    this.enqueue({ kind: 'make', make: () => this.localHeader(e) });
    this.entries.push(e);
  }

  /**
   * Adds a file: reads `input` from offset 0, at most `size` bytes (the size it had when it was
   * looked at; a file that shrank gives what it has). Resolves with the bytes read once they are
   * all read and handed to the compressors — `input` may be closed then — and rejects with the
   * read error, the output's ZipOutputError, or `signal.reason` when it aborts. After a
   * rejection the archive is incomplete: close() the writer and throw the file away.
   */
  async addFile(name: string, input: FileHandle, size: number, options: ZipEntryOptions, signal?: AbortSignal): Promise<number> {
    this.checkOpen();
    const zip64 = !!this.options.forceZip64 || size >= ZIP64_ENTRY_THRESHOLD;
    const e = this.newEntry(name, options, METHOD_DEFLATE, FLAG_DESCRIPTOR, zip64);
    await this.room();
    this.enqueue({ kind: 'make', make: () => this.localHeader(e) });
    let crc = 0;
    let pos = 0;
    let dictionary: Buffer | undefined;
    let shrank = false;
    while (pos < size && !shrank) {
      signal?.throwIfAborted();
      await this.room(true);
      this.inFlight++;
      const want = Math.min(BLOCK_BYTES, size - pos);
      let block: Buffer;
      try {
        const buf = Buffer.allocUnsafe(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await input.read(buf, got, want - got, pos + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        block = buf.subarray(0, got);
      } catch (err) {
        this.release();
        throw err;
      }
      shrank = block.length < want;
      if (block.length === 0) {
        this.release();
        break;
      }
      crc = zlib.crc32(block, crc);
      pos += block.length;
      this.bytesRead += block.length;
      const data = deflateRaw(block, { level: this.options.level, dictionary, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      data.catch(() => undefined); // awaited in order by the consumer; not unhandled meanwhile
      this.enqueue({ kind: 'data', data, entry: e, done: () => this.release() });
      dictionary = block.length > DICTIONARY_BYTES ? block.subarray(block.length - DICTIONARY_BYTES) : block;
    }
    signal?.throwIfAborted();
    await this.room();
    e.crc = crc >>> 0;
    e.uncompressed = pos;
    this.enqueue({ kind: 'data', data: Promise.resolve(FINAL_BLOCK), entry: e, done: () => undefined });
    this.enqueue({
      kind: 'make',
      make: () => {
        if (!e.zip64 && e.compressed > MAX32) throw new Error(`${name} does not fit in a zip entry without zip64`);
        return this.descriptor(e);
      },
    });
    this.entries.push(e);
    return pos;
  }

  /** Writes the central directory and the end records; returns the archive's size and SHA-256. */
  async finish(): Promise<{ size: number; sha256: string }> {
    this.checkOpen();
    this.finished = true;
    await new Promise<void>((resolve) => this.enqueue({ kind: 'make', make: () => Buffer.alloc(0), done: resolve }));
    await this.stop();
    if (this.failure) throw this.failure;
    try {
      return await this.writeEnd();
    } catch (err) {
      throw new ZipOutputError(errorText(err), { cause: err });
    }
  }

  /**
   * Stops the writer loop and waits for it (safe after finish, a failure, or twice). Before
   * finish(), what is still queued is dropped: the archive is unfinished and about to be removed.
   */
  async close(): Promise<void> {
    if (!this.finished) this.discard = true;
    await this.stop();
  }

  private async writeEnd(): Promise<{ size: number; sha256: string }> {
    const force = !!this.options.forceZip64;
    const cdOffset = this.offset;
    for (const e of this.entries) await this.push(this.centralRecord(e));
    const cdSize = this.offset - cdOffset;
    const count = this.entries.length;
    const zip64 = force || count >= MAX16 || cdSize >= MAX32 || cdOffset >= MAX32;
    if (zip64) {
      const eocd64Offset = this.offset;
      const r = Buffer.alloc(56);
      r.writeUInt32LE(SIG_EOCD64, 0);
      writeU64(r, 44, 4); // size of the rest of this record
      r.writeUInt16LE(MADE_BY_UNIX, 12);
      r.writeUInt16LE(VERSION_ZIP64, 14);
      r.writeUInt32LE(0, 16); // this disk
      r.writeUInt32LE(0, 20); // disk with the central directory
      writeU64(r, count, 24);
      writeU64(r, count, 32);
      writeU64(r, cdSize, 40);
      writeU64(r, cdOffset, 48);
      const l = Buffer.alloc(20);
      l.writeUInt32LE(SIG_EOCD64_LOCATOR, 0);
      l.writeUInt32LE(0, 4);
      writeU64(l, eocd64Offset, 8);
      l.writeUInt32LE(1, 16); // total disks
      await this.push(Buffer.concat([r, l]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(SIG_EOCD, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(force || count >= MAX16 ? MAX16 : count, 8);
    end.writeUInt16LE(force || count >= MAX16 ? MAX16 : count, 10);
    end.writeUInt32LE(force || cdSize >= MAX32 ? MAX32 : cdSize, 12);
    end.writeUInt32LE(force || cdOffset >= MAX32 ? MAX32 : cdOffset, 16);
    end.writeUInt16LE(0, 20); // comment length
    await this.push(end);
    await this.flush();
    return { size: this.offset, sha256: this.hash.digest('hex') };
  }

  // --- the writer loop ------------------------------------------------------------------------

  private async consume(): Promise<void> {
    try {
      for (;;) {
        if (this.discard) return;
        if (this.head === this.queue.length) {
          if (this.stopped) return;
          await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
          continue;
        }
        const item = this.queue[this.head]!;
        this.queue[this.head++] = undefined as unknown as QueueItem;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        let buf: Buffer;
        if (item.kind === 'make') {
          buf = item.make();
        } else {
          buf = await item.data;
          item.entry.compressed += buf.length;
        }
        await this.push(buf);
        if (buf.length === 0) await this.flush(); // a barrier: everything before it is written
        item.done?.();
        this.notify();
      }
    } catch (err) {
      this.failure = new ZipOutputError(errorText(err), { cause: err });
      this.stopped = true;
      // Wake everyone waiting for room or a barrier: they see the failure.
      for (const item of this.queue.slice(this.head)) item.done?.();
      this.queue = [];
      this.head = 0;
      this.notify();
    }
  }

  private enqueue(item: QueueItem): void {
    this.queue.push(item);
    const wake = this.wakeConsumer;
    this.wakeConsumer = null;
    wake?.();
  }

  /** Waits while the queue is full (and, for a block, while `parallel` blocks are in flight). */
  private async room(block = false): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      const queued = this.queue.length - this.head;
      if (queued < MAX_QUEUED_ITEMS && (!block || this.inFlight < this.parallel)) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private release(): void {
    this.inFlight--;
    this.notify();
  }

  private notify(): void {
    if (!this.waiters.length) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    const wake = this.wakeConsumer;
    this.wakeConsumer = null;
    wake?.();
    await this.consumer;
  }

  private checkOpen(): void {
    if (this.failure) throw this.failure;
    if (this.finished || this.stopped) throw new Error('the zip writer is finished');
  }

  private newEntry(name: string, options: ZipEntryOptions, method: number, flags: number, zip64: boolean): CentralEntry {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length === 0 || nameBytes.length > MAX16) throw new Error(`bad entry name length: ${name}`);
    const { time, date } = dosDateTime(options.mtime);
    return {
      name: nameBytes,
      flags: flags | FLAG_UTF8,
      method,
      dosTime: time,
      dosDate: date,
      unixTime: Math.max(0, Math.min(MAX32, Math.floor(options.mtime.getTime() / 1000))),
      crc: 0,
      compressed: 0,
      uncompressed: 0,
      offset: 0, // set when the local header is written
      mode: options.mode & 0xffff,
      zip64,
    };
  }

  private localHeader(e: CentralEntry): Buffer {
    e.offset = this.offset;
    const time = extendedTime(e.unixTime);
    const extra = e.zip64 ? Buffer.concat([zip64Extra([0, 0]), time]) : time;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(SIG_LOCAL, 0);
    h.writeUInt16LE(e.zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(e.dosTime, 10);
    h.writeUInt16LE(e.dosDate, 12);
    // With a data descriptor, CRC and sizes are zero here (0xFFFFFFFF sizes when zip64).
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(e.zip64 ? MAX32 : e.compressed, 18);
    h.writeUInt32LE(e.zip64 ? MAX32 : e.uncompressed, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(extra.length, 28);
    return Buffer.concat([h, e.name, extra]);
  }

  private descriptor(e: CentralEntry): Buffer {
    if (e.zip64) {
      const d = Buffer.alloc(24);
      d.writeUInt32LE(SIG_DESCRIPTOR, 0);
      d.writeUInt32LE(e.crc, 4);
      writeU64(d, e.compressed, 8);
      writeU64(d, e.uncompressed, 16);
      return d;
    }
    const d = Buffer.alloc(16);
    d.writeUInt32LE(SIG_DESCRIPTOR, 0);
    d.writeUInt32LE(e.crc, 4);
    d.writeUInt32LE(e.compressed, 8);
    d.writeUInt32LE(e.uncompressed, 12);
    return d;
  }

  private centralRecord(e: CentralEntry): Buffer {
    const force = !!this.options.forceZip64;
    const sizes64 = e.zip64 || e.uncompressed >= MAX32 || e.compressed >= MAX32;
    const offset64 = force || e.offset >= MAX32;
    const values: number[] = [];
    if (sizes64) values.push(e.uncompressed, e.compressed);
    if (offset64) values.push(e.offset);
    const extra = Buffer.concat([values.length ? zip64Extra(values) : Buffer.alloc(0), extendedTime(e.unixTime)]);
    const h = Buffer.alloc(46);
    h.writeUInt32LE(SIG_CENTRAL, 0);
    h.writeUInt16LE(MADE_BY_UNIX, 4);
    h.writeUInt16LE(values.length ? VERSION_ZIP64 : VERSION_DEFAULT, 6);
    h.writeUInt16LE(e.flags, 8);
    h.writeUInt16LE(e.method, 10);
    h.writeUInt16LE(e.dosTime, 12);
    h.writeUInt16LE(e.dosDate, 14);
    h.writeUInt32LE(e.crc, 16);
    h.writeUInt32LE(sizes64 ? MAX32 : e.compressed, 20);
    h.writeUInt32LE(sizes64 ? MAX32 : e.uncompressed, 24);
    h.writeUInt16LE(e.name.length, 28);
    h.writeUInt16LE(extra.length, 30);
    h.writeUInt16LE(0, 32); // comment length
    h.writeUInt16LE(0, 34); // disk number start
    h.writeUInt16LE(0, 36); // internal attributes
    h.writeUInt32LE(((e.mode & 0xffff) << 16) >>> 0, 38);
    h.writeUInt32LE(offset64 ? MAX32 : e.offset, 42);
    return Buffer.concat([h, e.name, extra]);
  }

  private async push(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    this.offset += buf.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.hash.update(buf);
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, null);
      done += bytesWritten;
    }
  }
}

function writeU64(buf: Buffer, n: number, at: number): void {
  buf.writeUInt32LE(n % 0x100000000, at);
  buf.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
}

/** The zip64 extended information extra field (0x0001) with these 8-byte values. */
function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => writeU64(b, v, 4 + 8 * i));
  return b;
}

/** The extended timestamp extra field (0x5455) with the modification time only. */
function extendedTime(unixSeconds: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4); // mtime present
  b.writeUInt32LE(unixSeconds, 5);
  return b;
}

/** MS-DOS date and time (local time, 2-second steps, 1980–2107). */
export function dosDateTime(d: Date): { time: number; date: number } {
  let year = d.getFullYear();
  let t = d;
  if (year < 1980) {
    t = new Date(1980, 0, 1, 0, 0, 0);
    year = 1980;
  } else if (year > 2107) {
    t = new Date(2107, 11, 31, 23, 59, 58);
    year = 2107;
  }
  const date = ((year - 1980) << 9) | ((t.getMonth() + 1) << 5) | t.getDate();
  const time = (t.getHours() << 11) | (t.getMinutes() << 5) | Math.floor(t.getSeconds() / 2);
  return { time, date };
}
