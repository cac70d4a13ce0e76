import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-file';
import { toCatalogEvent } from './catalog-match';
import { cleanMessage, realTimers, windowsEventId, type EventSource, type FaultEvent, type FaultHandler, type Timers } from './fault-event';

/*
 * The Windows event log (System and Application) as an event source. Windows PowerShell's
 * Get-WinEvent reads it; its JSON output is parsed here. Nothing of this runs on Linux: the
 * tests feed output recorded from Windows through the injected runner.
 */

export type WindowsLogName = 'System' | 'Application';
export const WINDOWS_LOGS: readonly WindowsLogName[] = ['System', 'Application'];

/** One event read from the log, whether or not the service reports it. */
export interface WindowsLogEntry {
  recordId: number;
  event: FaultEvent;
}

export interface WinEventParse {
  entries: WindowsLogEntry[];
  /** the highest RecordId seen, bad entries included (so a bad entry is not read again) */
  highestRecordId: number | null;
  /** one line per entry that could not be read */
  errors: string[];
}

/**
 * Parses what `Get-WinEvent … | Select-Object RecordId,Id,ProviderName,LogName,TimeCreated,
 * Message,Qualifiers | ConvertTo-Json -Compress` prints: nothing (no events), one object or an
 * array. TimeCreated is `/Date(ms)/` (Windows PowerShell 5.1), an ISO string (PowerShell 7) or
 * an object with such a `value`; the full id is (Qualifiers << 16) | Id. Never throws.
 */
export function parseWinEventJson(stdout: string, expectedLog?: WindowsLogName): WinEventParse | { error: string } {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return { entries: [], highestRecordId: null, errors: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: 'Get-WinEvent output is not JSON' };
  }
  const items = Array.isArray(data) ? data : [data];
  const out: WinEventParse = { entries: [], highestRecordId: null, errors: [] };
  items.forEach((item, i) => {
    const rid = isRecord(item) ? item.RecordId : undefined;
    if (typeof rid === 'number' && Number.isSafeInteger(rid) && rid >= 0) out.highestRecordId = Math.max(out.highestRecordId ?? 0, rid);
    const r = parseWinEvent(item, expectedLog);
    if ('error' in r) out.errors.push(`entry ${i + 1}: ${r.error}`);
    else out.entries.push(r);
  });
  out.entries.sort((a, b) => a.recordId - b.recordId);
  return out;
}

function parseWinEvent(item: unknown, expectedLog?: WindowsLogName): WindowsLogEntry | { error: string } {
  if (!isRecord(item)) return { error: 'not an object' };
  const { RecordId, Id, ProviderName, LogName, TimeCreated, Message, Qualifiers } = item;
  if (typeof RecordId !== 'number' || !Number.isSafeInteger(RecordId) || RecordId < 0) return { error: 'RecordId is not a record number' };
  if (typeof Id !== 'number' || !Number.isInteger(Id) || Id < 0 || Id > 0xffff) return { error: `record ${RecordId}: Id is not a 16-bit number` };
  if (typeof ProviderName !== 'string' || ProviderName.trim() === '') return { error: `record ${RecordId}: no ProviderName` };
  const log = LogName ?? expectedLog;
  if (log !== 'System' && log !== 'Application') return { error: `record ${RecordId}: LogName ${JSON.stringify(LogName)} is not System or Application` };
  if (expectedLog && log !== expectedLog) return { error: `record ${RecordId}: LogName ${log}, expected ${expectedLog}` };
  if (Qualifiers != null && (typeof Qualifiers !== 'number' || !Number.isInteger(Qualifiers) || Qualifiers < 0 || Qualifiers > 0xffff)) {
    return { error: `record ${RecordId}: Qualifiers is not a 16-bit number` };
  }
  if (Message != null && typeof Message !== 'string') return { error: `record ${RecordId}: Message is not text` };
  const time = parseTimeCreated(TimeCreated);
  if (!time) return { error: `record ${RecordId}: TimeCreated is not a date` };
  return {
    recordId: RecordId,
    event: {
      log,
      source: ProviderName,
      eventId: windowsEventId(Id, Qualifiers as number | null | undefined),
      time: time.toISOString(),
      // No text when the provider's message file is missing on this machine.
      message: cleanMessage(typeof Message === 'string' ? Message : ''),
      recordId: String(RecordId),
    },
  };
}

