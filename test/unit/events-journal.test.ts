import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCatalogEvent } from '../../src-shared/event-catalog';
import { matchCatalog } from '../../src-main/events/catalog-match';
import { cleanMessage, MAX_MESSAGE_CHARS, normalizeEventId, windowsEventId, type FaultEvent } from '../../src-main/events/fault-event';
import { JournalSource } from '../../src-main/events/journal';
import { JOURNAL_RULES, parseJournalLine, parseJournalRecord } from '../../src-main/events/journal-parse';
import { LineSplitter } from '../../src-main/lib/lines';
import { ManualClock } from '../../src-main/queue/manual-clock';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'journal');
const FAKE = path.join(FIXTURES, 'fake-journalctl.mjs');
const hardwareLines = readFileSync(path.join(FIXTURES, 'hardware.jsonl'), 'utf8').split('\n').filter(Boolean);
const malformedLines = readFileSync(path.join(FIXTURES, 'malformed.jsonl'), 'utf8').split('\n').filter(Boolean);
const cursorOf = (line: string): string => (JSON.parse(line) as { __CURSOR: string }).__CURSOR;

/** What each line of hardware.jsonl must give: `source eventId`, or null for no event. */
const EXPECTED: (string | null)[] = [
  null, // Linux version …
  'kernel-mce 0xc0040101', // CPU 3: Machine Check
  null, // TSC … ADDR … (rest of the dump)
  'kernel-mce 0x80040102', // Machine check events logged
  'EDAC 0x80040112', // 1 CE
  'EDAC 0xc0040111', // 1 UE
  null, // EDAC driver notice
  'ata 0xc0040121', // failed command
  'ata 0x80040122', // SError
  null, // exception Emask
  'kernel-block 0xc0040131', // blk_update_request: I/O error
  'kernel-block 0xc0040131', // I/O error, dev sdc (newer kernels)
  null, // I/O error on sr0 (optical drive)
  'kernel-block 0xc0040132', // Buffer I/O error
  'smartd 0xc0040141', // FAILED SMART self-check
  'smartd 0xc0040142', // Failed SMART usage Attribute
  'smartd 0x80040143', // pending sectors
  'smartd 0x80040144', // offline uncorrectable
  'smartd 0x80040145', // Reallocated_Sector_Ct 100 → 99
  null, // Raw_Read_Error_Rate change
  null, // usage attribute change
  null, // logger -t kernel forgery
  null, // logger -t smartd forgery
  'kernel-block 0xc0040132', // MESSAGE as a byte array
  null, // systemd
];
const EXPECTED_EVENTS = EXPECTED.filter((e): e is string => e !== null);

describe('event ids and messages', () => {
  it('normalises hex, unsigned and signed decimal ids; refuses the rest', () => {
    expect(normalizeEventId('0xC0040006')).toBe('0xc0040006');
    expect(normalizeEventId('3221487622')).toBe('0xc0040006');
    expect(normalizeEventId(3221487622)).toBe('0xc0040006');
    expect(normalizeEventId('-1073479674')).toBe('0xc0040006');
    expect(normalizeEventId(' 0x6 ')).toBe('0x00000006');
    expect(normalizeEventId('C0040006')).toBeNull();
    expect(normalizeEventId('0x1c0040006')).toBeNull();
    expect(normalizeEventId('4294967296')).toBeNull();
    expect(normalizeEventId(1.5)).toBeNull();
    expect(normalizeEventId('')).toBeNull();
  });
  it('builds the full id from Qualifiers and Id', () => {
    expect(windowsEventId(6, 49156)).toBe('0xc0040006');
    expect(windowsEventId(18, null)).toBe('0x00000012');
  });
  it('clips messages to 8192 characters and drops control characters', () => {
    expect(cleanMessage('a'.repeat(10_000))).toHaveLength(MAX_MESSAGE_CHARS);
    expect(cleanMessage('x'.repeat(MAX_MESSAGE_CHARS - 1) + '😀')).toHaveLength(MAX_MESSAGE_CHARS - 1);
    expect(cleanMessage('a\u0000b\u001b[31mc\r\nd\te')).toBe('ab[31mc\nd\te');
  });
});

