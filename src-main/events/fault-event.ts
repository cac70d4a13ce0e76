/**
 * What every event source hands to the service: one hardware-fault entry of an event log, in one
 * shape whether it came from the Windows event log or the systemd journal.
 */
export interface FaultEvent {
  /** the event log it belongs to; Linux journal events are filed under `System` */
  log: 'System' | 'Application';
  /** the source (provider) as the event catalogue names it, e.g. `atapi`, `EDAC` */
  source: string;
  /** the full 32-bit id as 0x + 8 lower-case hex digits, e.g. `0xc0040006` */
  eventId: string;
  /** when the entry was written, ISO 8601 (UTC) */
  time: string;
  /** the entry's text, at most MAX_MESSAGE_CHARS characters (longer ones are clipped) */
  message: string;
  /** where the entry sits in its log (Windows record id, journal cursor), when known */
  recordId?: string;
}

/** Takes a fault; a promise it returns settles once the fault is durable. */
export type FaultHandler = (e: FaultEvent) => unknown;

/** A running producer of FaultEvents. */
export interface EventSource {
  readonly name: string;
  /**
   * Starts delivering events to `onEvent`; never throws for a missing or broken log. When
   * `onEvent` returns a promise, the source commits its place in the log (cursor, bookmark) past
   * that event only once the promise settles — the service resolves it when the fault is durable.
   */
  start(onEvent: FaultHandler): void;
  /** Stops and releases every process and timer; resolves within a second. */
  stop(): Promise<void>;
}

export const MAX_MESSAGE_CHARS = 8192;

/** The timer functions a source takes (the queue's ManualClock has the same shape). */
export interface Timers {
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A poll or retry timer alone must not keep the process alive.
    t.unref?.();
    return t;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Normalises an event id to 0x + 8 lower-case hex digits. Accepts hex with the 0x prefix
 * (`0xC0040006`), the unsigned decimal `3221487622`, the signed 32-bit decimal `-1073479674`
 * (how some tools print it) and integers. Anything else (bare hex, > 32 bits) → null.
 */
export function normalizeEventId(input: string | number): string | null {
  let value: number;
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) return null;
    value = input;
  } else {
    const text = input.trim();
    if (/^0x[0-9a-f]{1,8}$/i.test(text)) value = parseInt(text.slice(2), 16);
    else if (/^-?\d{1,10}$/.test(text)) value = Number(text);
    else return null;
  }
  if (value < -0x80000000 || value > 0xffffffff) return null;
  return formatEventId(value);
}

/** 0x + 8 lower-case hex digits of a 32-bit value (negative values as their unsigned form). */
export function formatEventId(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}

/** The full id from a Windows event's Qualifiers (high 16 bits) and Id (low 16 bits). */
export function windowsEventId(id: number, qualifiers: number | null | undefined): string {
  const high = qualifiers == null ? 0 : qualifiers & 0xffff;
  return formatEventId(((high << 16) | (id & 0xffff)) >>> 0);
}

/**
 * Makes an entry's text safe to carry: drops control characters other than tab and newline
 * (terminal escapes, NUL) and clips it to MAX_MESSAGE_CHARS without splitting a surrogate pair.
 */
export function cleanMessage(text: string): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  if (out.length > MAX_MESSAGE_CHARS) {
    let end = MAX_MESSAGE_CHARS;
    const code = out.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    out = out.slice(0, end);
  }
  return out;
}
