// SettingsService.refresh(): callers at the same moment share one look at settings.json, but
// every caller sees what was on disk when it called. A real SettingsStore on a temp folder; a
// second SettingsStore on the same file writes as another process (the CLI) would. The store's
// fingerprint (the stat of the file) is wrapped to count the looks and to hold one at a chosen
// point, so the orderings below are exact, not timing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelRegistry, defaultChannels } from '../../src-main/channels/registry';
import { SettingsService } from '../../src-main/core/settings-service';
import { SettingsStore } from '../../src-main/core/settings-store';
import { testedMemory } from '../../src-main/reports/drafts';
import { defaultSettings } from '../../src-shared/settings';
import { tempDir } from '../helpers/temp';

interface Pause {
  /** the held stat has got there */
  reached: Promise<void>;
  release(): void;
}

/** Counts the store's stats; pause(n, …) holds the n-th before it stats or after (its answer taken). */
function instrument(store: SettingsStore) {
  const real = store.fingerprint.bind(store);
  const pauses = new Map<string, { reached: () => void; released: Promise<void> }>();
  const failing = new Set<number>();
  const probe = {
    calls: 0,
    pause(n: number, where: 'before' | 'after'): Pause {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((resolve) => (reached = resolve));
      pauses.set(`${n}:${where}`, { reached, released: new Promise<void>((resolve) => (release = resolve)) });
      return { reached: reachedP, release };
    },
    /** the n-th stat throws (after any pause before it) */
    fail(n: number): void {
      failing.add(n);
    },
  };
  const hold = async (n: number, where: 'before' | 'after') => {
    const p = pauses.get(`${n}:${where}`);
    if (!p) return;
    p.reached();
    await p.released;
  };
  store.fingerprint = async () => {
    const n = ++probe.calls;
    await hold(n, 'before');
    if (failing.has(n)) throw new Error(`stat ${n} of settings.json failed (instrumented)`);
    const fp = await real();
    await hold(n, 'after');
    return fp;
  };
  return probe;
}

/** `p`, or a clear failure after 5 s instead of the test's timeout (a look that never comes). */
function soon<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within 5 s`)), 5000)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

let tmp: ReturnType<typeof tempDir>;
let file: string;

beforeEach(() => {
  tmp = tempDir('er-settings-refresh-');
  file = path.join(tmp.dir, 'settings.json');
});
afterEach(() => tmp.remove());

/** The settings file with this SMTP host, written by a store of its own (another process). */
async function writeAsAnotherProcess(smtpHost: string): Promise<void> {
  const settings = defaultSettings();
  settings.methods.express.mail.smtpHost = smtpHost;
  await new SettingsStore(file).save(settings);
}

async function openService() {
  await writeAsAnotherProcess('first.example.jp');
  const store = new SettingsStore(file);
  const service = new SettingsService(store, 'en_US.UTF-8', testedMemory(() => channelRegistry(defaultChannels())), {
    emit: () => undefined,
    tell: async () => undefined,
    changed: async () => undefined,
  });
  await service.reload();
  const probe = instrument(store);
  return { service, probe };
}

const host = (s: { methods: { express: { mail: { smtpHost: string } } } }) => s.methods.express.mail.smtpHost;

describe('SettingsService.refresh: a burst shares the look at the settings file', () => {
  it('200 callers at the same moment stat the file at most twice, and all get the settings', async () => {
    const { service, probe } = await openService();
    const all = await Promise.all(Array.from({ length: 200 }, () => service.current()));
    expect(probe.calls).toBeGreaterThanOrEqual(1);
    expect(probe.calls).toBeLessThanOrEqual(2);
    expect(new Set(all.map(host))).toEqual(new Set(['first.example.jp']));
  });

  it('200 callers after another process changed the file all see the change', async () => {
    const { service, probe } = await openService();
    await writeAsAnotherProcess('changed.example.jp');
    const all = await Promise.all(Array.from({ length: 200 }, () => service.current()));
    expect(new Set(all.map(host))).toEqual(new Set(['changed.example.jp']));
    // two looks, and the reload's own stat of what it read
    expect(probe.calls).toBeLessThanOrEqual(3);
  });

  it('a change written after a look began, before a caller called, is seen by that caller', async () => {
    const { service, probe } = await openService();
    const first = probe.pause(1, 'after');
    const early = service.current();
    await soon(first.reached, 'the first stat'); // the look in flight has stat'ed the file as it was
    await writeAsAnotherProcess('changed.example.jp');
    const late = service.current();
    first.release();
    expect(host(await late)).toBe('changed.example.jp');
    // the early caller called before the write: either value is right for it; it must not hang
    expect(['first.example.jp', 'changed.example.jp']).toContain(host(await early));
    expect(host(await service.current())).toBe('changed.example.jp');
  });
});

describe('SettingsService.refresh: a look that fails does not wedge the callers after it', () => {
  it('settings.json replaced by a folder: the callers of that look get the error; one waiting behind it gets its own look and the repaired file', async () => {
    const { service, probe } = await openService();
    await fs.rm(file);
    await fs.mkdir(file);
    const first = probe.pause(1, 'after');
    const second = probe.pause(2, 'before');
    const failed = service.current();
    await soon(first.reached, 'the first stat');
    const waiting = service.current();
    first.release();
    await expect(failed).rejects.toThrow(/EISDIR/);
    await soon(second.reached, "the waiting caller's own stat"); // the waiting caller's own look, not the failed one's answer
    await fs.rmdir(file);
    await writeAsAnotherProcess('repaired.example.jp');
    second.release();
    expect(host(await waiting)).toBe('repaired.example.jp');
    const before = probe.calls;
    const all = await Promise.all(Array.from({ length: 50 }, () => service.current()));
    expect(new Set(all.map(host))).toEqual(new Set(['repaired.example.jp']));
    expect(probe.calls - before).toBeLessThanOrEqual(2);
  });

  it('a stat that throws (instrumented): its caller gets the error, the caller queued behind it and later callers get the settings', async () => {
    const { service, probe } = await openService();
    const first = probe.pause(1, 'before');
    probe.fail(1);
    const failed = service.current();
    await soon(first.reached, 'the first stat');
    await writeAsAnotherProcess('changed.example.jp');
    const waiting = service.current();
    first.release();
    await expect(failed).rejects.toThrow(/stat 1 of settings.json failed/);
    expect(host(await waiting)).toBe('changed.example.jp');
    expect(host(await service.current())).toBe('changed.example.jp');
  });

  it('settings.json removed by another process: the callers get the defaults, not an error, and a new file is picked up', async () => {
    const { service } = await openService();
    await fs.rm(file);
    const gone = await Promise.all(Array.from({ length: 20 }, () => service.current()));
    expect(new Set(gone.map(host))).toEqual(new Set([defaultSettings().methods.express.mail.smtpHost]));
    await writeAsAnotherProcess('back.example.jp');
    expect(host(await service.current())).toBe('back.example.jp');
  });
});
