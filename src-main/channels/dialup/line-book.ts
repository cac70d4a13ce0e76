/**
 * The telephone lines of this process, by serial port: one call at a time on a port (two
 * methods sharing a modem take turns), and the dial-up interval (ダイヤルアップ間隔) kept from the
 * hang-up of one call to the dial of the next — also from the primary to the secondary. Real
 * time (a wait on the line is a real wait); the queue's lane gap (the same interval, from the
 * start of one attempt to the next) keeps the queue from starting attempts early.
 */

export class LineBook {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly hungUpAt = new Map<string, number>();

  /** Waits for the port's turn; the returned function gives it back (once). */
  async take(port: string, signal?: AbortSignal): Promise<() => void> {
    const before = this.tails.get(port) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(port, tail);
    const done = () => {
      release();
      if (this.tails.get(port) === tail) this.tails.delete(port);
    };
    if (signal) {
      await Promise.race([before, new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }))]).catch((err: unknown) => {
        done();
        throw err;
      });
    } else await before;
    return done;
  }

  /** How long to wait before dialling on `port` so that `intervalMs` has passed since its last hang-up. */
  waitBeforeDial(port: string, intervalMs: number, now = Date.now()): number {
    const last = this.hungUpAt.get(port);
    return last === undefined ? 0 : Math.max(0, last + intervalMs - now);
  }

  hungUp(port: string, now = Date.now()): void {
    this.hungUpAt.set(port, now);
  }
}
