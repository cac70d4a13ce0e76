import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { matchCatalog, toCatalogEvent } from '../../src-main/events/catalog-match';
import type { FaultEvent } from '../../src-main/events/fault-event';
import { execFileRunner, WindowsEventLogSource, type CommandRunner } from '../../src-main/events/windows';
import { newestArgs, parseNewest, parseTimeCreated, parseWinEventJson, pollArgs, type WinEventParse, type WindowsLogName } from '../../src-main/events/windows-parse';
import type { RunResult } from '../../src-main/lib/child-process';
import { ManualClock } from '../../src-main/queue/manual-clock';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'windows');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const parsed = (text: string, log?: WindowsLogName): WinEventParse => {
  const r = parseWinEventJson(text, log);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('Windows event log (Get-WinEvent output written down by hand; PowerShell cannot run here)', () => {
  describe('parser', () => {
    it('reads an array as Windows PowerShell 5.1 prints it', () => {
      const r = parsed(fixture('system-ps51.json'), 'System');
      expect(r.errors).toEqual([]);
      expect(r.highestRecordId).toBe(48220);
      expect(r.entries.map((e) => `${e.recordId} ${e.event.source} ${e.event.eventId}`)).toEqual([
        '48213 Service Control Manager 0x40001b7c',
        '48214 atapi 0xc0040006',
        '48215 disk 0xc0040007',
        '48216 disk 0x80040033',
        '48217 Microsoft-Windows-WHEA-Logger 0x00000013',
        '48218 Ntfs 0xc0040037',
        '48219 Microsoft-Windows-Kernel-General 0x00000001',
        '48220 disk 0xc004000b',
      ]);
      expect(r.entries[1]!.event).toEqual({
        log: 'System',
        source: 'atapi',
        eventId: '0xc0040006',
        time: '2024-06-20T05:20:01.123Z',
        message: 'ドライバーは、\\Device\\Ide\\IdePort0 でコントローラー エラーを検出しました。',
        recordId: '48214',
      });
      expect(r.entries[5]!.event.message).toBe(''); // Message null: the provider's text is missing
      expect(r.entries[4]!.event.message).toContain('Error Source: Corrected Machine Check\n');
    });

    it('reads a single object (ConvertTo-Json does not wrap one event in an array)', () => {
      const r = parsed(fixture('application-single-ps51.json'), 'Application');
      expect(r.entries).toHaveLength(1);
      expect(r.entries[0]!.event).toMatchObject({ log: 'Application', source: 'Application Error', eventId: '0x000003e8', time: '2024-06-20T05:20:08.123Z' });
      expect(r.entries[0]!.event.message).toContain("ntdll.dll <native> & 'x'");
    });

    it('reads PowerShell 7 output (ISO dates with an offset)', () => {
      const r = parsed(fixture('system-ps7.json'));
      expect(r.entries.map((e) => [e.event.eventId, e.event.time])).toEqual([
        ['0xc0040006', '2024-06-20T05:21:00.500Z'],
        ['0x00000012', '2024-06-20T05:21:01.000Z'],
      ]);
    });

    it('reads no output (no events), a BOM, and dates in every form', () => {
      expect(parsed('')).toEqual({ entries: [], highestRecordId: null, errors: [] });
      expect(parsed('\r\n')).toEqual({ entries: [], highestRecordId: null, errors: [] });
      expect(parsed('\uFEFF' + fixture('application-single-ps51.json')).entries).toHaveLength(1);
      expect(parseTimeCreated('/Date(1700000000000)/')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      expect(parseTimeCreated('/Date(1700000000000+0900)/')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      expect(parseTimeCreated({ value: '/Date(1700000000000)/', DisplayHint: 2, DateTime: '2023年11月15日 7:13:20' })?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      expect(parseTimeCreated('2023-11-15T07:13:20+09:00')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      for (const bad of ['/Date(abc)/', 'yesterday', 1700000000000, null, '2023-13-45T99:00:00Z']) expect(parseTimeCreated(bad)).toBeNull();
    });

    it('skips bad entries with a reason, keeps the good ones, and still counts their record ids', () => {
      const good = { RecordId: 10, Id: 6, ProviderName: 'atapi', LogName: 'System', TimeCreated: '/Date(1700000000000)/', Message: 'x', Qualifiers: 49156 };
      const r = parsed(
        JSON.stringify([
          good,
          { ...good, RecordId: 'eleven' },
          { ...good, RecordId: 12, Id: 70000 },
          { ...good, RecordId: 13, Qualifiers: 'high' },
          { ...good, RecordId: 14, LogName: 'Security' },
          { ...good, RecordId: 15, TimeCreated: 'soon' },
          { ...good, RecordId: 16, ProviderName: '' },
          { ...good, RecordId: 17, Message: 5 },
          'text',
        ]),
        'System',
      );
      expect(r.entries.map((e) => e.recordId)).toEqual([10]);
      expect(r.highestRecordId).toBe(17);
      expect(r.errors).toEqual([
        'entry 2: RecordId is not a record number',
        'entry 3: record 12: Id is not a 16-bit number',
        'entry 4: record 13: Qualifiers is not a 16-bit number',
        'entry 5: record 14: LogName "Security" is not System or Application',
        'entry 6: record 15: TimeCreated is not a date',
        'entry 7: record 16: no ProviderName',
        'entry 8: record 17: Message is not text',
        'entry 9: not an object',
      ]);
      expect(parseWinEventJson('[{"RecordId":1,')).toEqual({ error: 'Get-WinEvent output is not JSON' });
      expect(parseWinEventJson(JSON.stringify(good), 'Application')).toMatchObject({ errors: ['entry 1: record 10: LogName System, expected Application'] });
    });

    it('reports only catalogue events, spelt as the catalogue spells them', () => {
      const reported = parsed(fixture('system-ps51.json'), 'System')
        .entries.map((e) => toCatalogEvent(e.event))
        .filter((e): e is FaultEvent => e !== null);
      expect(reported.map((e) => `${e.source} ${e.eventId}`)).toEqual([
        'atapi 0xc0040006',
        'disk 0xc0040007',
        'disk 0x80040033',
        'WHEA-Logger 0x80000013', // Id 19 without qualifiers → the catalogue's 0x80000013
        'Ntfs 0xc0040037',
        'disk 0xc004000b',
      ]);
      // A full id must match in full: other qualifiers on a known short id are not the same event.
      expect(matchCatalog({ log: 'System', source: 'atapi', eventId: '0x40040006' })).toBeUndefined();
      expect(matchCatalog({ log: 'Application', source: 'atapi', eventId: '0xc0040006' })).toBeUndefined();
      expect(matchCatalog({ log: 'System', source: 'ATAPI', eventId: '0xC0040006' })?.source).toBe('atapi');
    });

    it('reads the newest record id', () => {
      expect(parseNewest('{"RecordId":48220}\r\n')).toBe(48220);
      expect(parseNewest('')).toBe(0);
      expect(parseNewest('{"RecordId":"x"}')).toBeNull();
      expect(parseNewest('garbage')).toBeNull();
    });
  });

  describe('PowerShell command lines', () => {
    it('are an argument vector with a script free of double quotes', () => {
      const args = pollArgs('System', 48220, 200);
      expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
      expect(args).toHaveLength(4);
      const script = args[3]!;
      expect(script).toContain("Get-WinEvent -LogName 'System' -FilterXPath '*[System[EventRecordID > 48220]]' -MaxEvents 200 -Oldest");
      expect(script).toContain('Select-Object RecordId,Id,ProviderName,LogName,TimeCreated,Message,Qualifiers | ConvertTo-Json -Compress');
      expect(script).toContain('UTF8Encoding $false');
      expect(script).not.toContain('"');
      expect(newestArgs('Application')[3]).toContain("Get-WinEvent -LogName 'Application' -MaxEvents 1 | Select-Object RecordId");
      expect(() => pollArgs('Security' as WindowsLogName, 1, 1)).toThrow(RangeError);
      expect(() => pollArgs('System', -1, 1)).toThrow(RangeError);
      expect(() => pollArgs('System', 1.5, 1)).toThrow(RangeError);
    });

    it('run without a shell through execFile (shown with node, as PowerShell is missing here)', async () => {
      const node = execFileRunner(process.execPath);
      expect(await node(['-e', 'process.stdout.write("[]")'])).toMatchObject({ stdout: '[]', code: 0 });
      expect(await node(['-e', 'process.stderr.write("Access is denied"); process.exit(2)'])).toMatchObject({ code: 2, stderr: 'Access is denied' });
      expect(await node(['-e', 'console.log(process.argv[1])', '$(touch /tmp/x) ; echo "hi"'])).toMatchObject({ stdout: '$(touch /tmp/x) ; echo "hi"\n' });
      expect((await execFileRunner(path.join(os.tmpdir(), 'no-such-powershell'))([])).code).toBe(-1);
    });
  });

  describe('WindowsEventLogSource with a simulated event log', () => {
    let dir: string;
    let bookmarkFile: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'winlog-test-'));
      bookmarkFile = path.join(dir, 'windows-bookmarks.json');
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    const clock = (): ManualClock => new ManualClock(new Date('2024-06-20T05:30:00Z'));
    const bookmarks = async (): Promise<unknown> => JSON.parse(await fs.readFile(bookmarkFile, 'utf8'));

    function start(log: FakeEventLog, c: ManualClock, extra: Partial<ConstructorParameters<typeof WindowsEventLogSource>[0]> = {}) {
      const events: FaultEvent[] = [];
      const logs: string[] = [];
      const source = new WindowsEventLogSource({ bookmarkFile, run: log.run, timers: c, now: c.now, log: (l) => logs.push(l), intervalMs: 30_000, ...extra });
      source.start((e) => events.push(e));
      return { source, events, logs, tick: () => c.advance(30_000, () => source.whenIdle()) };
    }

    it('starts at the newest entry on the first run, then reports only new catalogue events', async () => {
      const log = FakeEventLog.fromFixture();
      const c = clock();
      const s = start(log, c);
      await s.source.whenIdle();
      expect(s.events).toEqual([]); // the history before the first start is not reported
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48220, Application: 9120 } });

      log.add('System', 48221, 'atapi', 9, 49156);
      log.add('System', 48222, 'Service Control Manager', 7036, 16384);
      log.add('Application', 9121, 'Application Error', 1000, 0);
      await s.tick();
      expect(s.events.map((e) => `${e.recordId} ${e.source} ${e.eventId}`)).toEqual(['48221 atapi 0xc0040009']);
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48222, Application: 9121 } });
      await s.source.stop();
      expect(s.logs).toEqual([]);
    });

    it('moves the bookmark past a fault only once its handler says it is durable', async () => {
      const log = FakeEventLog.fromFixture();
      const c = clock();
      let release!: () => void;
      const durable = new Promise<void>((r) => (release = r));
      const events: FaultEvent[] = [];
      const source = new WindowsEventLogSource({ bookmarkFile, run: log.run, timers: c, now: c.now, log: () => undefined, intervalMs: 30_000 });
      source.start((e) => {
        events.push(e);
        return durable;
      });
      await source.whenIdle();
      log.add('System', 48221, 'atapi', 9, 49156);
      log.add('System', 48222, 'Service Control Manager', 7036, 16384);
      const polled = c.advance(30_000, () => source.whenIdle());
      await vi.waitFor(() => expect(events).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 100));
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48220, Application: 9120 } });
      release();
      await polled;
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48222, Application: 9120 } });
      await source.stop();
    });

    it('across a restart reads nothing twice and skips nothing', async () => {
      const log = FakeEventLog.fromFixture();
      const c = clock();
      const first = start(log, c);
      await first.source.whenIdle();
      log.add('System', 48221, 'disk', 7, 49156);
      await first.tick();
      log.add('System', 48222, 'disk', 11, 49156); // written while the poll timer waits
      await first.source.stop();

      // While the service is down, more entries arrive in both logs.
      log.add('System', 48223, 'Ntfs', 55, 49156);
      log.add('System', 48224, 'Microsoft-Windows-WHEA-Logger', 18, null);
      const callsBefore = log.calls.length;
      const second = start(log, c);
      await second.source.whenIdle();
      log.add('System', 48225, 'atapi', 6, 49156);
      await second.tick();
      await second.source.stop();

      const all = [...first.events, ...second.events].map((e) => `${e.recordId} ${e.source} ${e.eventId}`);
      expect(all).toEqual(['48221 disk 0xc0040007', '48222 disk 0xc004000b', '48223 Ntfs 0xc0040037', '48224 WHEA-Logger 0xc0000012', '48225 atapi 0xc0040006']);
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48225, Application: 9120 } });
      // The restart asked for what came after the bookmark, not for the newest entry.
      expect(log.calls[callsBefore]![3]).toContain("-LogName 'System' -FilterXPath '*[System[EventRecordID > 48221]]'");
    });

    it('reads a backlog in batches of maxEvents within one poll', async () => {
      const log = FakeEventLog.fromFixture();
      const c = clock();
      const s = start(log, c, { maxEvents: 3, logs: ['System'] });
      await s.source.whenIdle();
      for (let i = 1; i <= 7; i++) log.add('System', 48220 + i, 'disk', 7, 49156);
      const before = log.calls.length;
      await s.tick();
      expect(s.events.map((e) => e.recordId)).toEqual(['48221', '48222', '48223', '48224', '48225', '48226', '48227']);
      expect(log.calls.length - before).toBe(3); // 3 + 3 + 1
      await s.source.stop();
    });

    it('notices a cleared log and reads it from the start', async () => {
      const log = FakeEventLog.fromFixture();
      await fs.writeFile(bookmarkFile, JSON.stringify({ version: 1, logs: { System: 48220 } }));
      log.logs.System = [];
      log.add('System', 1, 'Microsoft-Windows-Eventlog', 104, 0);
      log.add('System', 2, 'disk', 7, 49156);
      const c = clock();
      const s = start(log, c, { logs: ['System'] });
      await s.source.whenIdle();
      expect(s.logs).toEqual(['windows event log: System was cleared (newest record 2 < bookmark 48220); reading it from the start']);
      await s.tick();
      expect(s.events.map((e) => `${e.recordId} ${e.eventId}`)).toEqual(['2 0xc0040007']);
      await s.source.stop();
    });

    it('says once when PowerShell fails, keeps the bookmark, and goes on when it works again', async () => {
      const log = FakeEventLog.fromFixture();
      const c = clock();
      const s = start(log, c, { logs: ['System'] });
      await s.source.whenIdle();
      log.fail = { stdout: '', code: 2, stderr: 'Access is denied\r\n' };
      log.add('System', 48221, 'atapi', 6, 49156);
      await s.tick();
      await s.tick();
      await s.tick();
      expect(s.logs).toEqual(['windows event log: reading System failed (code 2): Access is denied']);
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48220 } });
      log.fail = null;
      await s.tick();
      expect(s.events.map((e) => e.recordId)).toEqual(['48221']);
      await s.source.stop();
    });

    it('ignores a bookmark file that is not its own and starts from now', async () => {
      await fs.writeFile(bookmarkFile, '{"logs": ');
      const log = FakeEventLog.fromFixture();
      const c = clock();
      const s = start(log, c, { logs: ['System'] });
      await s.source.whenIdle();
      expect(s.logs).toEqual([`windows event log: the bookmark file ${bookmarkFile} is not valid; starting from now`]);
      expect(await bookmarks()).toEqual({ version: 1, logs: { System: 48220 } });
      await s.source.stop();
    });

    it('stop() resolves within a second even while PowerShell hangs, and stops polling', async () => {
      const log = FakeEventLog.fromFixture();
      const c = clock();
      const s = start(log, c, { logs: ['System'] });
      await s.source.whenIdle();
      log.hang = true;
      void c.advance(30_000);
      await new Promise((r) => setTimeout(r, 20));
      expect(log.hanging).toBe(1);
      const t0 = Date.now();
      await s.source.stop();
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(log.aborted).toBe(1); // the runner was told to give up
      expect(c.pending).toBe(0);
    });
  });
});

