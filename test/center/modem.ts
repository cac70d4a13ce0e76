/**
 * `express-center modem`: a Hayes-compatible modem on the center's end of a pty pair, which
 * answers the product's AT dialogue, "connects" the numbers dialled as its plan says
 * (modem-plan.ts), passes bytes at the line's speed (modem-pacer.ts) and hands the call's bytes
 * to the center's receiver (modem-receiver.ts). docs/formats/dialup.md "The center's modem".
 *
 * A pty has no DCD: when the plan drops the carrier, the modem says NO CARRIER in-band (as a
 * modem does to its own computer) and goes back to command mode; the caller reads that.
 *
 * Each call is recorded when it ends (ATH, a dropped carrier, the stop) as one JSON line in
 * DIR/dialup-calls.jsonl: the number, when it connected and ended, how it ended, the reports
 * acknowledged on it and those it stored. A call that carries several reports (一括通報) waits
 * `batchWaitMs` for the next one after each final, then hangs up (NO CARRIER to the caller).
 * With `batch: false` it is an older center without 一括通報: its final never says `batch`, it
 * takes no other report on the call, and it hangs up `batchWaitMs` after the final unless the
 * caller has hung up first.
 */
import { SerialPort } from 'serialport';
import type { CenterStore } from './store';
import { recordCall, type ModemCallRecord } from './modem-calls';
import { PlanBook, type ModemPlan, type PlannedCall } from './modem-plan';
import { Pacer } from './modem-pacer';
import { ModemReceiver } from './modem-receiver';

export { CALLS_FILE, type ModemCallRecord } from './modem-calls';

export interface ModemOptions {
  device: string;
  /** the line's speed: CONNECT says it and bytes pass at it (default 33600) */
  baud: number;
  store: CenterStore;
  plan: ModemPlan;
  /** S12, the escape guard time (default 1000 ms) */
  guardMs?: number;
  /** S8, the pause of a comma in a dial string (default 2000 ms) */
  commaMs?: number;
  /** how long from the dial to the result when the plan does not say (default 200 ms) */
  answerDelayMs?: number;
  /** how long a call waits for the next report after a final that said batch (default 10 s) */
  batchWaitMs?: number;
  /** false: a center without 一括通報, which hangs up `batchWaitMs` after each final (default true) */
  batch?: boolean;
  log(line: string): void;
}

type Port = Awaited<ReturnType<typeof SerialPort.binding.open>>;

const CODES: Record<string, number> = { OK: 0, CONNECT: 1, RING: 2, 'NO CARRIER': 3, ERROR: 4, 'NO DIALTONE': 6, BUSY: 7, 'NO ANSWER': 8 };

interface Settings {
  echo: boolean;
  verbose: boolean;
  quiet: boolean;
  x: number;
  s: Map<number, number>;
}

export class HayesModem {
  private state: 'command' | 'dialing' | 'online' = 'command';
  private settings: Settings;
  private line = '';
  private out: Promise<void> = Promise.resolve();
  private readonly outPacer: Pacer;
  private readonly inPacer: Pacer;
  private call: { number: string; plan: PlannedCall; bytes: number; receiver: ModemReceiver; corrupt: Set<number>; up: boolean; connectedAt: Date } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private dialTimer: NodeJS.Timeout | null = null;
  private lastArrival = 0;
  private pluses = 0;
  private escapeTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private readLoop: Promise<void> = Promise.resolve();
  /** reports stored since the start */
  stored = 0;

  private constructor(
    private readonly port: Port,
    private readonly options: ModemOptions,
    private readonly book: PlanBook,
  ) {
    this.settings = this.defaults();
    this.outPacer = new Pacer(options.baud, (b) => this.write(b));
    this.inPacer = new Pacer(options.baud, (b) => this.online(b));
  }

  static async start(options: ModemOptions): Promise<HayesModem> {
    const port = await SerialPort.binding.open({ path: options.device, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, lock: false });
    const modem = new HayesModem(port, options, new PlanBook(options.plan));
    modem.readLoop = modem.read();
    return modem;
  }

