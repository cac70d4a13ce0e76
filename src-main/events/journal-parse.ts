import { cleanMessage, type FaultEvent } from './fault-event';

/*
 * The systemd journal's entries, read: `journalctl -o json` prints one JSON object per entry;
 * the kernel and smartd messages that mean a hardware fault are mapped to the made-up Linux ids
 * of the event catalogue through JOURNAL_RULES (docs/event-sources.md). The process that reads
 * the journal is in journal.ts.
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
