import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../lib/atomic-file';
import { collectText, killWithin, spawnFile, startFailure } from '../lib/child-process';
import { withDeadline } from '../lib/deadline';
import { errorText } from '../lib/error-text';
import { firstLine, LineSplitter, MAX_LINE_BYTES } from '../lib/lines';
import { realTimers, type Timers } from './fault-event';
import { parseJournalRecord } from './journal-parse';
import { EventSourceBase } from './source-base';

/*
 * The systemd journal as an event source (Linux): `journalctl -f -o json` runs as a child and
 * its lines are read as they come; journal-parse.ts turns them into faults.
 */

export interface JournalSourceOptions {
  /** where the last cursor is kept ({"version":1,"cursor":"…"}); null = start at "now" each time */
  cursorFile: string | null;
  /** the journalctl binary (default `journalctl` on PATH); tests give a fake one */
  journalctl?: string;
  /** one line per problem worth knowing (journal missing, bad lines, …) */
  log?: (line: string) => void;
  timers?: Timers;
  /** try again this long after journalctl is missing or stops; null or 0 = never (default 10 min) */
  retryMs?: number | null;
  /** the most the cursor file lags behind the last entry read (default 1 s; 0 = every entry) */
  cursorSaveDelayMs?: number;
  /** how long the start-up check may take before following anyway (default 10 s) */
  probeTimeoutMs?: number;
  /** environment for journalctl (default this process's) */
  env?: NodeJS.ProcessEnv;
}

/** Only these entries can match JOURNAL_RULES, so journalctl filters the rest out itself. */
export const JOURNAL_MATCHES = ['_TRANSPORT=kernel', '+', 'SYSLOG_IDENTIFIER=smartd'] as const;
const DEFAULT_RETRY_MS = 10 * 60_000;
/** diagnostics about bad lines per journalctl run, so a broken stream cannot flood the log */
const BAD_LINE_LOG_BUDGET = 20;

/**
 * Follows the systemd journal with `journalctl -f -o json` and delivers the entries that match
 * JOURNAL_RULES. Restarts after the saved cursor, so nothing is read twice or skipped across a
 * restart (up to `cursorSaveDelayMs` of entries may be read again after a crash). Where there
 * is no journal it says so once and stays idle.
 */
export class JournalSource extends EventSourceBase {
  readonly name = 'journal';
  private readonly binary: string;
  private readonly log: (line: string) => void;
  private readonly timers: Timers;
  private readonly retryMs: number;
  private readonly saveDelayMs: number;
  private readonly probeTimeoutMs: number;

