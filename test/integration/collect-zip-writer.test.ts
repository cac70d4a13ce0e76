/**
 * The streaming zip writer against Info-ZIP unzip: multi-block files (parallel deflate joined
 * with dictionaries and sync flushes) come back byte for byte, zip64 structures are valid, more
 * than 65,535 entries work, a file that shrank gives what it has, and a write failure is a
 * ZipOutputError.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dosDateTime } from '../../src-main/collect/zip-records';
import { BLOCK_BYTES, ZipOutputError, ZipWriter } from '../../src-main/collect/zip-writer';
import { tempDir } from '../helpers/temp';

const posix = process.platform !== 'win32';
let root: string;
let remove: () => void;

beforeEach(() => {
  ({ dir: root, remove } = tempDir('er-collect-zipw-'));
});
afterEach(() => remove());

function unzip(args: string[]): { status: number | null; out: string; raw: Buffer } {
  const r = spawnSync('unzip', args, { maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status, out: r.stdout.toString('utf8') + r.stderr.toString('utf8'), raw: r.stdout };
}

/** Log-like text with some random bytes mixed in, so blocks compress differently. */
function mixed(bytes: number): Buffer {
  const parts: Buffer[] = [];
  let n = 0;
  let i = 0;
  while (n < bytes) {
    const p =
      i % 7 === 3
        ? randomBytes(20_000)
        : Buffer.from(`2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z INFO line ${i} of the log, disk ok, fan ok\n`.repeat(50));
    parts.push(p);
    n += p.length;
    i++;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

const meta = { mtime: new Date('2024-05-06T07:08:10Z'), mode: 0o100644 };

async function build(
  name: string,
  files: Array<{ entry: string; data: Buffer; size?: number }>,
  options: { forceZip64?: boolean; parallel?: number; level?: number } = {},
): Promise<{ zip: string; size: number; sha256: string }> {
  const zip = path.join(root, name);
  const out = await open(zip, 'wx');
  const w = new ZipWriter(out, { level: options.level ?? 1, forceZip64: options.forceZip64, parallel: options.parallel });
  try {
    for (const f of files) {
      if (f.data.length === 0 && f.size === undefined) {
        await w.addEmpty(f.entry, meta);
        continue;
      }
      const src = path.join(root, 'src', f.entry);
      mkdirSync(path.dirname(src), { recursive: true });
      writeFileSync(src, f.data);
      const fh = await open(src, 'r');
      try {
        await w.addFile(f.entry, fh, f.size ?? f.data.length, meta);
      } finally {
        await fh.close();
      }
    }
    const r = await w.finish();
    return { zip, ...r };
  } finally {
    await w.close();
    await out.close();
  }
}

describe.runIf(posix)('zip writer', () => {
  it('multi-block files, block-sized files, tiny and empty files come back byte for byte', async () => {
    const files = [
      { entry: 'a/multi.log', data: mixed(5 * BLOCK_BYTES + 12345) },
      { entry: 'a/exact.log', data: mixed(2 * BLOCK_BYTES) },
      { entry: 'b/random.bin', data: randomBytes(BLOCK_BYTES + 1) },
      { entry: 'b/one.txt', data: Buffer.from('x') },
      { entry: 'b/empty.txt', data: Buffer.alloc(0) },
      { entry: 'c/ünïcødé 名前.log', data: Buffer.from('utf-8 name\n') },
    ];
    for (const parallel of [1, 3, 8]) {
      const { zip, size, sha256 } = await build(`p${parallel}.zip`, files, { parallel });
      const t = unzip(['-t', zip]);
      expect(t.status, t.out).toBe(0);
      for (const f of files) expect(unzip(['-p', zip, f.entry]).raw.equals(f.data), `${f.entry} with parallel ${parallel}`).toBe(true);
      const bytes = readFileSync(zip);
      expect(size).toBe(bytes.length);
      expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(unzip(['-Z1', zip]).out.trim().split('\n')).toEqual(files.map((f) => f.entry));
    }
  });

  it('compresses like a single deflate stream (dictionaries carry over block edges)', async () => {
    const data = mixed(4 * BLOCK_BYTES);
    const { zip } = await build('ratio.zip', [{ entry: 'x.log', data }]);
    const listing = unzip(['-v', zip]).out;
    // unzip -v: "Length Method Size Cmpr ..." — the compressed size of our entry.
    const row = listing.split('\n').find((l) => l.trim().endsWith('x.log'))!;
    const compressed = Number(row.trim().split(/\s+/)[2]);
    const zlib = await import('node:zlib');
    const single = zlib.deflateRawSync(data, { level: 1 }).length;
    expect(compressed).toBeLessThan(single * 1.01 + 64);
  });

  it('writes valid zip64 records when forced', async () => {
    const files = [
      { entry: 'big.log', data: mixed(BLOCK_BYTES * 2 + 7) },
      { entry: 'empty', data: Buffer.alloc(0) },
      { entry: 'small.txt', data: Buffer.from('small') },
    ];
    const { zip } = await build('z64.zip', files, { forceZip64: true });
    const t = unzip(['-t', zip]);
    expect(t.status, t.out).toBe(0);
    for (const f of files) expect(unzip(['-p', zip, f.entry]).raw.equals(f.data)).toBe(true);
    const bytes = readFileSync(zip);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // zip64 end record
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // its locator
  });

  it('more than 65,535 entries: zip64 end records, all listed', async () => {
    const src = path.join(root, 'tiny.txt');
    writeFileSync(src, 'tiny\n');
    const zip = path.join(root, 'many.zip');
    const out = await open(zip, 'wx');
    const fh = await open(src, 'r');
    const w = new ZipWriter(out, { level: 1 });
    const count = 65_600;
    try {
      for (let i = 0; i < count; i++) {
        if (i % 2) await w.addEmpty(`d${i % 100}/e${i}`, meta);
        else await w.addFile(`d${i % 100}/f${i}`, fh, 5, meta);
      }
      await w.finish();
    } finally {
      await w.close();
      await fh.close();
      await out.close();
    }
    const t = unzip(['-tq', zip]);
    expect(t.status, t.out).toBe(0);
    expect(unzip(['-Z1', zip]).out.trim().split('\n')).toHaveLength(count);
    expect(unzip(['-p', zip, 'd98/f65598']).out).toBe('tiny\n');
  }, 120_000);

  it('a file shorter than its announced size gives what it has', async () => {
    const data = mixed(BLOCK_BYTES + 100);
    const { zip } = await build('short.zip', [
      { entry: 'shrunk.log', data, size: 3 * BLOCK_BYTES },
      { entry: 'gone.log', data: Buffer.alloc(0), size: 500 },
      { entry: 'after.log', data: Buffer.from('after') },
    ]);
    expect(unzip(['-t', zip]).status).toBe(0);
    expect(unzip(['-p', zip, 'shrunk.log']).raw.equals(data)).toBe(true);
    expect(unzip(['-p', zip, 'gone.log']).raw.length).toBe(0);
    expect(unzip(['-p', zip, 'after.log']).out).toBe('after');
  });

  it('keeps times (DOS local and UTC extended) and modes', async () => {
    const { zip } = await build('meta.zip', [{ entry: 'm.txt', data: Buffer.from('m') }]);
    const info = unzip(['-Z', '-v', zip]).out;
    expect(info).toMatch(/Unix file attributes \(100644 octal\):\s+-rw-r--r--/);
    expect(info).toContain('2024 May 6 07:08:10'); // the extended timestamp, shown in UTC
    const { date, time } = dosDateTime(new Date(2024, 4, 6, 7, 8, 11));
    expect(date).toBe(((2024 - 1980) << 9) | (5 << 5) | 6);
    expect(time).toBe((7 << 11) | (8 << 5) | 5);
    expect(dosDateTime(new Date(1970, 0, 1))).toEqual({ date: (1 << 5) | 1, time: 0 });
  });

  it('a failing output is a ZipOutputError and the writer stops', async () => {
    const src = path.join(root, 'in.log');
    writeFileSync(src, mixed(3 * BLOCK_BYTES));
    const zip = path.join(root, 'ro.zip');
    writeFileSync(zip, '');
    const out = await open(zip, 'r'); // read-only: every write fails with EBADF
    const fh = await open(src, 'r');
    const w = new ZipWriter(out, { level: 1 });
    let err: unknown = null;
    try {
      await w.addFile('in.log', fh, 3 * BLOCK_BYTES, meta);
      await w.finish();
    } catch (e) {
      err = e;
    } finally {
      await w.close();
      await fh.close();
      await out.close();
    }
    expect(err).toBeInstanceOf(ZipOutputError);
    expect((err as Error).message).toMatch(/EBADF/);
  });

  it('an aborted signal stops addFile with its reason', async () => {
    const src = path.join(root, 'in.log');
    writeFileSync(src, mixed(2 * BLOCK_BYTES));
    const out = await open(path.join(root, 'a.zip'), 'wx');
    const fh = await open(src, 'r');
    const w = new ZipWriter(out, { level: 1 });
    const ac = new AbortController();
    ac.abort(new Error('stop now'));
    try {
      await expect(w.addFile('in.log', fh, 2 * BLOCK_BYTES, meta, ac.signal)).rejects.toThrow('stop now');
    } finally {
      await w.close();
      await fh.close();
      await out.close();
    }
  });
});
