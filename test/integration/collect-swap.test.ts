/**
 * Item 11: a collected file swapped after the scan — for a symbolic link to a root-readable
 * file, for another file, for a FIFO — is not read: the collector opens without following a
 * final link and checks that it holds the file it scanned (regular, same device and inode).
 * Real files, real links, a real FIFO; the archive is read back with Info-ZIP's unzip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, type CollectedArchive, type CollectionPlan, type CollectProgress } from '../../src-main/collect/collector';
import { REASON_CHANGED } from '../../src-main/collect/scan';
import { tempDir } from '../helpers/temp';

let root: string;
let remove: () => void;
let tmp: string;
let logs: string;
let secret: string;
const SECRET = 'root:$6$not-for-the-center:19000:0:99999:7:::\n';

beforeEach(() => {
  ({ dir: root, remove } = tempDir('er-collect-swap-'));
  tmp = path.join(root, 'tmp');
  logs = path.join(root, 'logs');
  mkdirSync(tmp);
  mkdirSync(logs);
  secret = path.join(root, 'shadow');
  writeFileSync(secret, SECRET, { mode: 0o600 });
});
afterEach(() => remove());

const plan = (logFiles: string[]): CollectionPlan => ({ tools: [{ command: null, directory: null, logFiles }], timeoutSeconds: 0, maxBytes: 0, archiveName: 'log.zip' });

/** Everything in the archive, concatenated (unzip -p). */
const contents = (zip: string): string => spawnSync('unzip', ['-p', zip]).stdout.toString('utf8');
const names = (zip: string): string[] => spawnSync('unzip', ['-Z1', zip]).stdout.toString('utf8').split('\n').filter((l) => l !== '' && !l.startsWith('Empty'));

/** Runs `swap` once, after the scan and before the first file is opened. */
function between(swap: () => void): (p: CollectProgress) => void {
  let done = false;
  return (p) => {
    if (!done && p.phase === 'zip') {
      done = true;
      swap();
    }
  };
}

async function collected(logFiles: string[], swap: () => void): Promise<CollectedArchive> {
  return collect(plan(logFiles), { tempDir: tmp, onProgress: between(swap) });
}

describe.runIf(process.platform !== 'win32')('a file swapped between scan and read', () => {
  it('a log file replaced by a symbolic link to a secret file is left out and listed; the secret is not in the archive', async () => {
    const keep = path.join(logs, 'a.log');
    const victim = path.join(logs, 'b.log');
    writeFileSync(keep, 'kept line\n');
    writeFileSync(victim, 'an ordinary log line of the same length..\n');
    const a = await collected([logs], () => {
      rmSync(victim);
      symlinkSync(secret, victim);
    });
    try {
      expect(contents(a.path)).not.toContain('not-for-the-center');
      expect(names(a.path)).toEqual([keep.slice(1)]);
      expect(a.omitted).toEqual([{ path: victim, reason: REASON_CHANGED }]);
      expect(a.notes.join('\n')).toMatch(/1 file\(s\) were replaced between the scan and the packing/);
    } finally {
      await a.dispose();
    }
  });

  it('the same when the LogFile names the file itself', async () => {
    const victim = path.join(logs, 'single.log');
    writeFileSync(victim, 'x'.repeat(200));
    const a = await collected([victim], () => {
      rmSync(victim);
      symlinkSync(secret, victim);
    });
    try {
      expect(contents(a.path)).not.toContain('not-for-the-center');
      expect(a.included).toBe(0);
      expect(a.omitted).toEqual([{ path: victim, reason: REASON_CHANGED }]);
    } finally {
      await a.dispose();
    }
  });

  it('a file renamed over the scanned one (another inode) is left out', async () => {
    const victim = path.join(logs, 'c.log');
    writeFileSync(victim, 'y'.repeat(100));
    const other = path.join(root, 'other');
    writeFileSync(other, SECRET.padEnd(100, '#'));
    const a = await collected([logs], () => renameSync(other, victim));
    try {
      expect(contents(a.path)).not.toContain('not-for-the-center');
      expect(a.omitted).toEqual([{ path: victim, reason: REASON_CHANGED }]);
    } finally {
      await a.dispose();
    }
  });

  it('a FIFO swapped in does not hang the collection', async () => {
    const victim = path.join(logs, 'd.log');
    writeFileSync(victim, 'z'.repeat(100));
    const a = await collected([logs], () => {
      rmSync(victim);
      execFileSync('mkfifo', [victim]);
    });
    try {
      expect(a.omitted).toEqual([{ path: victim, reason: REASON_CHANGED }]);
    } finally {
      await a.dispose();
    }
  }, 10_000);

  it('a LogFile that is a link is still followed when nothing changes (read through its real path)', async () => {
    const real = path.join(logs, 'real.log');
    writeFileSync(real, 'through the link\n');
    const link = path.join(root, 'alias.log');
    symlinkSync(real, link);
    const a = await collect(plan([link]), { tempDir: tmp });
    try {
      expect(names(a.path)).toEqual([link.slice(1)]);
      expect(contents(a.path)).toBe('through the link\n');
      expect(a.omitted).toEqual([]);
    } finally {
      await a.dispose();
    }
  });
});
