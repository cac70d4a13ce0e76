import type { EventSource, FaultHandler } from './fault-event';

/**
 * What every event source does the same way around its own work: start once with a handler,
 * stop once, and know in between whether it has been stopped (a poll, a retry or a child's exit
 * that comes after stop() must do nothing).
 */
export abstract class EventSourceBase implements EventSource {
  abstract readonly name: string;
  protected onEvent: FaultHandler | null = null;
  protected stopped = true;

  start(onEvent: FaultHandler): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.onEvent = onEvent;
    this.started();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.stopping();
  }

  /** Begins the source's work (called by start(), once per start). */
  protected abstract started(): void;
  /** Ends it: kills its processes, clears its timers, saves its place; resolves within a second. */
  protected abstract stopping(): Promise<void>;
}
