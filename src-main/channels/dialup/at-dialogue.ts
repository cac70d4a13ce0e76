/**
 * The AT dialogue of a call (docs/formats/dialup.md "The dialogue"): wake the modem, the init
 * string, ATDT/ATDP + the number as stored, the wait for the carrier, and the hang-up — escape
 * (+++ between guard times) and ATH0 — which runs after every call, also after a failure or a
 * cancel. Echo (E1) and numeric results (V0) are read as well as the verbose ones.
 */
import { LineSplitter, parseResult, type ModemResult } from './results';
import type { SerialLine } from './serial-line';

/** the results that end a command */
const FINAL = new Set(['OK', 'CONNECT', 'NO CARRIER', 'ERROR', 'NO DIALTONE', 'BUSY', 'NO ANSWER']);

export interface DialogueTimes {
  /** the longest wait for OK to a command (default 3 s) */
  responseMs: number;
  /** the escape guard time, S12 (default 1 s) */
  guardMs: number;
}

export const DEFAULT_DIALOGUE_TIMES: DialogueTimes = { responseMs: 3000, guardMs: 1000 };

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** The port failed under the dialogue (a USB modem unplugged). */
export class PortFailedError extends Error {
  constructor(cause: Error) {
    super(`the serial port failed (${cause.message})`, { cause });
    this.name = 'PortFailedError';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Talks AT commands over the line while the modem is in command mode. */
export class Dialogue {
  private readonly splitter = new LineSplitter();
  private results: ModemResult[] = [];
  private waiter: (() => void) | null = null;
  /** every line the modem sent, for the log (at most the last 50) */
  readonly transcript: string[] = [];

  private failed: Error | null = null;

  constructor(
    private readonly line: SerialLine,
    readonly times: DialogueTimes,
  ) {
    line.onFailure((err) => {
      this.failed = err;
      this.waiter?.();
    });
  }

  /** Reads the modem's output from now on. */
  attach(): void {
    this.splitter.clear();
    this.line.setConsumer((data) => this.onData(data));
  }

  private onData(data: Buffer): void {
    for (const text of this.splitter.push(data.toString('latin1'))) {
      this.transcript.push(text.trim());
      if (this.transcript.length > 50) this.transcript.shift();
      const result = parseResult(text);
      // A modem that chatters cannot fill memory: only the latest results are kept.
      if (result) this.results.push(result);
      if (this.results.length > 32) this.results.shift();
    }
    this.waiter?.();
  }

  /** The next final result within `ms`, or null; RING and other lines are passed over. */
  async nextResult(ms: number, signal?: AbortSignal): Promise<ModemResult | null> {
    const end = Date.now() + ms;
    for (;;) {
      while (this.results.length) {
        const r = this.results.shift()!;
        if (FINAL.has(r.code)) return r;
      }
      if (signal?.aborted) throw new CancelledError();
      if (this.failed) throw new PortFailedError(this.failed);
      const left = end - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          this.waiter = null;
          resolve();
        };
        const timer = setTimeout(done, left);
        signal?.addEventListener('abort', done, { once: true });
        this.waiter = done;
      });
    }
  }

  /** Sends one command line ("AT…") and waits for its final result, or null when none came in `ms`. */
  async command(text: string, ms = this.times.responseMs, signal?: AbortSignal): Promise<ModemResult | null> {
    this.results = [];
    await this.line.write(`${text}\r`);
    return this.nextResult(ms, signal);
  }

  /**
   * Wakes the modem: AT until it says OK (three tries). Null when it says nothing at all, the
   * result otherwise (OK, or ERROR from a modem that is there).
   */
  async wake(signal?: AbortSignal): Promise<ModemResult | null> {
    for (let i = 0; i < 3; i++) {
      const r = await this.command('AT', Math.min(this.times.responseMs, 1500), signal);
      if (r) return r;
    }
    return null;
  }

  /** The escape to command mode: silence, +++, silence; true when the modem said OK (or NO CARRIER). */
  async escape(): Promise<boolean> {
    this.results = [];
    await sleep(this.times.guardMs + 100);
    await this.line.write('+++');
    const r = await this.nextResult(this.times.guardMs + this.times.responseMs);
    return r !== null && (r.code === 'OK' || r.code === 'NO CARRIER');
  }

  /** Aborts a dial in progress: any character does (the modem answers NO CARRIER or OK). */
  async abortDial(): Promise<void> {
    this.results = [];
    await this.line.write('\r');
    await this.nextResult(this.times.responseMs);
  }
}

/** The init string as a command line: "AT" in front unless it has it; several lines split at ";" are not used. */
export function initCommand(initString: string): string {
  const s = initString.trim();
  return /^AT/i.test(s) ? s : `AT${s}`;
}

/** ATDT / ATDP and the number exactly as stored (commas pause; "0," is ゼロ発信's outside line). */
export function dialCommand(mode: 'tone' | 'pulse', number: string): string {
  return `ATD${mode === 'pulse' ? 'P' : 'T'}${number.trim()}`;
}

export { sleep };
