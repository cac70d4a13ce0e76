import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-file';
import { cleanMessage, realTimers, type EventSource, type FaultEvent, type FaultHandler, type Timers } from './fault-event';

/*
 * The systemd journal as an event source (Linux). `journalctl -f -o json` prints one JSON
 * object per entry; the kernel and smartd messages that mean a hardware fault are mapped to
 * the made-up Linux ids of the event catalogue through JOURNAL_RULES (docs/event-sources.md).
 */

/** Who may have written a message: the kernel (`_TRANSPORT=kernel`) or the smartd daemon. */
export type JournalOrigin = 'kernel' | 'smartd';

export interface JournalRule {
  /** a short name for docs, tests and logs */
  name: string;
  origin: JournalOrigin;
  pattern: RegExp;
  source: string;
  eventId: string;
  severity: 'error' | 'warning';
  /** an extra condition on the match (e.g. the value really got worse) */
  accept?: (m: RegExpMatchArray) => boolean;
}

/**
 * Devices whose I/O errors say nothing about the server's disks: optical drives (an empty
 * virtual CD of a BMC logs I/O errors all day), floppies, loop, network and RAM block devices.
 */
const NOT_A_DISK = /^(?:sr\d|fd\d|loop\d|nbd\d|zram\d|ram\d)/;
const isDisk = (m: RegExpMatchArray): boolean => !NOT_A_DISK.test(m[1] ?? '');

/** The mapping table, first match wins. docs/event-sources.md shows it with examples. */
export const JOURNAL_RULES: readonly JournalRule[] = [
  // Machine checks. Only the first line of a machine-check dump is mapped; the lines that
  // follow it (TSC, ADDR, PROCESSOR, …) carry the same `[Hardware Error]` tag.
  { name: 'mce-corrected', origin: 'kernel', pattern: /Machine check events logged/i, source: 'kernel-mce', eventId: '0x80040102', severity: 'warning' },
  { name: 'mce', origin: 'kernel', pattern: /\[Hardware Error\]: (?:CPU \d+: )?Machine Check(?: Exception)?:/i, source: 'kernel-mce', eventId: '0xc0040101', severity: 'error' },
  { name: 'apei-corrected', origin: 'kernel', pattern: /\[Hardware Error\]: event severity: corrected\b/i, source: 'kernel-mce', eventId: '0x80040102', severity: 'warning' },
  { name: 'apei-error', origin: 'kernel', pattern: /\[Hardware Error\]: event severity: (?:recoverable|fatal)\b/i, source: 'kernel-mce', eventId: '0xc0040101', severity: 'error' },
  // Memory (EDAC): `EDAC MC0: 1 UE …` uncorrected, `EDAC MC0: 1 CE …` corrected.
  { name: 'edac-ue', origin: 'kernel', pattern: /\bEDAC MC\d+: (?:\d+ )?UE\b/, source: 'EDAC', eventId: '0xc0040111', severity: 'error' },
  { name: 'edac-ce', origin: 'kernel', pattern: /\bEDAC MC\d+: (?:\d+ )?CE\b/, source: 'EDAC', eventId: '0x80040112', severity: 'warning' },
  // Disks.
  { name: 'ata-failed-command', origin: 'kernel', pattern: /\bata\d+(?:\.\d+)?: failed command:/, source: 'ata', eventId: '0xc0040121', severity: 'error' },
  { name: 'ata-serror', origin: 'kernel', pattern: /\bata\d+(?:\.\d+)?: SError:/, source: 'ata', eventId: '0x80040122', severity: 'warning' },
  {
    name: 'block-io-error',
    origin: 'kernel',
    pattern: /(?:I\/O|critical medium|critical target) error, dev ([^,\s]+), sector/,
    source: 'kernel-block',
    eventId: '0xc0040131',
    severity: 'error',
    accept: isDisk,
  },
  { name: 'buffer-io-error', origin: 'kernel', pattern: /Buffer I\/O error on dev(?:ice)? ([^,\s]+)/, source: 'kernel-block', eventId: '0xc0040132', severity: 'error', accept: isDisk },
  // smartd.
  { name: 'smart-health-failed', origin: 'smartd', pattern: /FAILED SMART self-check/, source: 'smartd', eventId: '0xc0040141', severity: 'error' },
  { name: 'smart-attribute-failed', origin: 'smartd', pattern: /Failed (?:SMART (?:usage |Prefailure )?)?Attribute:/i, source: 'smartd', eventId: '0xc0040142', severity: 'error' },
  {
    name: 'smart-pending-sectors',
    origin: 'smartd',
    pattern: /\b(\d+) Currently unreadable \(pending\) sectors/,
    source: 'smartd',
    eventId: '0x80040143',
    severity: 'warning',
    accept: (m) => Number(m[1]) > 0,
  },
  {
    name: 'smart-offline-uncorrectable',
    origin: 'smartd',
    pattern: /\b(\d+) Offline uncorrectable sectors/,
    source: 'smartd',
    eventId: '0x80040144',
    severity: 'warning',
    accept: (m) => Number(m[1]) > 0,
  },
  {
    // smartd logs every change of a prefailure attribute; only the reallocation counters
    // (5 Reallocated_Sector_Ct, 196 Reallocated_Event_Count) getting worse are reported.
    name: 'smart-reallocated',
    origin: 'smartd',
    pattern: /SMART Prefailure Attribute: (?:5|196) \S+ changed from (\d+)(?: \[Raw (\d+)\])? to (\d+)(?: \[Raw (\d+)\])?/,
    source: 'smartd',
    eventId: '0x80040145',
    severity: 'warning',
    accept: (m) => Number(m[3]) < Number(m[1]) || (m[2] !== undefined && m[4] !== undefined && Number(m[4]) > Number(m[2])),
  },
];

