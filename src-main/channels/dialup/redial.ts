/**
 * Japan's 端末設備等規則 第11条 for automatic calls: at most 2 redials to a number within 3 minutes
 * of the first call (a call more than 3 minutes after the first counts as a new first call).
 * The memory keeps, per number as dialled, the calls of the current series; a call that
 * delivered ends the series (the next report's call is a first call, not a redial). A call the
 * rule does not allow now waits for the method's schedule (the queue retries later); allowedAt
 * says from when. In memory, per service process.
 */

export const REDIAL_WINDOW_MS = 3 * 60_000;
/** the first call and 2 redials */
export const CALLS_PER_WINDOW = 3;

interface Series {
  first: number;
  calls: number;
}

export class RedialMemory {
  private readonly series = new Map<string, Series>();

  constructor(private readonly now: () => number) {}

  private key(number: string): string {
    return number.replace(/[\s()-]/g, '');
  }

  /** When a call to `number` is allowed: now (a time ≤ now) or later. */
  allowedAt(number: string): number {
    const now = this.now();
    const s = this.series.get(this.key(number));
    if (!s || now - s.first > REDIAL_WINDOW_MS || s.calls < CALLS_PER_WINDOW) return now;
    // The next call after the window counts as a new first call: just past 3 minutes.
    return s.first + REDIAL_WINDOW_MS + 1;
  }

  /** A call to `number` starts (the dial command goes out). */
  called(number: string): void {
    const now = this.now();
    const key = this.key(number);
    const s = this.series.get(key);
    if (!s || now - s.first > REDIAL_WINDOW_MS) this.series.set(key, { first: now, calls: 1 });
    else s.calls++;
  }

  /** The call delivered: the series ends. */
  delivered(number: string): void {
    this.series.delete(this.key(number));
  }

  /** The calls of the current series (for the log and tests). */
  callsInSeries(number: string): number {
    const s = this.series.get(this.key(number));
    return s && this.now() - s.first <= REDIAL_WINDOW_MS ? s.calls : 0;
  }
}