interface WinRecord {
  RecordId: number;
  Id: number;
  ProviderName: string;
  LogName: WindowsLogName;
  TimeCreated: string;
  Message: string | null;
  Qualifiers: number | null;
}

/**
 * A simulated event log answering the two Get-WinEvent calls the source makes, in the JSON
 * form Windows PowerShell 5.1 prints (nothing / one object / an array).
 */
class FakeEventLog {
  logs: Record<WindowsLogName, WinRecord[]> = { System: [], Application: [] };
  calls: string[][] = [];
  fail: RunResult | null = null;
  hang = false;
  hanging = 0;
  aborted = 0;

  static fromFixture(): FakeEventLog {
    const f = new FakeEventLog();
    f.logs.System = JSON.parse(readFileSync(path.join(FIXTURES, 'system-ps51.json'), 'utf8')) as WinRecord[];
    f.logs.Application = [JSON.parse(readFileSync(path.join(FIXTURES, 'application-single-ps51.json'), 'utf8')) as WinRecord];
    return f;
  }

  add(log: WindowsLogName, recordId: number, provider: string, id: number, qualifiers: number | null): void {
    const ms = Date.UTC(2024, 5, 20, 6) + recordId;
    this.logs[log].push({ RecordId: recordId, Id: id, ProviderName: provider, LogName: log, TimeCreated: `/Date(${ms})/`, Message: `${provider} ${id}`, Qualifiers: qualifiers });
  }

  readonly run: CommandRunner = async (args, signal) => {
    this.calls.push(args);
    if (this.hang) {
      this.hanging += 1;
      signal?.addEventListener('abort', () => (this.aborted += 1));
      return new Promise<RunResult>(() => undefined); // never answers, like a stuck PowerShell
    }
    if (this.fail) return this.fail;
    const script = args[3] ?? '';
    const log = /-LogName '(\w+)'/.exec(script)?.[1] as WindowsLogName;
    const records = [...this.logs[log]].sort((a, b) => a.RecordId - b.RecordId);
    const after = /EventRecordID > (\d+)/.exec(script);
    if (after) {
      const max = Number(/-MaxEvents (\d+)/.exec(script)?.[1]);
      return { stdout: psJson(records.filter((r) => r.RecordId > Number(after[1])).slice(0, max)), code: 0 };
    }
    const newest = records.at(-1);
    return { stdout: newest ? psJson([{ RecordId: newest.RecordId }]) : '', code: 0 };
  };
}

function psJson(items: object[]): string {
  if (items.length === 0) return '';
  const text = JSON.stringify(items.length === 1 ? items[0] : items);
  return text.replace(/"\/Date\((\d+)\)\/"/g, '"\\/Date($1)\\/"') + '\r\n';
}
