/**
 * The byte layout of a zip archive's records (PKWARE APPNOTE 6.3): local headers, data
 * descriptors, central directory records and the end records, zip64 forms included. Pure
 * functions of an entry's values; zip-writer.ts decides what goes out when.
 */

const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD = 0x06054b50;
export const FLAG_DESCRIPTOR = 1 << 3;
const FLAG_UTF8 = 1 << 11;
export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
const MADE_BY_UNIX = (3 << 8) | 63;
export const MAX32 = 0xffffffff;
export const MAX16 = 0xffff;

/** What the central directory keeps of an entry; crc, sizes and offset are filled in as it is written. */
export interface CentralEntry {
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

export interface ZipEntryOptions {
  mtime: Date;
  /** Unix mode (type and permission bits). */
  mode: number;
}

export function newEntry(name: string, options: ZipEntryOptions, method: number, flags: number, zip64: boolean): CentralEntry {
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

/**
 * The fields a local header (from byte 4) and a central directory record (from byte 6) have in
 * common, in the same order: version needed, flags, method, time, date, CRC, sizes, name and
 * extra lengths.
 */
function writeSharedFields(h: Buffer, at: number, e: CentralEntry, version: number, compressed: number, uncompressed: number, extraLength: number): void {
  h.writeUInt16LE(version, at);
  h.writeUInt16LE(e.flags, at + 2);
  h.writeUInt16LE(e.method, at + 4);
  h.writeUInt16LE(e.dosTime, at + 6);
  h.writeUInt16LE(e.dosDate, at + 8);
  h.writeUInt32LE(e.crc, at + 10);
  h.writeUInt32LE(compressed, at + 14);
  h.writeUInt32LE(uncompressed, at + 18);
  h.writeUInt16LE(e.name.length, at + 22);
  h.writeUInt16LE(extraLength, at + 24);
}

/** The local header of `e`, which starts at `e.offset`. */
export function localHeader(e: CentralEntry): Buffer {
  const time = extendedTime(e.unixTime);
  const extra = e.zip64 ? Buffer.concat([zip64Extra([0, 0]), time]) : time;
  const h = Buffer.alloc(30);
  h.writeUInt32LE(SIG_LOCAL, 0);
  // With a data descriptor, CRC and sizes are zero here (0xFFFFFFFF sizes when zip64).
  writeSharedFields(h, 4, e, e.zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, e.zip64 ? MAX32 : e.compressed, e.zip64 ? MAX32 : e.uncompressed, extra.length);
  return Buffer.concat([h, e.name, extra]);
}

/** The data descriptor after an entry's data: its CRC and sizes (8-byte sizes when zip64). */
export function descriptor(e: CentralEntry): Buffer {
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

/** The central directory record of `e`; `force` writes its offset as zip64 even when it fits. */
export function centralRecord(e: CentralEntry, force: boolean): Buffer {
  const sizes64 = e.zip64 || e.uncompressed >= MAX32 || e.compressed >= MAX32;
  const offset64 = force || e.offset >= MAX32;
  const values: number[] = [];
  if (sizes64) values.push(e.uncompressed, e.compressed);
  if (offset64) values.push(e.offset);
  const extra = Buffer.concat([values.length ? zip64Extra(values) : Buffer.alloc(0), extendedTime(e.unixTime)]);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(SIG_CENTRAL, 0);
  h.writeUInt16LE(MADE_BY_UNIX, 4);
  writeSharedFields(h, 6, e, values.length ? VERSION_ZIP64 : VERSION_DEFAULT, sizes64 ? MAX32 : e.compressed, sizes64 ? MAX32 : e.uncompressed, extra.length);
  h.writeUInt16LE(0, 32); // comment length
  h.writeUInt16LE(0, 34); // disk number start
  h.writeUInt16LE(0, 36); // internal attributes
  h.writeUInt32LE(((e.mode & 0xffff) << 16) >>> 0, 38);
  h.writeUInt32LE(offset64 ? MAX32 : e.offset, 42);
  return Buffer.concat([h, e.name, extra]);
}

/**
 * What follows the central directory (`count` records, `cdSize` bytes from `cdOffset`): the
 * zip64 end record and its locator where a value does not fit (or `force`), then the end record.
 */
export function endRecords(count: number, cdOffset: number, cdSize: number, force: boolean): Buffer {
  const parts: Buffer[] = [];
  const zip64 = force || count >= MAX16 || cdSize >= MAX32 || cdOffset >= MAX32;
  if (zip64) {
    const eocd64Offset = cdOffset + cdSize;
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
    parts.push(r, l);
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
  parts.push(end);
  return Buffer.concat(parts);
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
