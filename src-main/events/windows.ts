import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../lib/atomic-file';
import { runFile, type RunResult } from '../lib/child-process';
import { withDeadline } from '../lib/deadline';
import { errorText } from '../lib/error-text';
import { firstLine } from '../lib/lines';
import { toCatalogEvent } from './catalog-match';
import { realTimers, type Timers } from './fault-event';
import { EventSourceBase } from './source-base';
import { checkLog, isRecord, newestArgs, parseNewest, parseWinEventJson, pollArgs, WINDOWS_LOGS, type WindowsLogName } from './windows-parse';

/*
 * The Windows event log (System and Application) as an event source: PowerShell is run every
 * poll and its output read by windows-parse.ts.
 */

export type CommandRunner = (args: string[], signal?: AbortSignal) => Promise<RunResult>;

/** Runs `binary` with an argument vector, no shell; never rejects (a failure is a non-zero code). */
export function execFileRunner(binary = 'powershell.exe', timeoutMs = 120_000): CommandRunner {
  return (args, signal) => runFile(binary, args, { timeoutMs, maxBufferBytes: 64 * 1024 * 1024, signal });
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
export class WindowsEventLogSource extends EventSourceBase {
  readonly name = 'windows-event-log';
  private readonly run: CommandRunner;
  private readonly timers: Timers;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly logs: readonly WindowsLogName[];
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly clearCheckMs: number;

  private timer: unknown = null;
  private abort: AbortController | null = null;
  private busy: Promise<void> | null = null;
  private marks: Partial<Record<WindowsLogName, number>> = {};
  private lastClearCheck: Partial<Record<WindowsLogName, number>> = {};
  private lastLogged = new Map<string, string>();

  constructor(private readonly options: WindowsEventLogSourceOptions) {
    super();
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

  protected started(): void {
    this.abort = new AbortController();
    this.busy = this.first();
  }

  protected async stopping(): Promise<void> {
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
        this.logOnce(l, `windows event log: ${l}: ${errorText(err)}`);
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
      const failed = (err: unknown) => this.log(`windows event log: the event handler failed: ${errorText(err)}`);
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
      this.logOnce('bookmark', `windows event log: cannot save the bookmarks to ${file}: ${errorText(err)}`);
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
