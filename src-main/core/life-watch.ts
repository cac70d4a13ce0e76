/**
 * The service's life with nobody at the window: the queue delivers while the service runs
 * (opened, not terminated, contract not expired) and keeps what it has otherwise; one timer
 * watches for the contract's next change (the warning period, the last day's end); a queue held
 * by another process is tried again every minute.
 */
import type { ApiEvent } from '../../src-shared/api';
import type { Settings } from '../../src-shared/settings';
import { isReporting, MAX_TIMER_MS, msUntilNextChange } from '../contract/service-life';
import type { ReportPipeline } from '../reports/pipeline';
import { errorText } from '../lib/error-text';

export interface LifeWatchDeps {
  pipeline: ReportPipeline;
  settings(): Settings;
  now(): Date;
  emit(event: ApiEvent): void;
  log(line: string): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class LifeWatch {
  private active = false;
  private lifeTimer: unknown = null;
  private queueRetry: unknown = null;

  constructor(private readonly deps: LifeWatchDeps) {}

  /** Starts watching (the service's background started). */
  async start(): Promise<void> {
    this.active = true;
    await this.sync();
  }

  stop(): void {
    this.active = false;
    this.disarm('lifeTimer');
    this.disarm('queueRetry');
  }

  /** The queue delivers while the service runs; ended or expired, it keeps what it has until an extension. */
  async sync(): Promise<void> {
    if (!this.active) return;
    const { pipeline } = this.deps;
    const reporting = isReporting(this.deps.settings(), this.deps.now());
    try {
      if (reporting && !pipeline.isRunning) await pipeline.start();
      else if (!reporting && pipeline.isRunning) await pipeline.stop();
    } catch (err) {
      // Another process has it (serve while the Electron window runs): try again in a minute.
      this.deps.log(`the report queue cannot be opened: ${errorText(err)}; trying again in a minute`);
      this.disarm('queueRetry');
      this.queueRetry = this.timer()(() => {
        this.queueRetry = null;
        void this.sync();
      }, 60_000);
    }
    this.armLife();
  }

  /** One timer for the contract's next change. */
  private armLife(): void {
    this.disarm('lifeTimer');
    const wait = msUntilNextChange(this.deps.settings(), this.deps.now());
    if (wait === null) return;
    this.lifeTimer = this.timer()(() => {
      this.lifeTimer = null;
      this.deps.emit({ type: 'service:changed' });
      void this.sync();
    }, Math.min(wait + 1000, MAX_TIMER_MS));
  }

  private disarm(which: 'lifeTimer' | 'queueRetry'): void {
    if (this[which] === null) return;
    (this.deps.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(this[which]);
    this[which] = null;
  }

  /** The injected timer, or a real one that does not keep the process alive. */
  private timer(): (fn: () => void, ms: number) => unknown {
    return this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  }
}
