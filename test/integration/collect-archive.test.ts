/**
 * The collected archive, checked with Info-ZIP's unzip: content equal to the sources, empty
 * folders left out, an empty but valid archive when nothing is found, MaxSize truncation,
 * symbolic links, the free-space check, and no temp files left after success, failure or cancel.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  collect,
  CollectError,
  DEFAULT_MAX_BYTES,
  type CollectedArchive,
  type CollectionPlan,
  type CollectProgress,
} from '../../src-main/collect/collector';
import { REASON_CHANGED } from '../../src-main/collect/scan';
import { tempDir } from '../helpers/temp';

const posix = process.platform !== 'win32';

let root: string;
let remove: () => void;
let tmp: string;
let logs: string;

beforeEach(() => {
  ({ dir: root, remove } = tempDir('er-collect-zip-'));
  tmp = path.join(root, 'tmp');
  logs = path.join(root, 'logs');
  mkdirSync(tmp);
  mkdirSync(logs);
});
afterEach(() => remove());

function plan(logFiles: string[], maxBytes = 0): CollectionPlan {
  return { tools: [{ command: null, directory: null, logFiles }], timeoutSeconds: 0, maxBytes, archiveName: 'log.zip' };
}

function unzip(args: string[]): { status: number | null; out: string; raw: Buffer } {
  const r = spawnSync('unzip', args, { maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, out: r.stdout.toString('utf8') + r.stderr.toString('utf8'), raw: r.stdout };
}

/** Names in the archive, from `unzip -Z1` (zipinfo, one name a line). */
function names(zip: string): string[] {
  const r = unzip(['-Z1', zip]);
  return r.out.split('\n').filter((l) => l.length > 0 && !l.startsWith('Empty zipfile'));
}

/** The archive name of a file under the test root: the absolute path without its leading "/". */
const entry = (p: string) => p.slice(1);

