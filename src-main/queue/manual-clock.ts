/**
 * A clock that moves only when told, with the timer functions the dispatcher takes: tests and
 * the bench run a 72-hour schedule in milliseconds with it.
 */
export class ManualClock {
  private time: number;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private lastId = 0;

  constructor(start: Date | number) {
    this.time = typeof start === 'number' ? start : start.getTime();
  }

  readonly now = (): Date => new Date(this.time);

  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const id = ++this.lastId;
    this.timers.push({ id, at: this.time + Math.max(0, ms), fn });
    return id;
  };

  readonly clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };

  /** Timers waiting (the dispatcher keeps at most one). */
  get pending(): number {
    return this.timers.length;
  }

  /** When the earliest timer fires, or null. */
  nextTimerAt(): Date | null {
    const next = this.earliest();
    return next ? new Date(next.at) : null;
  }

  /**
   * Moves the clock to `target`, firing each timer due on the way at its own time and waiting
   * for `settle()` (e.g. the queue's idle()) after each, so real network work finishes in between.
   */
  async advanceTo(target: Date | number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const end = typeof target === 'number' ? target : target.getTime();
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > end) break;
      this.time = Math.max(this.time, next.at);
      this.timers = this.timers.filter((t) => t !== next);
      next.fn();
      await settle();
    }
    this.time = Math.max(this.time, end);
  }

  /** advanceTo(now + ms). */
  advance(ms: number, settle?: () => Promise<void>): Promise<void> {
    return this.advanceTo(this.time + ms, settle);
  }

  private earliest(): { id: number; at: number; fn: () => void } | undefined {
    let best: { id: number; at: number; fn: () => void } | undefined;
    for (const t of this.timers) if (!best || t.at < best.at) best = t;
    return best;
  }
}
