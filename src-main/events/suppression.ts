/**
 * 通報の抑制 (docs/event-sources.md): the same source + event id seen again within
 * `periodMinutes` of its last *reported* occurrence is not reported but counted; the next
 * occurrence that is reported carries that count, and the count starts again from zero.
 *
 * Pure: the caller passes the time and the method's settings
 * (`methods.<name>.suppression`), so one Suppressor serves one method.
 */

export interface SuppressionKey {
  source: string;
  eventId: string;
}

export interface SuppressionSettings {
  enabled: boolean;
  periodMinutes: number;
}

export type SuppressionDecision = { report: true; suppressedCount: number } | { report: false };

export interface SuppressorOptions {
  /** most keys remembered; the longest-unreported are forgotten first (default 10,000) */
  maxKeys?: number;
}

/** The persisted form: [source, eventId, last reported (ms since epoch), suppressed since]. */
export interface SuppressorState {
  version: 1;
  entries: [string, string, number, number][];
}

interface Entry {
  source: string;
  eventId: string;
  lastReported: number;
  suppressed: number;
}

export const DEFAULT_MAX_KEYS = 10_000;
const PRUNE_EVERY_MS = 60_000;

export class Suppressor {
  readonly maxKeys: number;
  /** in order of last report, oldest first (an entry is re-inserted when it is reported) */
  private readonly entries = new Map<string, Entry>();
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(opts: SuppressorOptions = {}) {
    const max = opts.maxKeys ?? DEFAULT_MAX_KEYS;
    this.maxKeys = Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_KEYS;
  }

  /** Keys remembered now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Decides whether this occurrence is reported. A period that ended exactly now has ended.
   * If the clock went back before the last report, the occurrence is reported (the period
   * cannot be judged) and the count it carries is the one pending.
   */
  offer(key: SuppressionKey, now: Date, settings: SuppressionSettings): SuppressionDecision {
    const t = now.getTime();
    const id = mapKey(key);
    if (!settings.enabled) {
      // Reporting everything: no period, nothing pending.
      this.entries.delete(id);
      return { report: true, suppressedCount: 0 };
    }
    const periodMs = periodToMs(settings.periodMinutes);
    this.prune(t, periodMs);
    const entry = this.entries.get(id);
    if (entry && t >= entry.lastReported && t - entry.lastReported < periodMs) {
      entry.suppressed += 1;
      return { report: false };
    }
    const suppressedCount = entry?.suppressed ?? 0;
    this.entries.delete(id);
    this.entries.set(id, { source: key.source, eventId: normalise(key.eventId), lastReported: t, suppressed: 0 });
    this.enforceCap();
    return { report: true, suppressedCount };
  }

  /** How many occurrences of `key` wait to be carried by its next report. */
  pending(key: SuppressionKey): number {
    return this.entries.get(mapKey(key))?.suppressed ?? 0;
  }

  toJSON(): SuppressorState {
    return { version: 1, entries: [...this.entries.values()].map((e) => [e.source, e.eventId, e.lastReported, e.suppressed]) };
  }

  /**
   * Rebuilds a Suppressor from `toJSON()` output. Never throws: anything that is not a valid
   * state gives an empty one, and invalid entries are skipped.
   */
  static fromJSON(data: unknown, opts: SuppressorOptions = {}): Suppressor {
    const s = new Suppressor(opts);
    if (!isRecord(data) || data.version !== 1 || !Array.isArray(data.entries)) return s;
    const valid: Entry[] = [];
    for (const row of data.entries) {
      if (!Array.isArray(row) || row.length !== 4) continue;
      const [source, eventId, lastReported, suppressed] = row as unknown[];
      if (typeof source !== 'string' || typeof eventId !== 'string') continue;
      if (typeof lastReported !== 'number' || !Number.isFinite(lastReported)) continue;
      if (typeof suppressed !== 'number' || !Number.isInteger(suppressed) || suppressed < 0) continue;
      valid.push({ source, eventId: normalise(eventId), lastReported, suppressed });
    }
    valid.sort((a, b) => a.lastReported - b.lastReported);
    for (const e of valid) {
      const id = mapKey(e);
      s.entries.delete(id);
      s.entries.set(id, e);
    }
    s.enforceCap();
    return s;
  }

  /**
   * Forgets keys whose period has ended with nothing pending: their next occurrence is
   * reported with count 0 whether or not they are remembered. Keys with a pending count stay
   * (their count goes with the next report) until the cap pushes them out.
   */
  private prune(t: number, periodMs: number): void {
    if (t - this.lastPrune < PRUNE_EVERY_MS && this.entries.size <= this.maxKeys) return;
    this.lastPrune = t;
    for (const [id, e] of this.entries) {
      if (t >= e.lastReported && t - e.lastReported < periodMs) break; // later ones are newer
      if (e.suppressed === 0) this.entries.delete(id);
    }
  }

  private enforceCap(): void {
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(id);
    }
  }
}

function periodToMs(minutes: number): number {
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

function normalise(eventId: string): string {
  return eventId.trim().toLowerCase();
}

function mapKey(key: SuppressionKey): string {
  return `${key.source}\u0000${normalise(key.eventId)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