export interface JournalRecord {
  /** `__CURSOR`, when the entry has one */
  cursor?: string;
  /** the fault it reports, or null for any other entry */
  event: FaultEvent | null;
}

export type JournalParseError = { error: string };

/**
 * Parses one line of `journalctl -o json` output: the fault it reports (or null) and its
 * cursor. Never throws; a line that is not a journal entry gives `{ error }`.
 */
export function parseJournalRecord(line: string): JournalRecord | JournalParseError {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { error: 'not a JSON object' };
  const entry = data as Record<string, unknown>;

  const fields: Record<string, string | undefined> = {};
  for (const name of ['MESSAGE', '__CURSOR', '__REALTIME_TIMESTAMP', '_TRANSPORT', 'SYSLOG_IDENTIFIER', '_COMM', '_UID'] as const) {
    const value = fieldText(entry[name]);
    if (typeof value === 'object') return { error: `${name}: ${value.error}` };
    fields[name] = value;
  }
  const cursor = fields.__CURSOR;
  const stamp = fields.__REALTIME_TIMESTAMP;
  if (stamp !== undefined && !/^\d{1,17}$/.test(stamp)) return { error: '__REALTIME_TIMESTAMP: not a number of microseconds' };
  const base: JournalRecord = cursor === undefined ? { event: null } : { cursor, event: null };

  const message = fields.MESSAGE;
  const origin = originOf(fields);
  if (message === undefined || origin === null) return base;
  const hit = matchRule(origin, message);
  if (!hit) return base;
  if (stamp === undefined) return { error: '__REALTIME_TIMESTAMP missing' };
  const time = new Date(Math.floor(Number(stamp) / 1000));
  if (Number.isNaN(time.getTime())) return { error: '__REALTIME_TIMESTAMP out of range' };
  const event: FaultEvent = { log: 'System', source: hit.source, eventId: hit.eventId, time: time.toISOString(), message: cleanMessage(message) };
  if (cursor !== undefined) event.recordId = cursor;
  return { ...base, event };
}

/**
 * One line of `journalctl -o json` → the fault event it reports, null for any other entry, or
 * `{ error }` for a line that is not a journal entry (not JSON, wrong field types). Never throws.
 */
export function parseJournalLine(line: string): FaultEvent | null | JournalParseError {
  const r = parseJournalRecord(line);
  return 'error' in r ? r : r.event;
}

/** The first rule of JOURNAL_RULES a message from `origin` matches, if any. */
export function matchRule(origin: JournalOrigin, message: string): JournalRule | undefined {
  for (const rule of JOURNAL_RULES) {
    if (rule.origin !== origin) continue;
    const m = rule.pattern.exec(message);
    if (m && (!rule.accept || rule.accept(m))) return rule;
  }
  return undefined;
}

/**
 * Whose message this is. Kernel rules need `_TRANSPORT=kernel`, which journald sets itself, so
 * `logger -t kernel "mce: …"` cannot fake a machine check. smartd rules need the smartd
 * identifier and, where journald recorded them, the smartd process run by root.
 */
