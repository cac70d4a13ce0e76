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
 *
 * The records' byte layout is in zip-records.ts; this file is the streaming and the ordering.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { errorText } from '../lib/error-text';
import {
  centralRecord,
  descriptor,
  endRecords,
  FLAG_DESCRIPTOR,
  localHeader,
  MAX32,
  METHOD_DEFLATE,
  METHOD_STORE,
  newEntry,
  type CentralEntry,
  type ZipEntryOptions,
} from './zip-records';

const deflateRaw = promisify(zlib.deflateRaw) as (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

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

/** Output in archive order: built when its turn comes, or compressed data still on its way. */
type QueueItem =
  | { kind: 'make'; make: () => Buffer; done?: () => void }
  | { kind: 'data'; data: Promise<Buffer>; entry: CentralEntry; done: () => void };

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
    const e = newEntry(name, options, METHOD_STORE, 0, false);
    await this.room();
    this.enqueue({ kind: 'make', make: () => this.header(e) });
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
    const e = newEntry(name, options, METHOD_DEFLATE, FLAG_DESCRIPTOR, zip64);
    await this.room();
    this.enqueue({ kind: 'make', make: () => this.header(e) });
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
        return descriptor(e);
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
    for (const e of this.entries) await this.push(centralRecord(e, force));
    await this.push(endRecords(this.entries.length, cdOffset, this.offset - cdOffset, force));
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

  /** The local header of `e`, which starts at the next byte handed to push(). */
  private header(e: CentralEntry): Buffer {
    e.offset = this.offset;
    return localHeader(e);
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