  /** the handlers of the entries read so far, in order: the cursor moves past an entry when its handler settled */
  private handled: Promise<void> = Promise.resolve();
  private unsettled = 0;
  private child: ChildProcess | null = null;
  private probeChild: ChildProcess | null = null;
  private retryTimer: unknown = null;
  private lastLogged: string | null = null;
  private cursor: string | null = null;
  private savedCursor: string | null = null;
  private saveTimer: unknown = null;
  private saving: Promise<void> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: JournalSourceOptions) {
    super();
    this.binary = options.journalctl ?? 'journalctl';
    this.log = options.log ?? (() => undefined);
    this.timers = options.timers ?? realTimers;
    this.retryMs = options.retryMs === undefined ? DEFAULT_RETRY_MS : (options.retryMs ?? 0);
    this.saveDelayMs = options.cursorSaveDelayMs ?? 1000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
  }

  /** The newest cursor read (saved or about to be). */
  get lastCursor(): string | null {
    return this.cursor;
  }

  /** Whether journalctl is following the journal now. */
  get following(): boolean {
    return this.child !== null;
  }

  protected started(): void {
    this.running = this.begin();
  }

  protected async stopping(): Promise<void> {
    if (this.retryTimer !== null) this.timers.clearTimer(this.retryTimer);
    this.retryTimer = null;
    const deadline = Date.now() + 900;
    await Promise.all([this.child, this.probeChild].map((c) => (c ? killWithin(c, 800) : undefined)));
    this.child = null;
    await withDeadline(this.running ?? Promise.resolve(), deadline - Date.now());
    await withDeadline(this.handled, deadline - Date.now());
    if (this.saveTimer !== null) this.timers.clearTimer(this.saveTimer);
    this.saveTimer = null;
    await withDeadline(this.flushCursor(), deadline - Date.now());
  }

  private async begin(): Promise<void> {
    if (this.options.cursorFile) this.cursor = this.savedCursor = await readCursorFile(this.options.cursorFile, this.log);
    await this.attempt();
  }

  /** One try: check that there is a journal, then follow it. */
  private async attempt(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped) return;
    const probe = await this.probe();
    if (this.stopped) return;
    if (probe !== null) return this.idle(probe);
    this.follow();
  }

  /**
   * null when a journal can be read; else why not. `journalctl -f` with no journal files waits
   * silently, so `-n 0` asks first (in plain output: journalctl 252 prints "No journal files
   * were found" there, not with `-o json`).
   */
  private probe(): Promise<string | null> {
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawnFile(this.binary, ['-n', '0', '--no-pager'], { stdio: ['ignore', 'ignore', 'pipe'], env: this.options.env ?? process.env });
      } catch (err) {
        resolve(startFailure(this.binary, err));
        return;
      }
      this.probeChild = child;
      const stderrText = collectText(child.stderr);
      let done = false;
      const finish = (why: string | null): void => {
        if (done) return;
        done = true;
        if (this.probeChild === child) this.probeChild = null;
        this.timers.clearTimer(timer);
        resolve(why);
      };
      // A slow check (a very large journal) is no reason not to follow it.
      const timer = this.timers.setTimer(() => {
        child.kill('SIGKILL');
        finish(null);
      }, this.probeTimeoutMs);
      child.on('error', (err) => finish(startFailure(this.binary, err)));
      child.on('close', (code) => {
        const stderr = stderrText();
        if (/No journal files were (?:found|opened)/i.test(stderr)) finish(`no journal files (${firstLine(stderr)})`);
        else if (code !== 0) finish(`${this.binary} exited with code ${code}: ${firstLine(stderr) || 'no message'}`);
        else {
          // e.g. the hint that this user sees only its own messages: worth one line, not fatal.
          if (stderr.trim()) this.logOnce(`journal: ${firstLine(stderr)}`);
          finish(null);
        }
      });
    });
  }

  private follow(): void {
    const args = ['-f', '-o', 'json', '--no-pager'];
    const usedCursor = this.cursor;
    if (usedCursor) args.push('--no-tail', '--after-cursor', usedCursor);
    else args.push('--since', 'now');
    args.push(...JOURNAL_MATCHES);
    let child: ChildProcess;
    try {
      child = spawnFile(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.options.env ?? process.env });
    } catch (err) {
      return this.idle(startFailure(this.binary, err));
    }
    this.child = child;
    let badLines = 0;
    const diag = (line: string): void => {
      badLines += 1;
      if (badLines <= BAD_LINE_LOG_BUDGET) this.log(line);
      if (badLines === BAD_LINE_LOG_BUDGET) this.log('journal: further bad lines from journalctl are not logged');
    };
    const splitter = new LineSplitter(
      (line) => this.handleLine(line, diag),
      (bytes) => diag(`journal: skipped an entry of ${bytes} bytes (over ${MAX_LINE_BYTES} bytes)`),
    );
    const stderrText = collectText(child.stderr);
    let spawnError: Error | null = null;
    child.stdout?.on('data', (d: Buffer) => splitter.push(d));
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      splitter.end();
      if (this.child === child) this.child = null;
      if (this.stopped) return;
      if (spawnError) return this.idle(startFailure(this.binary, spawnError));
      const stderr = stderrText();
      if (usedCursor && /Failed to seek to cursor/i.test(stderr)) {
        // A cursor journalctl cannot use (corrupt file): start again from now, once.
        this.log(`journal: the saved cursor was refused (${firstLine(stderr)}); following from now`);
        this.cursor = null;
        this.requestSave();
        this.follow();
        return;
      }
      const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
      this.idle(`${this.binary} ${how}${stderr.trim() ? `: ${firstLine(stderr)}` : ''}`);
    });
  }

  private handleLine(line: string, diag: (line: string) => void): void {
    const r = parseJournalRecord(line);
    if ('error' in r) {
      diag(`journal: skipped a line that is not a journal entry (${r.error})`);
      return;
    }
    // The stream works: a later failure is news again.
    this.lastLogged = null;
    let handling: unknown = undefined;
    if (r.event && this.onEvent) {
      try {
        handling = this.onEvent(r.event);
      } catch (err) {
        this.log(`journal: the event handler failed: ${errorText(err)}`);
      }
    }
    if (r.cursor !== undefined) {
      const cursor = r.cursor;
      const advance = () => {
        this.cursor = cursor;
        this.requestSave();
      };
      const pending = handling instanceof Promise;
      if (!pending && this.unsettled === 0) advance();
      else {
        // Not past this entry until its fault (and every earlier one) is safe: a crash before then reads it again.
        this.unsettled++;
        const settled = (pending ? (handling as Promise<unknown>) : Promise.resolve()).catch((err: unknown) => this.log(`journal: the event handler failed: ${errorText(err)}`));
        this.handled = Promise.all([this.handled, settled]).then(() => {
          this.unsettled--;
          advance();
        });
      }
    }
  }

  /** Says why once, then waits for the slow retry (if any). */
  private idle(why: string): void {
    const retry = this.retryMs > 0 ? `; trying again in ${Math.round(this.retryMs / 60_000) || 1} min` : '';
    this.logOnce(`journal: not watching the systemd journal: ${why}${retry}`, why);
    if (this.stopped || this.retryMs <= 0) return;
    this.retryTimer = this.timers.setTimer(() => {
      this.running = this.attempt();
    }, this.retryMs);
  }

  private logOnce(line: string, key = line): void {
    if (this.lastLogged === key) return;
    this.lastLogged = key;
    this.log(line);
  }

  private requestSave(): void {
    if (!this.options.cursorFile || this.saveTimer !== null) return;
    if (this.saveDelayMs <= 0) {
      void this.flushCursor();
      return;
    }
    this.saveTimer = this.timers.setTimer(() => {
      this.saveTimer = null;
      void this.flushCursor();
    }, this.saveDelayMs);
  }

  /** Writes the newest cursor (one write at a time; a newer cursor is written after it). */
  private flushCursor(): Promise<void> {
    const file = this.options.cursorFile;
    if (!file) return Promise.resolve();
    if (this.saving) return this.saving.then(() => (this.cursor !== this.savedCursor ? this.flushCursor() : undefined));
    if (this.cursor === this.savedCursor) return Promise.resolve();
    const cursor = this.cursor;
    this.saving = writeFileAtomic(file, JSON.stringify({ version: 1, cursor }) + '\n', 0o600)
      .then(() => {
        this.savedCursor = cursor;
      })
      .catch((err: unknown) => this.logOnce(`journal: cannot save the cursor to ${file}: ${errorText(err)}`))
      .finally(() => {
        this.saving = null;
      });
    return this.saving;
  }
}

/** The saved cursor, or null (no file yet, or a file that is not ours: said once in the log). */
async function readCursorFile(file: string, log: (line: string) => void): Promise<string | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`journal: cannot read the cursor file ${file}: ${errorText(err)}; following from now`);
    return null;
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data === 'object' && data !== null) {
      const cursor = (data as Record<string, unknown>).cursor;
      if (cursor === null) return null;
      if (typeof cursor === 'string' && cursor.length > 0 && cursor.length < 4096 && !/[\r\n]/.test(cursor)) return cursor;
    }
  } catch {
    // fall through
  }
  log(`journal: the cursor file ${file} is not valid; following from now`);
  return null;
}