/** `/Date(1700000000000)/` (an offset such as `+0900` may follow the milliseconds), ISO 8601, or `{ value }`. */
export function parseTimeCreated(value: unknown): Date | null {
  if (isRecord(value)) return parseTimeCreated(value.value);
  if (typeof value !== 'string') return null;
  const m = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/.exec(value.trim());
  const d = m ? new Date(Number(m[1])) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

const SELECT = 'Select-Object RecordId,Id,ProviderName,LogName,TimeCreated,Message,Qualifiers';

/**
 * The PowerShell script around a Get-WinEvent call: UTF-8 output without a BOM (the console
 * code page would mangle Japanese messages), "no events" as empty output, any other error on
 * stderr with exit code 2. It contains no double quotes, so the argument survives Windows
 * command-line quoting unchanged.
 */
function script(getWinEvent: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
    `try { ${getWinEvent} } catch {`,
    "  if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { exit 0 }",
    '  [Console]::Error.WriteLine($_.Exception.Message); exit 2',
    '}',
  ].join('\n');
}

const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-Command'];

/** Arguments that read at most `maxEvents` entries of `log` after record `afterRecordId`, oldest first. */
export function pollArgs(log: WindowsLogName, afterRecordId: number, maxEvents: number): string[] {
  checkLog(log);
  if (!Number.isSafeInteger(afterRecordId) || afterRecordId < 0) throw new RangeError(`bad record id ${afterRecordId}`);
  if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new RangeError(`bad maxEvents ${maxEvents}`);
  const get = `Get-WinEvent -LogName '${log}' -FilterXPath '*[System[EventRecordID > ${afterRecordId}]]' -MaxEvents ${maxEvents} -Oldest | ${SELECT} | ConvertTo-Json -Compress`;
  return [...POWERSHELL_ARGS, script(get)];
}

/** Arguments that print the newest entry's RecordId of `log` (nothing for an empty log). */
export function newestArgs(log: WindowsLogName): string[] {
  checkLog(log);
  return [...POWERSHELL_ARGS, script(`Get-WinEvent -LogName '${log}' -MaxEvents 1 | Select-Object RecordId | ConvertTo-Json -Compress`)];
}

/** The RecordId in `newestArgs` output: 0 for an empty log, null for output that is not one. */
export function parseNewest(stdout: string): number | null {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return 0;
  try {
    const data = JSON.parse(text) as unknown;
    const item = Array.isArray(data) ? data[0] : data;
    const rid = isRecord(item) ? item.RecordId : undefined;
    return typeof rid === 'number' && Number.isSafeInteger(rid) && rid >= 0 ? rid : null;
  } catch {
    return null;
  }
}

function checkLog(log: string): void {
  if (!WINDOWS_LOGS.includes(log as WindowsLogName)) throw new RangeError(`unknown event log ${log}`);
}

export interface RunResult {
  stdout: string;
  code: number;
  stderr?: string;
}
export type CommandRunner = (args: string[], signal?: AbortSignal) => Promise<RunResult>;

/** Runs `binary` with an argument vector, no shell; never rejects (a failure is a non-zero code). */
export function execFileRunner(binary = 'powershell.exe', timeoutMs = 120_000): CommandRunner {
  return (args, signal) =>
    new Promise((resolve) => {
      execFile(binary, args, { windowsHide: true, shell: false, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs, signal }, (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, code: 0 });
        const code = typeof err.code === 'number' ? err.code : -1;
        resolve({ stdout: stdout ?? '', stderr: stderr || err.message, code: code === 0 ? -1 : code });
      });
    });
}

/** The bookmark file: the highest RecordId already read, per log. */
export interface WindowsBookmarks {
  version: 1;
  logs: Partial<Record<WindowsLogName, number>>;
}