  private defaults(): Settings {
    const guard = this.options.guardMs ?? 1000;
    return { echo: true, verbose: true, quiet: false, x: 4, s: new Map([[7, 50], [8, 2], [12, Math.max(1, Math.round(guard / 20))]]) };
  }

  private get guardMs(): number {
    return (this.settings.s.get(12) ?? 50) * 20;
  }

  private async read(): Promise<void> {
    const buffer = Buffer.alloc(4096);
    while (!this.closing) {
      let n: number;
      try {
        n = (await this.port.read(buffer, 0, buffer.length)).bytesRead;
      } catch (err) {
        if (!this.closing) this.options.log(`modem: read failed (${(err as Error).message})`);
        return;
      }
      if (n > 0) this.arrived(Buffer.from(buffer.subarray(0, n)));
    }
  }

  private write(bytes: Buffer): Promise<void> {
    this.out = this.out.then(() => this.port.write(bytes)).catch((err: unknown) => this.options.log(`modem: write failed (${(err as Error).message})`));
    return this.out;
  }

  /** A result in the current form (verbose or numeric), unless quiet. */
  private result(text: string): void {
    if (this.settings.quiet) return;
    const code = text.startsWith('CONNECT') ? (text === 'CONNECT 1200' ? 5 : 1) : CODES[text];
    const bytes = this.settings.verbose ? `\r\n${text}\r\n` : `${code ?? 4}\r`;
    this.options.log(`result: ${text}`);
    if (this.call?.up) this.outPacer.push(Buffer.from(bytes, 'latin1'));
    else void this.write(Buffer.from(bytes, 'latin1'));
  }

  private arrived(bytes: Buffer): void {
    if (this.book.silent) return;
    const now = Date.now();
    const silence = now - this.lastArrival;
    this.lastArrival = now;
    if (this.state === 'online') return this.onlineArrival(bytes, silence);
    if (this.state === 'dialing') {
      // Any character aborts a dial.
      this.endDial('aborted by the caller');
      return;
    }
    for (const byte of bytes) {
      const ch = String.fromCharCode(byte);
      if (this.settings.echo) void this.write(Buffer.from([byte]));
      if (ch === '\r') {
        const line = this.line.trim();
        this.line = '';
        // As a Hayes modem, what comes before "AT" on a command line is passed over ("+++ATH0").
        const at = line.search(/AT/i);
        if (at >= 0) this.execute(line.slice(at));
        if (this.state !== 'command') return;
      } else if (ch === '\b') this.line = this.line.slice(0, -1);
      else if (ch !== '\n' && this.line.length < 256) this.line += ch;
    }
  }

  /** Online: +++ between guard times escapes to command mode; everything else is the call's. */
  private onlineArrival(bytes: Buffer, silence: number): void {
    const allPlus = bytes.every((b) => b === 0x2b);
    if (allPlus && (this.pluses > 0 || silence >= this.guardMs) && this.pluses + bytes.length <= 3) {
      this.pluses += bytes.length;
      if (this.pluses === 3) {
        this.escapeTimer = setTimeout(() => {
          this.pluses = 0;
          this.inPacer.clear();
          this.state = 'command';
          this.options.log('escape: +++');
          this.result('OK');
        }, this.guardMs);
      }
      return;
    }
    if (this.pluses > 0) {
      if (this.escapeTimer) clearTimeout(this.escapeTimer);
      this.inPacer.push(Buffer.alloc(this.pluses, 0x2b));
      this.pluses = 0;
    }
    this.inPacer.push(bytes);
  }

  /** Bytes of the call, at the line's speed: the plan's drop and damage, then the receiver. */
  private online(bytes: Buffer): void {
    const call = this.call;
    if (!call || this.state !== 'online') return;
    const { plan } = call;
    if (plan.dropAfterBytes !== undefined && call.bytes + bytes.length > plan.dropAfterBytes) {
      const keep = plan.dropAfterBytes - call.bytes;
      if (keep > 0) this.passOn(bytes.subarray(0, keep));
      this.options.log(`carrier: dropped after ${plan.dropAfterBytes} bytes`);
      this.drop('dropped');
      return;
    }
    this.passOn(bytes);
  }