function write(rel: string, content: string | Buffer): string {
  const p = path.join(logs, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

async function failure(p: Promise<CollectedArchive>): Promise<CollectError> {
  const result = await p.then(
    async (a) => {
      await a.dispose();
      return null;
    },
    (e: unknown) => e,
  );
  if (!(result instanceof CollectError)) throw new Error(`expected a CollectError, got ${String(result)}`);
  return result;
}

describe.runIf(posix)('collected archive', () => {
  it("a 1-file archive holds the file's bytes exactly; size and sha256 describe the archive", async () => {
    const data = randomBytes(1024 * 1024 + 17);
    const src = write('one/data.bin', data);
    const a = await collect(plan([src]), { tempDir: tmp });
    try {
      expect(a.included).toBe(1);
      expect(a.includedBytes).toBe(data.length);
      expect(unzip(['-t', a.path]).status).toBe(0);
      expect(unzip(['-p', a.path, entry(src)]).raw.equals(data)).toBe(true);
      const onDisk = readFileSync(a.path);
      expect(a.size).toBe(onDisk.length);
      expect(a.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
      expect(path.dirname(path.dirname(a.path))).toBe(tmp);
      expect(path.basename(a.path)).toBe('log.zip');
    } finally {
      await a.dispose();
      await a.dispose(); // twice is fine
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('collects folders recursively and leaves out empty folders', async () => {
    const text = 'log line\n'.repeat(1000);
    write('app/a.log', text);
    write('app/sub/b.log', text);
    write('app/sub/deeper/c.log', '');
    mkdirSync(path.join(logs, 'empty/nested/deeper'), { recursive: true });
    mkdirSync(path.join(logs, 'app/sub/empty-too'));
    const a = await collect(plan([logs]), { tempDir: tmp });
    try {
      expect(names(a.path)).toEqual([
        entry(path.join(logs, 'app/a.log')),
        entry(path.join(logs, 'app/sub/b.log')),
        entry(path.join(logs, 'app/sub/deeper/c.log')),
      ]);
      const listing = unzip(['-l', a.path]).out;
      expect(listing).not.toContain('empty');
      expect(listing).toMatch(/\s3 files/);
      expect(unzip(['-t', a.path]).status).toBe(0);
      expect(unzip(['-p', a.path, entry(path.join(logs, 'app/sub/b.log'))]).out).toBe(text);
    } finally {
      await a.dispose();
    }
  });

  it('with nothing to collect, still writes an empty but valid archive', async () => {
    mkdirSync(path.join(logs, 'only/empty/folders'), { recursive: true });
    const missing = path.join(root, 'no-such.log');
    const a = await collect(plan([missing, path.join(logs, 'only')]), { tempDir: tmp });
    try {
      expect(a.included).toBe(0);
      expect(a.notes).toEqual([`LogFile ${missing} does not exist.`]);
      // An empty zip is the end-of-central-directory record alone.
      const bytes = readFileSync(a.path);
      expect(bytes.equals(Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]))).toBe(true);
      // unzip accepts it with its "empty" warning (status 1); a broken file gives 9.
      const t = unzip(['-t', a.path]);
      expect(t.status).toBe(1);
      expect(t.out).toContain('zipfile is empty');
      expect(unzip(['-Z', a.path]).out).toContain('number of entries: 0');
      writeFileSync(path.join(root, 'broken.zip'), bytes.subarray(0, 10));
      expect(unzip(['-t', path.join(root, 'broken.zip')]).status).toBe(9);
    } finally {
      await a.dispose();
    }
  });

  it('an empty LogFile list gives an empty archive too', async () => {
    const a = await collect({ tools: [], timeoutSeconds: 0, maxBytes: 0, archiveName: 'cfg.zip' }, { tempDir: tmp });
    expect(a.included).toBe(0);
    expect(a.size).toBe(22);
    await a.dispose();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('stops at MaxSize: the file that does not fit and every one after it are omitted and noted', async () => {
    const f1 = write('1.log', 'a'.repeat(1000));
    const f2 = write('2.log', 'b'.repeat(1000));
    const f3 = write('3.log', 'c'.repeat(1000));
    const f4 = write('4.log', 'd'.repeat(10)); // would fit, but collection stopped at 3.log
    const a = await collect(plan([logs], 2500), { tempDir: tmp });
    try {
      expect(names(a.path)).toEqual([entry(f1), entry(f2)]);
      expect(a.included).toBe(2);
      expect(a.includedBytes).toBe(2000);
      expect(a.omitted).toEqual([
        { path: f3, reason: 'MaxSize of 2.4 KiB reached' },
        { path: f4, reason: 'MaxSize of 2.4 KiB reached' },
      ]);
      expect(a.notes).toEqual([`MaxSize of 2.4 KiB reached: 2 file(s) (1010 bytes) were left out, from ${f3} on.`]);
      expect(unzip(['-t', a.path]).status).toBe(0);
    } finally {
      await a.dispose();
    }
  });

  it('a file exactly at MaxSize is included; MaxSize 0 means the default limit', async () => {
    write('1.log', 'x'.repeat(2500));
    const a = await collect(plan([logs], 2500), { tempDir: tmp });
    expect(a.included).toBe(1);
    expect(a.omitted).toEqual([]);
    await a.dispose();
    expect(DEFAULT_MAX_BYTES).toBe(700 * 1024 * 1024);
    const b = await collect(plan([logs], 0), { tempDir: tmp });
    expect(b.included).toBe(1);
    await b.dispose();
  });

  it('takes each file once when LogFiles overlap, in the order given', async () => {
    const a1 = write('x/a.log', 'a');
    const b1 = write('x/b.log', 'b');
    const a = await collect(plan([b1, path.join(logs, 'x'), a1]), { tempDir: tmp });
    expect(names(a.path)).toEqual([entry(b1), entry(a1)]);
    await a.dispose();
  });

  it('does not follow symbolic links inside a folder, but follows a LogFile that is a link', async () => {
    const outside = path.join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.txt'), 'not to be collected through the link');
    const inside = write('real.log', 'real');
    symlinkSync(outside, path.join(logs, 'to-outside'));
    symlinkSync(inside, path.join(logs, 'alias.log'));
    symlinkSync(path.join(root, 'nowhere'), path.join(logs, 'dangling'));
    const a = await collect(plan([logs]), { tempDir: tmp });
    try {
      expect(names(a.path)).toEqual([entry(inside)]);
      expect(a.omitted).toEqual([
        { path: path.join(logs, 'alias.log'), reason: 'symbolic link, not followed' },
        { path: path.join(logs, 'dangling'), reason: 'symbolic link, not followed' },
        { path: path.join(logs, 'to-outside'), reason: 'symbolic link, not followed' },
      ]);
      expect(a.notes).toEqual(['3 symbolic link(s) inside LogFile folders were not followed.']);
    } finally {
      await a.dispose();
    }
    const linkRoot = path.join(root, 'link-root');
    symlinkSync(outside, linkRoot);
    const b = await collect(plan([linkRoot]), { tempDir: tmp });
    expect(names(b.path)).toEqual([entry(path.join(linkRoot, 'secret.txt'))]);
    await b.dispose();
  });

  it('reads a file as it was when scanned: bytes appended later are not packed', async () => {
    const grow = write('grow.log', 'first part\n');
    const a = await collect(plan([logs]), {
      tempDir: tmp,
      onProgress: (p) => {
        if (p.phase === 'scan' && p.done === p.total) appendFileSync(grow, 'written after the scan\n');
      },
    });
    try {
      expect(unzip(['-p', a.path, entry(grow)]).out).toBe('first part\n');
      expect(unzip(['-t', a.path]).status).toBe(0);
    } finally {
      await a.dispose();
    }
  });

  it('refuses when the temp folder has less than twice the size to collect, leaving nothing behind', async () => {
    write('a.log', 'a'.repeat(3000));
    write('b.log', 'b'.repeat(2000));
    const asked: string[] = [];
    const err = await failure(
      collect(plan([logs]), {
        tempDir: tmp,
        freeSpace: async (dir) => {
          asked.push(dir);
          return 9999;
        },
      }),
    );
    expect(asked).toEqual([tmp]);
    expect(err.code).toBe('no-space');
    expect(err.message).toBe(
      `Not enough free space in ${tmp}: 9.8 KiB needed (twice the 4.9 KiB to collect), 9.8 KiB available.`,
    );
    expect(err.message).not.toContain('\n');
    expect(readdirSync(tmp)).toEqual([]);
    // Exactly twice is enough.
    const a = await collect(plan([logs]), { tempDir: tmp, freeSpace: async () => 10_000 });
    expect(a.included).toBe(2);
    await a.dispose();
  });

  it('counts only what fits in MaxSize for the free-space check, and uses statfs by default', async () => {
    write('a.log', 'a'.repeat(3000));
    write('b.log', 'b'.repeat(2000));
    const a = await collect(plan([logs], 3000), { tempDir: tmp, freeSpace: async () => 6000 });
    expect(a.included).toBe(1);
    await a.dispose();
    const b = await collect(plan([logs]), { tempDir: tmp }); // statfs of a real folder
    expect(b.included).toBe(2);
    await b.dispose();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a temp folder that does not exist is an "io" error naming it', async () => {
    const missing = path.join(root, 'no-tmp');
    const err = await failure(collect(plan([logs]), { tempDir: missing }));
    expect(err.code).toBe('io');
    expect(err.message).toMatch(new RegExp(`^The temp folder ${missing} cannot be used \\(.*ENOENT.*\\)\\.$`));
  });

  it('a file that became a folder between scan and zip is left out as replaced, not read (it was an "io" failure)', async () => {
    write('a.log', 'a'.repeat(5000));
    const victim = write('b.log', 'b'.repeat(5000));
    write('c.log', 'c'.repeat(5000));
    const a = await collect(plan([logs]), {
      tempDir: tmp,
      onProgress: (p) => {
        if (p.phase === 'scan' && p.done === p.total) {
          rmSync(victim);
          mkdirSync(victim);
        }
      },
    });
    try {
      expect(names(a.path)).toEqual([entry(path.join(logs, 'a.log')), entry(path.join(logs, 'c.log'))]);
      expect(a.omitted).toEqual([{ path: victim, reason: REASON_CHANGED }]);
      expect(unzip(['-t', a.path]).status).toBe(0);
    } finally {
      await a.dispose();
    }
  });

  it('a file removed between scan and zip is omitted and noted, not fatal', async () => {
    const keep = write('a.log', 'a');
    const gone = write('b.log', 'b');
    const a = await collect(plan([logs]), {
      tempDir: tmp,
      onProgress: (p) => {
        if (p.phase === 'scan' && p.done === p.total) rmSync(gone);
      },
    });
    expect(names(a.path)).toEqual([entry(keep)]);
    expect(a.omitted).toEqual([{ path: gone, reason: 'could not be opened: ENOENT' }]);
    expect(a.notes).toEqual(['1 item(s) could not be read and were left out.']);
    await a.dispose();
  });

  it('a cancel while packing fails with "aborted" and removes the partial archive', async () => {
    write('big.bin', randomBytes(48 * 1024 * 1024));
    const ac = new AbortController();
    const zipProgress: CollectProgress[] = [];
    const err = await failure(
      collect(plan([logs]), {
        tempDir: tmp,
        signal: ac.signal,
        compressionLevel: 9,
        onProgress: (p) => {
          if (p.phase !== 'zip') return;
          zipProgress.push(p);
          if (p.done > 0) ac.abort();
        },
      }),
    );
    expect(err.code).toBe('aborted');
    expect(err.message).toBe('The collection was cancelled.');
    expect(zipProgress.some((p) => p.done > 0 && p.done < p.total)).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a signal aborted before the start does nothing', async () => {
    write('a.log', 'a');
    const err = await failure(collect(plan([logs]), { tempDir: tmp, signal: AbortSignal.abort() }));
    expect(err.code).toBe('aborted');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('reports progress through tools, scan and zip, ending with all bytes packed', async () => {
    write('a.log', 'a'.repeat(4000));
    write('b/c.log', 'c'.repeat(6000));
    const seen: CollectProgress[] = [];
    const a = await collect(plan([logs, path.join(root, 'missing')]), { tempDir: tmp, onProgress: (p) => seen.push(p) });
    await a.dispose();
    const phases = seen.map((p) => p.phase).filter((ph, i, all) => i === 0 || all[i - 1] !== ph);
    expect(phases).toEqual(['tools', 'scan', 'zip']);
    const scans = seen.filter((p) => p.phase === 'scan');
    expect(scans.at(-1)).toEqual({ phase: 'scan', done: 2, total: 2, detail: undefined });
    const zips = seen.filter((p) => p.phase === 'zip');
    expect(zips[0]).toMatchObject({ done: 0, total: 10_000 });
    expect(zips.at(-1)).toMatchObject({ done: 10_000, total: 10_000 });
  });

  it('keeps file times and modes', async () => {
    const p = write('t.log', 'time');
    const when = new Date('2024-03-05T06:07:08Z');
    const { utimesSync, chmodSync } = await import('node:fs');
    utimesSync(p, when, when);
    chmodSync(p, 0o640);
    const a = await collect(plan([p]), { tempDir: tmp });
    const info = unzip(['-Z', '-l', a.path]).out;
    expect(info).toMatch(/-rw-r-----/);
    // Info-ZIP prints the extended timestamp in local time; compare through the same conversion.
    const local = `${String(when.getFullYear()).slice(2)}-${['Jan', 'Feb', 'Mar'][when.getMonth()]}-${String(when.getDate()).padStart(2, '0')}`;
    expect(info).toContain(local);
    expect(statSync(a.path).size).toBe(a.size);
    await a.dispose();
  });

  it('rejects an archive name with folders', async () => {
    await expect(collect({ ...plan([]), archiveName: '../x.zip' }, { tempDir: tmp })).rejects.toThrow(TypeError);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