export interface WindowsEventLogSourceOptions {
  /** where the bookmarks are kept; null = start at "now" each time */
  bookmarkFile: string | null;
  /** runs PowerShell (default: powershell.exe through execFile, no shell) */
  run?: CommandRunner;
  timers?: Timers;
  now?: () => Date;
  log?: (line: string) => void;
  /** the logs to read (default System and Application) */
  logs?: readonly WindowsLogName[];
  /** time between polls (default 30 s) */
  intervalMs?: number;
  /** entries read per Get-WinEvent call (default 200); a full batch is followed at once by the next */
  maxEvents?: number;
  /** how often an empty poll checks whether the log was cleared (default 10 min) */
  clearCheckMs?: number;
}

/** batches read back to back in one poll before waiting for the next */
const MAX_BATCHES_PER_POLL = 50;

/**
 * Polls the Windows event log by record number and delivers the entries whose source and id
 * are in the event catalogue. The highest RecordId read per log is kept in the bookmark file
 * (written atomically after the entries were delivered), so a restart reads nothing twice
 * and skips nothing; the first run starts at the newest entry.
 */
export class WindowsEventLogSource implements EventSource {
  readonly name = 'windows-event-log';
  private readonly run: CommandRunner;
  private readonly timers: Timers;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly logs: readonly WindowsLogName[];
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly clearCheckMs: number;

  private onEvent: FaultHandler | null = null;
  private stopped = true;
  private timer: unknown = null;
  private abort: AbortController | null = null;
  private busy: Promise<void> | null = null;
  private marks: Partial<Record<WindowsLogName, number>> = {};
  private lastClearCheck: Partial<Record<WindowsLogName, number>> = {};
  private lastLogged = new Map<string, string>();

  constructor(private readonly options: WindowsEventLogSourceOptions) {
    this.run = options.run ?? execFileRunner();
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
    this.logs = options.logs ?? WINDOWS_LOGS;
    this.intervalMs = options.intervalMs ?? 30_000;
    this.maxEvents = options.maxEvents ?? 200;
    this.clearCheckMs = options.clearCheckMs ?? 10 * 60_000;
    for (const l of this.logs) checkLog(l);
  }

  /** The highest RecordId read per log. */
  get bookmarks(): Partial<Record<WindowsLogName, number>> {
    return { ...this.marks };
  }