describe('journal line parser', () => {
  it('maps each fixture line as the table says', () => {
    expect(hardwareLines).toHaveLength(EXPECTED.length);
    hardwareLines.forEach((line, i) => {
      const r = parseJournalLine(line);
      expect(r !== null && 'error' in r, `line ${i + 1}: ${JSON.stringify(r)}`).toBe(false);
      const got = r === null ? null : `${(r as FaultEvent).source} ${(r as FaultEvent).eventId}`;
      expect(got, `line ${i + 1}`).toBe(EXPECTED[i]);
    });
  });

  it('fills every field of an event', () => {
    const e = parseJournalLine(hardwareLines[1]!) as FaultEvent;
    expect(e).toEqual({
      log: 'System',
      source: 'kernel-mce',
      eventId: '0xc0040101',
      time: new Date(Math.floor((1718860800000000 + 1370123) / 1000)).toISOString(),
      message: 'mce: [Hardware Error]: CPU 3: Machine Check: 0 Bank 5: be00000000800400',
      recordId: cursorOf(hardwareLines[1]!),
    });
  });

  it('decodes a MESSAGE given as a byte array (invalid UTF-8 becomes U+FFFD)', () => {
    const e = parseJournalLine(hardwareLines[23]!) as FaultEvent;
    expect(e.message).toMatch(/^Buffer I\/O error on dev sde1, logical block 7, lost async page write \(model \uFFFD\uFFFDWDC\)$/);
  });

  it('uses the first value of a field that occurs more than once', () => {
    const line = JSON.stringify({ ...JSON.parse(hardwareLines[7]!), MESSAGE: ['ata4.00: failed command: FLUSH CACHE EXT', 'second'] });
    expect((parseJournalLine(line) as FaultEvent).message).toBe('ata4.00: failed command: FLUSH CACHE EXT');
  });

  it('returns an error for lines that are not journal entries, and never throws', () => {
    const errors = malformedLines.slice(0, -1).map((l) => parseJournalLine(l));
    for (const [i, r] of errors.entries()) expect(r !== null && 'error' in r, `line ${i + 1}: ${JSON.stringify(r)}`).toBe(true);
    expect(errors.map((r) => (r as { error: string }).error)).toEqual([
      'not JSON',
      'not JSON',
      'not a JSON object',
      'not a JSON object',
      'MESSAGE: expected a string or byte array, got number',
      'MESSAGE: byte array with a value outside 0–255',
      'MESSAGE: expected a string or byte array, got object',
      '__REALTIME_TIMESTAMP: not a number of microseconds',
      '__REALTIME_TIMESTAMP missing',
      '_TRANSPORT: expected a string or byte array, got number',
    ]);
    expect(parseJournalLine(malformedLines.at(-1)!)).toMatchObject({ source: 'ata', eventId: '0xc0040121' });
    for (const junk of ['', '{', '"text"', '{"MESSAGE":null}', '{"MESSAGE":[]}', '{"MESSAGE":[[1,2]]}', '{"MESSAGE":[true]}']) {
      expect(() => parseJournalLine(junk)).not.toThrow();
    }
  });

  it('keeps the cursor of entries that are not faults', () => {
    expect(parseJournalRecord(hardwareLines[0]!)).toEqual({ cursor: cursorOf(hardwareLines[0]!), event: null });
  });

  it('reports a reallocation counter only when it got worse', () => {
    const smart = (msg: string): string => JSON.stringify({ ...JSON.parse(hardwareLines[18]!), MESSAGE: msg });
    const id = (msg: string): string | null => (parseJournalLine(smart(msg)) as FaultEvent | null)?.eventId ?? null;
    expect(id('Device: /dev/sda [SAT], SMART Prefailure Attribute: 5 Reallocated_Sector_Ct changed from 100 to 99')).toBe('0x80040145');
    expect(id('Device: /dev/sda [SAT], SMART Prefailure Attribute: 5 Reallocated_Sector_Ct changed from 99 to 100')).toBeNull();
    expect(id('Device: /dev/sda [SAT], SMART Prefailure Attribute: 196 Reallocated_Event_Count changed from 100 [Raw 0] to 100 [Raw 3]')).toBe('0x80040145');
    expect(id('Device: /dev/sda [SAT], 0 Currently unreadable (pending) sectors')).toBeNull();
  });

  it('maps the other kernel forms in the table, and not the devices that are not disks', () => {
    const kernel = (msg: string): string => JSON.stringify({ ...JSON.parse(hardwareLines[1]!), MESSAGE: msg });
    const id = (msg: string): string | null => (parseJournalLine(kernel(msg)) as FaultEvent | null)?.eventId ?? null;
    expect(id('{1}[Hardware Error]: event severity: corrected')).toBe('0x80040102');
    expect(id('{2}[Hardware Error]: event severity: fatal')).toBe('0xc0040101');
    expect(id('{3}[Hardware Error]: event severity: info')).toBeNull();
    expect(id('mce: [Hardware Error]: Machine check: Processor context corrupt')).toBe('0xc0040101');
    expect(id('critical medium error, dev sda, sector 1234 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0')).toBe('0xc0040131');
    expect(id('print_req_error: I/O error, dev nvme0n1, sector 88')).toBe('0xc0040131');
    expect(id('I/O error, dev loop3, sector 0 op 0x0:(READ)')).toBeNull();
    expect(id('Buffer I/O error on device sr0, logical block 0')).toBeNull();
    expect(id('Buffer I/O error on device sdd1, logical block 0')).toBe('0xc0040132');
    expect(id('EDAC MC1: UE row 2, channel 0, label "DIMM_B1": i5000 UE')).toBe('0xc0040111');
  });

  it('maps to catalogue entries with the same severity', () => {
    for (const rule of JOURNAL_RULES) {
      const entry = findCatalogEvent('System', rule.source, rule.eventId);
      expect(entry, rule.name).toBeDefined();
      expect(entry?.severity, rule.name).toBe(rule.severity);
      expect(matchCatalog({ log: 'System', source: rule.source, eventId: rule.eventId })?.event.id).toBe(rule.eventId);
    }
  });

  it('is the table docs/event-sources.md shows', () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'event-sources.md'), 'utf8');
    for (const rule of JOURNAL_RULES) {
      expect(doc, rule.name).toContain(`\`${rule.name}\``);
      expect(doc, rule.name).toContain(rule.eventId);
    }
  });
});

