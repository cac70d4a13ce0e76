/**
 * 一括通報: calls kept up between reports (docs/formats/dialup.md "Several reports in one call").
 * After a report's final acknowledgement from a center that takes another report on the same
 * call, the call is parked here, by serial port, for the linger; the next report with the same
 * call settings takes it (no dial, no interval), any other report on the port hangs it up first.
 * A parked call is hung up when the linger runs out, when the modem says NO CARRIER or the port
 * fails meanwhile, and when the service stops. A parked call still holds the port's turn.
 */
import type { LiveCall } from './dial-out';

interface Parked {
  call: LiveCall;
  timer: NodeJS.Timeout;
  unwatch: () => void;
}

export class CallKeeper {
  private readonly parked = new Map<string, Parked>();

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  /** Keeps `call` (connected, online) up on `port` for `lingerMs`, waiting for the next report. */
  park(port: string, call: LiveCall, lingerMs: number): void {
    const old = this.take(port);
    if (old) this.hangUp(old);
    const release = (why: string) => {
      if (this.parked.get(port)?.call !== call) return;
      this.take(port);
      this.log(`dial-up: hanging up ${call.record.number} after ${call.record.ids.length} report(s) on the call (${why})`);
      this.hangUp(call);
    };
    const timer = setTimeout(() => release(`no other report within ${Math.round(lingerMs / 100) / 10} s`), lingerMs);
    const unwatch = watchLine(call, (why) => {
      // The modem is back in command mode after NO CARRIER: no escape is owed, nor the goodbye.
      if (why === 'no-carrier') {
        call.state = 'command';
        call.batch = false;
      }
      release(why === 'no-carrier' ? 'the center hung up (NO CARRIER)' : 'the serial port failed');
    });
    this.parked.set(port, { call, timer, unwatch });
  }

  /**
   * The call parked on `port` with the settings `key`, taken out of the keeper (the caller owns
   * it now); a call parked with other settings is hung up first. Null when none is parked.
   */
  async claim(port: string, key: string): Promise<LiveCall | null> {
    const call = this.take(port);
    if (!call) return null;
    if (call.key === key && call.state === 'online') return call;
    await call.end();
    return null;
  }

  /** Whether a call is parked on `port` (for tests). */
  holds(port: string): boolean {
    return this.parked.has(port);
  }

  /** Hangs up every parked call (the service stops). */
  async endAll(): Promise<void> {
    const calls = [...this.parked.keys()].map((port) => this.take(port)!);
    await Promise.all(calls.map((c) => c.end()));
  }

  /** Hangs up without waiting; a failure is logged, not thrown. */
  private hangUp(call: LiveCall): void {
    call.end().catch((err: unknown) => this.log(`dial-up: hang-up: ${(err as Error).message}`));
  }

  private take(port: string): LiveCall | null {
    const p = this.parked.get(port);
    if (!p) return null;
    clearTimeout(p.timer);
    p.unwatch();
    this.parked.delete(port);
    return p.call;
  }
}

/** Looks at what the line says while the call waits: the modem's NO CARRIER, or the port failing. */
function watchLine(call: LiveCall, lost: (why: 'no-carrier' | 'port') => void): () => void {
  const line = call.line!;
  let text = '';
  // Told on the next turn: what the line held already arrives inside setConsumer, before the call is parked.
  const tell = (why: 'no-carrier' | 'port') => setImmediate(() => lost(why));
  line.setConsumer((data) => {
    text = (text + data.toString('latin1')).slice(-64);
    if (/NO CARRIER/.test(text)) tell('no-carrier');
  });
  const unsubscribe = line.onFailure(() => tell('port'));
  return () => {
    unsubscribe();
    line.setConsumer(null);
    line.discardPending();
  };
}