  start(onEvent: FaultHandler): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.onEvent = onEvent;
    this.abort = new AbortController();
    this.busy = this.first();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimer(this.timer);
    this.timer = null;
    this.abort?.abort();
    await withDeadline(this.busy ?? Promise.resolve(), 900);
  }

  /** Resolves when no poll is running (for tests driving the timers). */
  async whenIdle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  private async first(): Promise<void> {
    try {
      if (this.options.bookmarkFile) this.marks = await readBookmarks(this.options.bookmarkFile, this.logs, this.log);
      for (const l of this.logs) {
        if (this.stopped) return;
        if (this.marks[l] === undefined) {
          // First run for this log: start at its newest entry, not its history.
          const newest = await this.newest(l);
          if (newest === null) continue; // said in the log; tried again at the next poll
          this.marks[l] = newest;
          this.lastClearCheck[l] = this.now().getTime();
          await this.saveBookmarks();
        }
      }
      await this.pollLogs();
    } finally {
      this.busy = null;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimer(() => {
      this.timer = null;
      this.busy = this.pollLogs().finally(() => {
        this.busy = null;
        this.schedule();
      });
    }, this.intervalMs);
  }

  private async pollLogs(): Promise<void> {
    for (const l of this.logs) {
      if (this.stopped) return;
      try {
        await this.pollLog(l);
      } catch (err) {
        this.logOnce(l, `windows event log: ${l}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private async pollLog(log: WindowsLogName): Promise<void> {
    if (this.marks[log] === undefined) {
      const newest = await this.newest(log);
      if (newest === null) return;
      this.marks[log] = newest;
      await this.saveBookmarks();
      return;
    }
    for (let batch = 0; batch < MAX_BATCHES_PER_POLL && !this.stopped; batch++) {
      const after = this.marks[log] ?? 0;
      const res = await this.run(pollArgs(log, after, this.maxEvents), this.abort?.signal);
      if (this.stopped) return;
      if (res.code !== 0) {
        this.logOnce(log, `windows event log: reading ${log} failed (code ${res.code}): ${firstLine(res.stderr ?? '') || 'no message'}`);
        return;
      }
      const parsed = parseWinEventJson(res.stdout, log);
      if ('error' in parsed) {
        this.logOnce(log, `windows event log: ${log}: ${parsed.error}`);
        return;
      }
      this.lastLogged.delete(log);
      for (const e of parsed.errors.slice(0, 5)) this.log(`windows event log: ${log}: skipped ${e}`);
      const handling: Promise<unknown>[] = [];
      const failed = (err: unknown) => this.log(`windows event log: the event handler failed: ${err instanceof Error ? err.message : String(err)}`);
      for (const { event } of parsed.entries) {
        const reported = toCatalogEvent(event);
        if (reported && this.onEvent) {
          try {
            const result = this.onEvent(reported);
            if (result instanceof Promise) handling.push(result.catch(failed));
          } catch (err) {
            failed(err);
          }
        }
      }
      // The bookmark moves past these faults only once the service holds them durably.
      await Promise.all(handling);
      const highest = parsed.highestRecordId;
      if (highest === null || highest <= after) {
        await this.checkCleared(log);
        return;
      }
      this.marks[log] = highest;
      await this.saveBookmarks();
      if (parsed.entries.length + parsed.errors.length < this.maxEvents) return;
    }
  }

  /**
   * A cleared log starts its record numbers again from 1, below the bookmark: every entry
   * after the bookmark would never come. Checked on empty polls now and then.
   */
  private async checkCleared(log: WindowsLogName): Promise<void> {
    const t = this.now().getTime();
    if (t - (this.lastClearCheck[log] ?? Number.NEGATIVE_INFINITY) < this.clearCheckMs) return;
    this.lastClearCheck[log] = t;
    const newest = await this.newest(log);
    const mark = this.marks[log] ?? 0;
    if (newest === null || newest >= mark) return;
    this.log(`windows event log: ${log} was cleared (newest record ${newest} < bookmark ${mark}); reading it from the start`);
    this.marks[log] = 0;
    await this.saveBookmarks();
  }

  private async newest(log: WindowsLogName): Promise<number | null> {
    const res = await this.run(newestArgs(log), this.abort?.signal);
    const n = res.code === 0 ? parseNewest(res.stdout) : null;
    if (n === null && !this.stopped) {
      this.logOnce(log, `windows event log: cannot read ${log} (code ${res.code}): ${firstLine(res.stderr ?? '') || 'unexpected output'}`);
    }
    return n;
  }

  private async saveBookmarks(): Promise<void> {
    const file = this.options.bookmarkFile;
    if (!file) return;
    const data: WindowsBookmarks = { version: 1, logs: { ...this.marks } };
    try {
      await writeFileAtomic(file, JSON.stringify(data) + '\n', 0o600);
    } catch (err) {
      this.logOnce('bookmark', `windows event log: cannot save the bookmarks to ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private logOnce(key: string, line: string): void {
    if (this.lastLogged.get(key) === line) return;
    this.lastLogged.set(key, line);
    this.log(line);
  }
}

async function readBookmarks(file: string, logs: readonly WindowsLogName[], log: (line: string) => void): Promise<Partial<Record<WindowsLogName, number>>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`windows event log: cannot read the bookmarks ${file}: ${String(err)}; starting from now`);
    return {};
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (isRecord(data) && data.version === 1 && isRecord(data.logs)) {
      const out: Partial<Record<WindowsLogName, number>> = {};
      for (const l of logs) {
        const v = data.logs[l];
        if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) out[l] = v;
      }
      return out;
    }
  } catch {
    // fall through
  }
  log(`windows event log: the bookmark file ${file} is not valid; starting from now`);
  return {};
}

function withDeadline(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(t);
      resolve();
    };
    p.then(done, done);
  });
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
