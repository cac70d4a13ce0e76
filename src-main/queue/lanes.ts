/**
 * Lanes (docs/formats/queue.md): each method is a lane of the queue with its own limits — how
 * many attempts at a time (a modem is one line; HTTPS takes several), the least time between
 * the starts of two attempts (the dial-up interval), and a named resource (a serial port) that
 * lanes naming it take in turn. The dispatcher asks for the limits at every pump, since settings
 * change at any time; this module keeps what the limits are checked against.
 */
import type { MethodName } from '../../src-shared/methods';

export interface LaneLimits {
  /** attempts in hand at a time in the lane (at least 1) */
  concurrency: number;
  /** the least time from the start of one attempt in the lane to the start of the next */
  minGapMs: number;
  /** a lock shared with other lanes: one attempt at a time, of any lane naming it, holds it */
  resource: string | null;
}

export const DEFAULT_LANE: LaneLimits = { concurrency: 4, minGapMs: 0, resource: null };

/** The limits made safe to count with: a bad number falls back to the default's meaning. */
export function normalLimits(limits: LaneLimits): LaneLimits {
  const concurrency = Number.isFinite(limits.concurrency) && limits.concurrency >= 1 ? Math.floor(limits.concurrency) : DEFAULT_LANE.concurrency;
  const minGapMs = Number.isFinite(limits.minGapMs) && limits.minGapMs > 0 ? limits.minGapMs : 0;
  const resource = typeof limits.resource === 'string' && limits.resource !== '' ? limits.resource : null;
  return { concurrency, minGapMs, resource };
}

/**
 * The attempts in hand per lane, the start of each lane's last attempt and the resources held.
 * In memory only, in this process: a port shared with another process is locked by the channel
 * that opens it (the dial-up channel's own port lock), not here. After a restart a lane's gap
 * counts from its first attempt.
 */
export class LaneBook {
  private readonly active = new Map<MethodName, number>();
  private readonly lastStart = new Map<MethodName, number>();
  private readonly held = new Set<string>();

  /**
   * When the lane may start its next attempt: a time (at most `now` when it may now), or null
   * while it is full or its resource is held — then only the end of an attempt frees it.
   */
  readyAt(lane: MethodName, limits: LaneLimits, now: number): number | null {
    if ((this.active.get(lane) ?? 0) >= limits.concurrency) return null;
    if (limits.resource !== null && this.held.has(limits.resource)) return null;
    const last = this.lastStart.get(lane);
    if (last === undefined || limits.minGapMs === 0) return now;
    // A clock set back does not hold the lane for the difference: the gap then counts from now.
    return Math.min(last, now) + limits.minGapMs;
  }

  /** An attempt starts in the lane; the returned function ends it (once). */
  begin(lane: MethodName, limits: LaneLimits, now: number): () => void {
    this.active.set(lane, (this.active.get(lane) ?? 0) + 1);
    this.lastStart.set(lane, now);
    // The resource named at the start is the one given back, whatever the settings say by then.
    const resource = limits.resource;
    if (resource !== null) this.held.add(resource);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (this.active.get(lane) ?? 1) - 1;
      if (n > 0) this.active.set(lane, n);
      else this.active.delete(lane);
      if (resource !== null) this.held.delete(resource);
    };
  }

  /** Attempts in hand in the lane. */
  activeIn(lane: MethodName): number {
    return this.active.get(lane) ?? 0;
  }
}