describe('line splitter', () => {
  it('joins lines split across chunks, including inside a UTF-8 sequence', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), () => undefined);
    const bytes = Buffer.from('{"a":"日本"}\r\n{"b":2}\n\n{"c":', 'utf8');
    for (const b of bytes) s.push(Buffer.from([b]));
    s.push(Buffer.from('3}'));
    s.end();
    expect(lines).toEqual(['{"a":"日本"}', '{"b":2}', '{"c":3}']);
  });
  it('drops a line over the cap whole and says so once, then goes on', () => {
    const lines: string[] = [];
    const over: number[] = [];
    const s = new LineSplitter((l) => lines.push(l), (n) => over.push(n), 1024);
    s.push(Buffer.from('short\n' + 'x'.repeat(700)));
    s.push(Buffer.from('y'.repeat(700)));
    s.push(Buffer.from('z'.repeat(700) + '\nafter\n'));
    s.push(Buffer.from('w'.repeat(1024) + '\n'));
    expect(lines).toEqual(['short', 'after', 'w'.repeat(1024)]);
    expect(over).toEqual([2100]);
  });
});

// ---- the source, with a fake journalctl --------------------------------------------------

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'journal-test-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

interface Harness {
  source: JournalSource;
  events: FaultEvent[];
  logs: string[];
  argsLog: string;
  calls(): Promise<string[][]>;
}

function harness(env: Record<string, string>, extra: Partial<ConstructorParameters<typeof JournalSource>[0]> = {}): Harness {
  const argsLog = path.join(dir, `args-${Math.random().toString(36).slice(2)}.log`);
  const events: FaultEvent[] = [];
  const logs: string[] = [];
  const source = new JournalSource({
    cursorFile: path.join(dir, 'journal-cursor.json'),
    journalctl: FAKE,
    log: (l) => logs.push(l),
    cursorSaveDelayMs: 0,
    env: { ...process.env, FAKE_JOURNAL_ARGS_LOG: argsLog, ...env },
    ...extra,
  });
  return {
    source,
    events,
    logs,
    argsLog,
    calls: async () => {
      const text = await fs.readFile(argsLog, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]);
    },
  };
}

