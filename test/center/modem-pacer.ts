/**
 * The line's speed for the center's modem: bytes pass at most at `bps` / 10 bytes a second
 * (8N1: a start bit, 8 data bits, a stop bit), so that a call takes as long on a pty as on a
 * telephone line. Bytes are handed on in the order pushed, in slices of about 20 ms.
 */

export class Pacer {
  private queue: Buffer[] = [];
  private running = false;
  private nextAt = 0;
  private generation = 0;

  constructor(
    private bps: number,
    private readonly deliver: (bytes: Buffer) => Promise<void> | void,
  ) {}

  setRate(bps: number): void {
    this.bps = bps;
  }

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    if (!this.running) void this.run();
  }

  /** Drops what is waiting (a dropped carrier). */
  clear(): void {
    this.queue = [];
    this.generation++;
  }

  /** Nothing waits and nothing is on its way out. */
  get idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  get waiting(): number {
    return this.queue.reduce((n, b) => n + b.length, 0);
  }

  private async run(): Promise<void> {
    this.running = true;
    const generation = this.generation;
    try {
      while (this.queue.length && generation === this.generation) {
        const slice = Math.max(1, Math.ceil(this.bps / 10 / 50));
        const head = this.queue[0]!;
        const part = head.subarray(0, slice);
        if (part.length === head.length) this.queue.shift();
        else this.queue[0] = head.subarray(slice);
        const now = Date.now();
        this.nextAt = Math.max(this.nextAt, now) + (part.length * 10 * 1000) / this.bps;
        const wait = this.nextAt - now;
        if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
        if (generation !== this.generation) break;
        await this.deliver(part);
      }
    } finally {
      this.running = false;
      if (this.queue.length) void this.run();
    }
  }
}