function originOf(f: Record<string, string | undefined>): JournalOrigin | null {
  if (f._TRANSPORT === 'kernel') return 'kernel';
  if (f.SYSLOG_IDENTIFIER === 'smartd' && (f._COMM === undefined || f._COMM === 'smartd') && (f._UID === undefined || f._UID === '0')) return 'smartd';
  return null;
}

/**
 * A journal field as text. journalctl prints a string, an array of bytes for a value that is
 * not printable UTF-8, null for a value over 4 KiB, and an array of those when the field
 * occurs more than once (the first is used).
 */
function fieldText(value: unknown): string | undefined | JournalParseError {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return { error: `expected a string or byte array, got ${typeof value}` };
  if (value.length === 0) return '';
  if (value.every((b) => typeof b === 'number')) {
    if (!value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return { error: 'byte array with a value outside 0–255' };
    return new TextDecoder('utf-8').decode(Uint8Array.from(value as number[]));
  }
  const first = fieldText(value[0]);
  if (typeof first === 'object' && first !== null) return first;
  if (Array.isArray(value[0]) || typeof value[0] === 'string' || value[0] === null) return first;
  return { error: 'array of unexpected values' };
}

export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Splits a byte stream into lines: chunks may end anywhere (inside a line or a UTF-8
 * sequence); a line over `maxBytes` is dropped whole, reported once through `onOversize`.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      this.take(piece);
      if (nl === -1) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.partBytes > 0 || this.skipping) this.finishLine();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    this.partBytes += piece.length;
    if (this.skipping) return;
    if (this.partBytes > this.maxBytes) {
      this.skipping = true;
      this.parts = [];
      return;
    }
    this.parts.push(Buffer.from(piece));
  }

  private finishLine(): void {
    if (this.skipping) this.onOversize(this.partBytes);
    else if (this.partBytes > 0) {
      let line = Buffer.concat(this.parts, this.partBytes).toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() !== '') this.onLine(line);
    }
    this.parts = [];
    this.partBytes = 0;
    this.skipping = false;
  }
}

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
export class JournalSource implements EventSource {
  readonly name = 'journal';
  private readonly binary: string;
  private readonly log: (line: string) => void;
  private readonly timers: Timers;
  private readonly retryMs: number;
  private readonly saveDelayMs: number;
  private readonly probeTimeoutMs: number;

  private onEvent: FaultHandler | null = null;
  /** the handlers of the entries read so far, in order: the cursor moves past an entry when its handler settled */
  private handled: Promise<void> = Promise.resolve();
  private unsettled = 0;
  private stopped = true;
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

  start(onEvent: FaultHandler): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.onEvent = onEvent;
    this.running = this.begin();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
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
        child = spawn(this.binary, ['-n', '0', '--no-pager'], { shell: false, stdio: ['ignore', 'ignore', 'pipe'], env: this.options.env ?? process.env });
      } catch (err) {
        resolve(`cannot start ${this.binary}: ${errText(err)}`);
        return;
      }
      this.probeChild = child;
      let stderr = '';
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
      child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < 4096) stderr += d.toString('utf8');
      });
      child.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ENOENT' ? `${this.binary} not found` : `cannot start ${this.binary}: ${errText(err)}`));
      child.on('close', (code) => {
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
      child = spawn(this.binary, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: this.options.env ?? process.env });
    } catch (err) {
      return this.idle(`cannot start ${this.binary}: ${errText(err)}`);
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
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    child.stdout?.on('data', (d: Buffer) => splitter.push(d));
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      splitter.end();
      if (this.child === child) this.child = null;
      if (this.stopped) return;
      if (spawnError) {
        return this.idle(spawnError.code === 'ENOENT' ? `${this.binary} not found` : `cannot start ${this.binary}: ${errText(spawnError)}`);
      }
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
        this.log(`journal: the event handler failed: ${errText(err)}`);
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
        const settled = (pending ? (handling as Promise<unknown>) : Promise.resolve()).catch((err: unknown) => this.log(`journal: the event handler failed: ${errText(err)}`));
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
      .catch((err: unknown) => this.logOnce(`journal: cannot save the cursor to ${file}: ${errText(err)}`))
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
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`journal: cannot read the cursor file ${file}: ${errText(err)}; following from now`);
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

/** SIGTERM, then SIGKILL if the child is still there after half of `ms`; resolves by `ms`. */
function killWithin(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(hard);
      clearTimeout(give);
      resolve();
    };
    child.once('close', done);
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), ms / 2);
    const give = setTimeout(done, ms);
  });
}

function withDeadline(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
