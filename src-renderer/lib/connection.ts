/**
 * Whether the window can still talk to the backend (browser mode). `lost`: nothing answers on
 * the page's address (the service stopped); `replaced`: a service answers there but refuses this
 * page's token — it was restarted, and a restart has a new token, printed by `serve`.
 */
export type ConnectionState = 'connected' | 'lost' | 'replaced';

export interface ConnectionWatch {
  connection(): ConnectionState;
  /** called on every change of state; returns the unsubscribe */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

export function hasConnectionWatch(value: object): value is ConnectionWatch {
  return typeof (value as ConnectionWatch).onConnection === 'function' && typeof (value as ConnectionWatch).connection === 'function';
}

/** How often a lost backend is asked again: soon at first, then every few seconds. */
const PROBE_DELAYS_MS = [250, 500, 1000, 2000];
const PROBE_DELAY_MAX_MS = 3000;

/**
 * Holds the state and, while it is not `connected`, asks `probe` again and again; `probe`
 * resolves to the state it found (it reconnects the event stream itself when the service answers).
 */
export class ConnectionMonitor implements ConnectionWatch {
  private state: ConnectionState = 'connected';
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;

  constructor(private readonly probe: () => Promise<ConnectionState>) {}

  connection(): ConnectionState {
    return this.state;
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** the event stream is open, or a call was answered */
  connected(): void {
    this.attempt = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.set('connected');
  }

  /** the event stream broke or a call found no service: say so at once and start asking */
  down(state: Exclude<ConnectionState, 'connected'>): void {
    this.set(state);
    this.scheduleProbe();
  }

  private set(next: ConnectionState): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  private scheduleProbe(): void {
    if (this.timer) return;
    const delay = PROBE_DELAYS_MS[this.attempt] ?? PROBE_DELAY_MAX_MS;
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probe().then(
        (found) => (found === 'connected' ? undefined : this.down(found)),
        () => this.down('lost'),
      );
    }, delay);
  }
}