async function until(what: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const savedCursor = async (): Promise<string | null> => {
  try {
    return (JSON.parse(await fs.readFile(path.join(dir, 'journal-cursor.json'), 'utf8')) as { cursor: string | null }).cursor;
  } catch {
    return null;
  }
};

describe('JournalSource (fake journalctl)', () => {
  it('delivers the faults, saves the last cursor, and goes on after it on restart', async () => {
    const part = path.join(dir, 'part.jsonl');
    await fs.writeFile(part, hardwareLines.slice(0, 12).join('\n') + '\n');
    const first = harness({ FAKE_JOURNAL_FILE: part });
    first.source.start((e) => first.events.push(e));
    await until(async () => (await savedCursor()) === cursorOf(hardwareLines[11]!));
    expect(first.events.map((e) => `${e.source} ${e.eventId}`)).toEqual(EXPECTED.slice(0, 12).filter((e) => e !== null));
    await first.source.stop();
    const firstCalls = await first.calls();
    expect(firstCalls[0]).toEqual(['-n', '0', '--no-pager']);
    expect(firstCalls[1]).toEqual(['-f', '-o', 'json', '--no-pager', '--since', 'now', '_TRANSPORT=kernel', '+', 'SYSLOG_IDENTIFIER=smartd']);

    // While the service was down, the journal grew: the restart reads exactly the new entries.
    const full = path.join(dir, 'full.jsonl');
    await fs.writeFile(full, hardwareLines.join('\n') + '\n');
    const second = harness({ FAKE_JOURNAL_FILE: full });
    second.source.start((e) => second.events.push(e));
    await until(async () => (await savedCursor()) === cursorOf(hardwareLines.at(-1)!));
    await second.source.stop();
    expect(second.events.map((e) => `${e.source} ${e.eventId}`)).toEqual(EXPECTED.slice(12).filter((e) => e !== null));
    expect([...first.events, ...second.events]).toHaveLength(EXPECTED_EVENTS.length);
    const follow = (await second.calls())[1]!;
    expect(follow.slice(0, 7)).toEqual(['-f', '-o', 'json', '--no-pager', '--no-tail', '--after-cursor', cursorOf(hardwareLines[11]!)]);
    expect(first.logs).toEqual([]);
    expect(second.logs).toEqual([]);
  });

  it('saves the cursor past a fault only once its handler says it is safe (a crash before then reads it again)', async () => {
    const part = path.join(dir, 'part.jsonl');
    await fs.writeFile(part, hardwareLines.slice(0, 6).join('\n') + '\n');
    const h = harness({ FAKE_JOURNAL_FILE: part });
    let release!: () => void;
    const durable = new Promise<void>((r) => (release = r));
    h.source.start((e) => {
      h.events.push(e);
      // The fourth line's fault (EDAC 1 CE) is slow to become durable; the others are at once.
      return e.eventId === '0x80040112' ? durable : Promise.resolve();
    });
    await until(() => h.events.length === 4);
    await until(async () => (await savedCursor()) === cursorOf(hardwareLines[3]!));
    await new Promise((r) => setTimeout(r, 300));
    // Neither that entry nor the one after it is committed while the fault is not safe.
    expect(await savedCursor()).toBe(cursorOf(hardwareLines[3]!));
    release();
    await until(async () => (await savedCursor()) === cursorOf(hardwareLines[5]!));
    await h.source.stop();
  });

  it('skips a 2 MiB line and malformed lines with a log line each, and keeps going', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    await fs.writeFile(file, [...malformedLines, hardwareLines[5]!].join('\n') + '\n');
    const h = harness({ FAKE_JOURNAL_FILE: file, FAKE_JOURNAL_HUGE: '1' });
    h.source.start((e) => h.events.push(e));
    await until(() => h.events.length === 2);
    await h.source.stop();
    expect(h.events.map((e) => e.eventId)).toEqual(['0xc0040121', '0xc0040111']);
    expect(h.logs.filter((l) => l.includes('over 1048576 bytes'))).toHaveLength(1);
    expect(h.logs.filter((l) => l.includes('not a journal entry'))).toHaveLength(malformedLines.length - 1);
    expect(await savedCursor()).toBe(cursorOf(hardwareLines[5]!));
  });

  it('says once that there is no journal and stays idle, retrying only every 10 minutes', async () => {
    const clock = new ManualClock(new Date('2024-06-20T00:00:00Z'));
    const h = harness({ FAKE_JOURNAL_MODE: 'no-journal' }, { timers: clock, retryMs: 10 * 60_000 });
    h.source.start((e) => h.events.push(e));
    await until(() => h.logs.length === 1);
    expect(h.logs[0]).toMatch(/^journal: not watching the systemd journal: no journal files \(No journal files were found\.\); trying again in 10 min$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.calls()).toHaveLength(1); // the check only; no follower, no respawn loop
    expect(h.source.following).toBe(false);
    expect(clock.pending).toBe(1);
    expect(clock.nextTimerAt()?.toISOString()).toBe('2024-06-20T00:10:00.000Z');

    await clock.advance(10 * 60_000);
    await until(async () => (await h.calls()).length === 2);
    await until(() => clock.pending === 1);
    expect(h.logs).toHaveLength(1); // the same reason is not logged again
    await h.source.stop();
    expect(clock.pending).toBe(0);
  });

  it('says once that journalctl is missing and stays idle (no retry when retryMs is null)', async () => {
    const clock = new ManualClock(0);
    const logs: string[] = [];
    const source = new JournalSource({ cursorFile: null, journalctl: path.join(dir, 'no-such-journalctl'), log: (l) => logs.push(l), timers: clock, retryMs: null });
    source.start(() => undefined);
    await until(() => logs.length === 1);
    expect(logs[0]).toContain('no-such-journalctl not found');
    expect(clock.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(logs).toHaveLength(1);
    await source.stop();
  });

  it('says once that journalctl exited at once, and does not respawn it', async () => {
    const clock = new ManualClock(0);
    const h = harness({ FAKE_JOURNAL_MODE: 'exit-follow' }, { timers: clock });
    h.source.start(() => undefined);
    await until(() => h.logs.length === 1);
    expect(h.logs[0]).toContain('exited with code 1: Failed to get journal fd: Permission denied');
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.calls()).toHaveLength(2); // one check, one follower
    await h.source.stop();
  });

  it('drops a cursor journalctl refuses and follows from now', async () => {
    await fs.writeFile(path.join(dir, 'journal-cursor.json'), JSON.stringify({ version: 1, cursor: 's=unknown;i=1' }));
    const file = path.join(dir, 'one.jsonl');
    await fs.writeFile(file, hardwareLines[7]! + '\n');
    const h = harness({ FAKE_JOURNAL_FILE: file });
    h.source.start((e) => h.events.push(e));
    await until(() => h.events.length === 1);
    await h.source.stop();
    const calls = await h.calls();
    expect(calls[1]).toContain('--after-cursor');
    expect(calls[2]).toContain('--since');
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toContain('saved cursor was refused');
  });

  it('ignores a cursor file that is not its own', async () => {
    await fs.writeFile(path.join(dir, 'journal-cursor.json'), '{"cursor": 12');
    const file = path.join(dir, 'one.jsonl');
    await fs.writeFile(file, hardwareLines[7]! + '\n');
    const h = harness({ FAKE_JOURNAL_FILE: file });
    h.source.start((e) => h.events.push(e));
    await until(() => h.events.length === 1);
    await h.source.stop();
    expect((await h.calls())[1]).toContain('--since');
    expect(h.logs[0]).toContain('is not valid; following from now');
  });

  it('stop() kills journalctl within a second, even one that ignores SIGTERM', async () => {
    const pidFile = path.join(dir, 'pid');
    const file = path.join(dir, 'one.jsonl');
    await fs.writeFile(file, hardwareLines[7]! + '\n');
    const h = harness({ FAKE_JOURNAL_FILE: file, FAKE_JOURNAL_MODE: 'stubborn', FAKE_JOURNAL_PID_FILE: pidFile });
    h.source.start((e) => h.events.push(e));
    await until(() => h.events.length === 1 && existsSync(pidFile));
    const pid = Number(await fs.readFile(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(true);
    const t0 = Date.now();
    await h.source.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    await until(() => !isAlive(pid), 2000);
    expect(h.source.following).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The real journalctl of these containers has no journal files: the source must say so once.
const realJournal = spawnSync('journalctl', ['-n', '0', '--no-pager'], { encoding: 'utf8' });
const noRealJournal = realJournal.error === undefined && /No journal files were found/.test(realJournal.stderr ?? '');

describe.runIf(noRealJournal)('JournalSource (the real journalctl, no journal files here)', () => {
  it('logs one line and follows nothing', async () => {
    const logs: string[] = [];
    const clock = new ManualClock(0);
    const source = new JournalSource({ cursorFile: path.join(dir, 'c.json'), log: (l) => logs.push(l), timers: clock });
    source.start(() => undefined);
    await until(() => logs.length === 1);
    expect(logs[0]).toContain('no journal files');
    expect(source.following).toBe(false);
    await source.stop();
  });
});
