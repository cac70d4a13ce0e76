/**
 * The serial port of a call, through a serialport 13 binding (the real one by default: the
 * platform's @serialport/bindings-cpp; tests may wrap it to play DTR and DCD, which a pty does
 * not have). 8N1, no flow control, opened exclusively, DTR dropped on close. One read loop hands
 * what arrives to the current consumer (the AT dialogue, then the transfer); writes go one at a
 * time, as the binding requires.
 */
/** What is used of a serialport binding's open port (@serialport/bindings-interface BindingPortInterface). */
export interface BindingPort {
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  set(options: { dtr?: boolean; rts?: boolean; brk?: boolean; cts?: boolean; dsr?: boolean }): Promise<void>;
  get(): Promise<{ cts: boolean; dsr: boolean; dcd: boolean }>;
  close(): Promise<void>;
}

export interface OpenOptions {
  path: string;
  baudRate: number;
  dataBits: 8;
  parity: 'none';
  stopBits: 1;
  rtscts: boolean;
  xon: boolean;
  xoff: boolean;
  lock: boolean;
  hupcl: boolean;
}

/** A serialport binding as used here (@serialport/bindings-interface BindingInterface). */
export interface SerialBinding {
  open(options: OpenOptions): Promise<BindingPort>;
}

/**
 * The platform's serialport binding (@serialport/bindings-cpp), loaded at the first call: the
 * service starts, and only a call fails, where the native module cannot load.
 */
export async function defaultBinding(): Promise<SerialBinding> {
  const { SerialPort } = await import('serialport');
  return SerialPort.binding;
}

/** Why a port could not be opened. */
export class PortOpenError extends Error {
  constructor(
    readonly reason: 'missing' | 'busy' | 'other',
    message: string,
  ) {
    super(message);
    this.name = 'PortOpenError';
  }
}

function openFailure(path: string, err: unknown): PortOpenError {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || /no such file|not found|cannot find/i.test(text)) return new PortOpenError('missing', `the serial port ${path} does not exist (${text})`);
  if (code === 'EBUSY' || /cannot lock port|resource busy|temporarily unavailable|access denied/i.test(text)) {
    return new PortOpenError('busy', `the serial port ${path} is in use by another program (${text})`);
  }
  return new PortOpenError('other', `the serial port ${path} could not be opened (${text})`);
}

export class SerialLine {
  private consumer: ((data: Buffer) => void) | null = null;
  private pending: Buffer[] = [];
  private writing: Promise<void> = Promise.resolve();
  private closing = false;
  private readonly ended: Promise<void>;
  private failure: Error | null = null;
  private failureListeners = new Set<(err: Error) => void>();
  /** whether the binding can set and read the control lines (a pty cannot) */
  controlLines: boolean | null = null;
  /** bytes written and read, for the log and the bench */
  written = 0;
  read = 0;

  private constructor(
    readonly path: string,
    private readonly port: BindingPort,
  ) {
    this.ended = this.readLoop();
  }

  static async open(binding: SerialBinding, path: string, baudRate: number): Promise<SerialLine> {
    const options: OpenOptions = { path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xon: false, xoff: false, lock: true, hupcl: true };
    let port: BindingPort;
    try {
      port = await binding.open(options);
    } catch (err) {
      throw openFailure(path, err);
    }
    const line = new SerialLine(path, port);
    await line.setDtr(true);
    return line;
  }

  private async readLoop(): Promise<void> {
    const buffer = Buffer.alloc(4096);
    while (!this.closing) {
      let n: number;
      try {
        n = (await this.port.read(buffer, 0, buffer.length)).bytesRead;
      } catch (err) {
        if (!this.closing && !(err as { canceled?: boolean }).canceled) this.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (n <= 0) continue;
      this.read += n;
      const chunk = Buffer.from(buffer.subarray(0, n));
      if (this.consumer) this.consumer(chunk);
      else this.pending.push(chunk);
    }
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const fn of this.failureListeners) fn(err);
  }

  /** Calls `fn` when the port fails (unplugged); at once if it has. Returns the unsubscribe. */
  onFailure(fn: (err: Error) => void): () => void {
    if (this.failure) fn(this.failure);
    this.failureListeners.add(fn);
    return () => this.failureListeners.delete(fn);
  }

  /** Who gets what is read from now on (what arrived meanwhile first); null keeps it for the next one. */
  setConsumer(fn: ((data: Buffer) => void) | null): void {
    this.consumer = fn;
    if (fn && this.pending.length) {
      const held = Buffer.concat(this.pending);
      this.pending = [];
      fn(held);
    }
  }

  /** Drops what was read and not yet consumed. */
  discardPending(): void {
    this.pending = [];
  }

  write(data: Buffer | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const next = this.writing.then(async () => {
      if (this.failure) throw this.failure;
      await this.port.write(bytes);
      this.written += bytes.length;
    });
    // A failed write fails its caller, not the writes after it.
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Sets DTR; false when the port has no control lines (a pty: "Inappropriate ioctl"). */
  async setDtr(on: boolean): Promise<boolean> {
    if (this.controlLines === false) return false;
    try {
      await this.port.set({ dtr: on, rts: true });
      this.controlLines = true;
      return true;
    } catch {
      this.controlLines = false;
      return false;
    }
  }

  /** DCD (carrier detect), or null when the port cannot tell. */
  async carrier(): Promise<boolean | null> {
    if (this.controlLines === false) return null;
    try {
      return (await this.port.get()).dcd;
    } catch {
      return null;
    }
  }

  /** Drops DTR (the modem hangs up, &D2) and closes the port at once. Never throws. */
  async close(): Promise<void> {
    if (this.closing) return this.ended;
    // A write the other side never takes (a full pty) is cancelled by the close after a moment.
    await Promise.race([this.writing, new Promise((r) => setTimeout(r, 1000).unref())]);
    await this.setDtr(false);
    this.closing = true;
    try {
      await this.port.close();
    } catch {
      // already closed (unplugged): nothing is held any more
    }
    await this.ended;
  }
}
