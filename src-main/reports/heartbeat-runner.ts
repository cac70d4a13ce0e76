import type { HbiDefinition } from '../inf';
import { nextScheduledRun } from './heartbeat-schedule';
import { errorText } from '../lib/error-text';

export interface HeartbeatRunnerDeps {
  now(): Date;
  /** AMHTPHBI.INF as read now (the administrator may edit it at any time) */
  readSchedule(): Promise<Pick<HbiDefinition, 'schedule' | 'time'>>;
  /** collects and queues the report; the message says what happened (null: nothing to send) */
  send(): Promise<{ message: string } | null>;
  log(line: string): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Timers longer than this are split: Node's limit is 24.8 days, and the file may change. */
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Sends the scheduled configuration report without anyone at the window: one timer, re-armed
 * at most every hour from the current AMHTPHBI.INF, so an edited schedule takes effect.
 */
export class HeartbeatRunner {
  private timer: unknown = null;
  private stopped = false;
  /** the next run being waited for; kept across re-arming so a split wait does not lose it */
  private due: Date | null = null;

  constructor(private readonly deps: HeartbeatRunnerDeps) {}

  start(): void {
    this.stopped = false;
    void this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  /** The run being waited for (for the window and tests). */
  nextRun(): Date | null {
    return this.due;
  }

  private async arm(): Promise<void> {
    if (this.stopped) return;
    const now = this.deps.now();
    if (this.due && this.due.getTime() <= now.getTime()) {
      // Due now, or missed while the machine slept: send it once, then plan the next.
      const due = this.due;
      this.due = null;
      await this.run(due);
      if (!this.stopped) this.timer = this.deps.setTimer(() => void this.arm(), 1000);
      return;
    }
    const { schedule, time } = await this.deps.readSchedule().catch(() => ({ schedule: null, time: null }));
    if (this.stopped) return;
    this.due = schedule && time ? nextScheduledRun(schedule, time, now) : null;
    const wait = this.due ? Math.min(this.due.getTime() - now.getTime(), MAX_WAIT_MS) : MAX_WAIT_MS;
    this.timer = this.deps.setTimer(() => void this.arm(), wait);
  }

  private async run(due: Date): Promise<void> {
    try {
      const outcome = await this.deps.send();
      if (outcome) this.deps.log(`configuration report scheduled for ${due.toISOString()}: ${outcome.message}`);
    } catch (err) {
      this.deps.log(`configuration report scheduled for ${due.toISOString()} failed: ${errorText(err)}`);
    }
  }
}