  /** The carrier goes: what was in flight is lost, NO CARRIER in-band, back to command mode. */
  private drop(how: ModemCallRecord['ended']): void {
    this.endCall(how);
    this.inPacer.clear();
    this.state = 'command';
    this.outPacer.clear();
    this.result('NO CARRIER');
  }

  /** Records the call (once) and forgets it. */
  private endCall(how: ModemCallRecord['ended']): void {
    const call = this.call;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!call) return;
    this.call = null;
    const r = call.receiver;
    const record: ModemCallRecord = {
      number: call.number, connectedAt: call.connectedAt.toISOString(), endedAt: new Date().toISOString(), ended: how, bye: r.bye,
      acknowledged: r.acknowledged.slice(), stored: r.storedIds.slice(), bytesFromCaller: call.bytes,
    };
    this.options.log(`call: ended (${how}) after ${record.acknowledged.length} report(s), ${record.stored.length} stored`);
    recordCall(this.options.store, record, this.options.log);
  }

  private passOn(bytes: Buffer): void {
    const call = this.call!;
    const copy = Buffer.from(bytes);
    for (let i = 0; i < copy.length; i++) {
      const at = call.bytes + i;
      if (call.corrupt.has(at) || (call.plan.corruptEvery !== undefined && (at + 1) % call.plan.corruptEvery === 0)) copy[i] = copy[i]! ^ 0x55;
    }
    call.bytes += copy.length;
    call.receiver.push(copy);
  }

  private execute(line: string): void {
    this.options.log(`command: ${line}`);
    const text = line.slice(2).toUpperCase();
    let i = 0;
    const digits = (): number | null => {
      const m = /^\d+/.exec(text.slice(i));
      if (!m) return null;
      i += m[0].length;
      return Number(m[0]);
    };
    while (i < text.length) {
      const c = text[i++]!;
      if (c === ' ') continue;
      if (c === 'D') return this.dial(line.slice(2 + i));
      let ok = true;
      switch (c) {
        case 'Z':
          this.settings = this.defaults();
          digits();
          break;
        case 'E': this.settings.echo = (digits() ?? 0) === 1; break;
        case 'V': this.settings.verbose = (digits() ?? 0) === 1; break;
        case 'Q': this.settings.quiet = (digits() ?? 0) === 1; break;
        case 'X': {
          const x = digits() ?? 0;
          ok = x <= 4;
          if (ok) this.settings.x = x;
          break;
        }
        case 'L': case 'M': case 'I':
          digits();
          break;
        case 'H':
          digits();
          if (this.call) this.options.log('hang-up: ATH');
          this.endCall('hang-up');
          this.inPacer.clear();
          break;
        case 'O':
          digits();
          if (this.call?.up) {
            this.state = 'online';
            this.result(this.connectText(this.call.plan));
            return;
          }
          ok = false;
          break;
        case '&': {
          const k = text[i++];
          ok = k !== undefined && 'CDFKQSW'.includes(k);
          digits();
          if (k === 'F') this.settings = this.defaults();
          break;
        }
        case 'S': {
          const n = digits();
          if (n === null || n > 99) { ok = false; break; }
          if (text[i] === '=') {
            i++;
            const v = digits() ?? 0;
            ok = v <= 255;
            if (ok) this.settings.s.set(n, v);
          } else if (text[i] === '?') {
            i++;
            void this.write(Buffer.from(`\r\n${String(this.settings.s.get(n) ?? 0).padStart(3, '0')}\r\n`, 'latin1'));
          } else ok = false;
          break;
        }
        default:
          ok = false;
      }
      if (!ok) {
        this.options.log(`error: ${line} (at ${JSON.stringify(c)})`);
        this.result('ERROR');
        return;
      }
    }
    this.result('OK');
  }

  private connectText(plan: PlannedCall): string {
    return this.settings.x === 0 ? 'CONNECT' : `CONNECT ${plan.speed ?? this.options.baud}`;
  }

  private dial(rest: string): void {
    const m = /^\s*([TP]?)(.*)$/i.exec(rest)!;
    const mode = m[1]!.toUpperCase() === 'P' ? 'pulse' : 'tone';
    const number = m[2]!.trim().replace(/;$/, '');
    this.options.log(`dial: ${mode} ${number}`);
    const plan = this.book.next(number);
    const commas = (number.match(/,/g) ?? []).length;
    const commaMs = this.options.commaMs ?? (this.settings.s.get(8) ?? 2) * 1000;
    const delay = commas * commaMs;
    this.state = 'dialing';
    const answer = plan.answerDelayMs ?? this.options.answerDelayMs ?? 200;
    const wait = plan.result === 'ring' ? (this.settings.s.get(7) ?? 50) * 1000 : answer;
    this.dialTimer = setTimeout(() => this.answered(number, plan), delay + wait);
  }

  private endDial(why: string): void {
    if (this.dialTimer) clearTimeout(this.dialTimer);
    this.dialTimer = null;
    this.state = 'command';
    this.options.log(`dial: ${why}`);
    this.result('NO CARRIER');
  }

  private answered(number: string, plan: PlannedCall): void {
    this.dialTimer = null;
    this.state = 'command';
    const x = this.settings.x;
    switch (plan.result) {
      case 'busy': return this.result(x >= 3 ? 'BUSY' : 'NO CARRIER');
      case 'no-dialtone': return this.result(x === 2 || x === 4 ? 'NO DIALTONE' : 'NO CARRIER');
      case 'no-answer': return this.result(x >= 1 ? 'NO ANSWER' : 'NO CARRIER');
      case 'no-carrier': case 'ring': return this.result('NO CARRIER');
      case 'connect': break;
    }
    const bps = plan.speed ?? this.options.baud;
    this.outPacer.setRate(bps);
    this.inPacer.setRate(bps);
    if (this.call) this.endCall('hang-up');
    const batchWaitMs = this.options.batchWaitMs ?? 10_000;
    const receiver = new ModemReceiver(
      { store: this.options.store, number, bps, noFinalAck: plan.noFinalAck, batch: this.options.batch !== false },
      (bytes) => this.outPacer.push(bytes),
      {
        log: this.options.log,
        stored: () => this.stored++,
        waiting: () => this.hangUpAfter(receiver, batchWaitMs, `no other report within ${batchWaitMs} ms after the final`),
        // An older center (batch: false) lets the call go after the final.
        ended: () => {
          if (this.options.batch === false) this.hangUpAfter(receiver, batchWaitMs, `${batchWaitMs} ms after the final (a center without 一括通報)`);
        },
        busy: () => {
          if (this.idleTimer) clearTimeout(this.idleTimer);
          this.idleTimer = null;
        },
      },
    );
    this.call = { number, plan, bytes: 0, receiver, corrupt: new Set(plan.corruptAt ?? []), up: true, connectedAt: new Date() };
    this.lastArrival = Date.now();
    this.result(this.connectText(plan));
    this.state = 'online';
  }

  /** Drops the call of `receiver` after `ms` (once the final's bytes are out), unless it ended before. */
  private hangUpAfter(receiver: ModemReceiver, ms: number, why: string): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const fire = () => {
      this.idleTimer = null;
      if (this.call?.receiver !== receiver || this.state !== 'online') return;
      if (!this.outPacer.idle) {
        this.idleTimer = setTimeout(fire, 20);
        return;
      }
      this.options.log(`carrier: ${why}; hung up`);
      this.drop('idle');
    };
    this.idleTimer = setTimeout(fire, ms);
  }

  async stop(): Promise<void> {
    this.closing = true;
    if (this.dialTimer) clearTimeout(this.dialTimer);
    if (this.escapeTimer) clearTimeout(this.escapeTimer);
    this.inPacer.clear();
    this.outPacer.clear();
    const receiver = this.call?.receiver;
    await receiver?.idle();
    this.endCall('stopped');
    await this.port.close().catch(() => undefined);
    await this.readLoop;
  }
}
