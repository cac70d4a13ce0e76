/**
 * Express Report by modem: reports carried on calls to one number (docs/formats/dialup.md). A
 * report is sent on a call kept up from the report before it (一括通報, call-keeper.ts) or on a
 * new call (dial-out.ts: the port's turn, the interval, the lock, the AT dialogue); after its
 * final acknowledgement the call is hung up — or, where the method lingers and the center takes
 * another report on the call, kept up for the next one. Every failure is one `Delivery` with its
 * step (channels/steps.ts MODEM_STEPS) and a one-line English detail saying what to check; after
 * a failure the call is hung up and the next report dials afresh.
 */
import { DEFAULT_DIALOGUE_TIMES, type DialogueTimes } from './at-dialogue';
import { probeBmc } from './bmc';
import type { CallKeeper } from './call-keeper';
import { callKey, dialOut, MAX_CARRIER_WAIT_MS, type Failure, type LiveCall } from './dial-out';
import type { LineBook } from './line-book';
import { buildPayload, type Payload } from './payload';
import type { RedialMemory } from './redial';
import type { SerialBinding } from './serial-line';
import { DEFAULT_TRANSFER, sendPayload, type TransferOptions } from './transfer';
import { LOCK_DIRS } from './uucp-lock';
import type { Delivery, OutgoingReport, Reporter } from '../reporter';
import type { StepOf } from '../steps';

export type DialupStep = StepOf<'dialup'>;
export { MAX_CARRIER_WAIT_MS };

/** What one destination is called with (from the method's dial-up settings). */
export interface DialupCallConfig {
  via: 'serial' | 'server-management-port' | 'management-port';
  port: string;
  baudRate: number;
  initString: string;
  dialMode: 'tone' | 'pulse';
  /** the number exactly as stored (ゼロ発信 has put "0," in front where the site needs it) */
  number: string;
  sharePort: boolean;
  /** the dial-up interval between calls on the line */
  intervalMs: number;
  /**
   * 一括通報: how long a call stays up after a report's final acknowledgement, for the next
   * report (0: hung up after every report). Only with a center that takes several a call.
   */
  lingerMs: number;
}

/** What the channel shares between its calls, and what tests inject. */
export interface DialupRuntime {
  binding: () => SerialBinding | Promise<SerialBinding>;
  lines: LineBook;
  redial: RedialMemory;
  /** the calls kept up between reports */
  calls: CallKeeper;
  /** the UUCP lock folders looked for, first found wins (default /run/lock, /var/lock) */
  lockDirs: readonly string[];
  /** the IPMI devices a BMC route looks for */
  bmcDevices?: readonly string[];
  times: DialogueTimes;
  transfer: Omit<TransferOptions, 'lineBps'>;
  /** the longest wait from the dial to CONNECT (S7-like; at most 115 s: 第11条 releases within 2 minutes) */
  carrierWaitMs: number;
  /** with port sharing, how long a port locked by another program is waited for (default 30 s) */
  portWaitMs: number;
  /** the clock of the redial rule */
  now: () => number;
  /** process.platform (UUCP locks are a Unix convention) */
  platform?: NodeJS.Platform;
  log: (line: string) => void;
  /** what each call saw, for tests and the bench (told at its hang-up) */
  onCall?: (call: CallRecord) => void;
}

/** One call as it went (the reports it carried summed). */
export interface CallRecord {
  number: string;
  command: string | null;
  result: string | null;
  dialedAt: number | null;
  connectedAt: number | null;
  hungUpAt: number;
  bytesWritten: number;
  bytesRead: number;
  /** the compressed payloads and the containers before compression */
  payloadBytes: number;
  rawBytes: number;
  /** bytes each way from CONNECT to the end of the transfers (frames only: the framing's cost) */
  transferWritten: number;
  transferRead: number;
  /** where the call's first transfer began (a resume: more than 0) */
  resumedFrom: number | null;
  /** data frames sent in this call, and those of them sent more than once */
  framesSent: number;
  resent: number;
  /** the reports whose transfer began on this call, and the ids the center acknowledged, in order */
  reports: number;
  ids: string[];
  /** the call's last report was delivered */
  delivered: boolean;
  /** what ended the call (null: its last report was delivered) */
  step: DialupStep | null;
  transcript: string[];
}

export function defaultRuntimeParts(): Pick<DialupRuntime, 'lockDirs' | 'times' | 'transfer' | 'carrierWaitMs' | 'portWaitMs'> {
  return { lockDirs: LOCK_DIRS, times: DEFAULT_DIALOGUE_TIMES, transfer: DEFAULT_TRANSFER, carrierWaitMs: 60_000, portWaitMs: 30_000 };
}

const DIAL_CHARS = /^[0-9,#*-]+$/;

export function createDialupReporter(config: DialupCallConfig, rt: DialupRuntime): Reporter {
  const destination = config.number.trim();
  const fail = (step: DialupStep, retryable: boolean, detail: string): Failure => ({ ok: false, destination, channel: 'dialup', step, retryable, detail });

  async function before(report: OutgoingReport): Promise<Failure | Payload> {
    if (config.via !== 'serial') {
      const bmc = await probeBmc(rt.bmcDevices);
      const route = config.via === 'server-management-port' ? 'the server management port' : 'the management port';
      if (!bmc.found) return fail('bmc', false, `${route} calls through the server's BMC, and this machine has no reachable BMC (looked for ${bmc.lookedFor.join(', ')}): choose the serial port, or load the IPMI driver (ipmi_si, ipmi_devintf)`);
      return fail('bmc', false, `${route} calls through the BMC (${bmc.device}), which this version cannot dial through yet: choose the serial port`);
    }
    if (!config.port.trim()) return fail('config', false, 'no serial port is set: set the serial port of the modem in the destination settings');
    if (!destination) return fail('config', false, 'no telephone number is set for this destination');
    if (!DIAL_CHARS.test(destination)) return fail('config', false, `the telephone number ${JSON.stringify(destination)} holds characters a modem cannot dial (digits, "-", ",", "#", "*")`);
    try {
      return await buildPayload(report);
    } catch (err) {
      return fail('protocol', false, `the report cannot be sent as it is (${(err as Error).message}): this is a product error; contact support`);
    }
  }

  async function send(report: OutgoingReport, options: { signal?: AbortSignal } = {}): Promise<Delivery> {
    const signal = options.signal;
    const ready = await before(report);
    if ('ok' in ready) return ready;
    const payload = ready;
    const id = report.envelope.id;
    if (signal?.aborted) return fail('cancelled', true, 'cancelled before the call');
    // 一括通報: the call the report before this one left up, when it is to the same number with the same settings.
    const kept = await rt.calls.claim(config.port, callKey(config));
    if (kept) {
      const carried = await carry(kept, payload, id, signal, true);
      if (carried !== 'dial-again') return carried;
    }
    const allowed = rt.redial.allowedAt(destination);
    if (allowed > rt.now()) {
      const wait = Math.ceil((allowed - rt.now()) / 1000);
      return fail('redial-limit', true, `${destination} was called 3 times within 3 minutes (端末設備等規則 第11条 allows 2 redials): the next call waits for the report schedule (allowed in ${wait} s)`);
    }
    if (signal?.aborted) return fail('cancelled', true, 'cancelled before the call');
    let giveBack: () => void;
    try {
      giveBack = await rt.lines.take(config.port, signal);
    } catch {
      return fail('cancelled', true, 'cancelled while another call held the line');
    }
    const call = await dialOut(config, rt, giveBack, signal);
    if ('ok' in call) return call;
    return (await carry(call, payload, id, signal, false)) as Delivery;
  }

  /**
   * Sends one report on a connected call; after it the call is parked for the next report or
   * hung up. 'dial-again': a kept call the center no longer answered on (it was hung up; the
   * report goes on a new call).
   */
  async function carry(call: LiveCall, payload: Payload, id: string, signal: AbortSignal | undefined, kept: boolean): Promise<Delivery | 'dial-again'> {
    const { record } = call;
    const line = call.line!;
    const batch = config.lingerMs > 0;
    call.batch = false;
    record.reports++;
    record.payloadBytes += payload.bytes.length;
    record.rawBytes += payload.rawSize;
    const [w0, r0] = [line.written, line.read];
    const sent = await sendPayload(line, id, payload, { ...rt.transfer, lineBps: call.lineBps, batch }, signal);
    record.transferWritten += line.written - w0;
    record.transferRead += line.read - r0;
    record.resumedFrom ??= sent.stats.resumedFrom;
    record.resent += sent.stats.resent;
    record.framesSent += sent.stats.framesSent;
    if (sent.ok) {
      rt.redial.delivered(destination);
      record.ids.push(id);
      record.delivered = true;
      record.step = null;
      const resumed = sent.stats.resumedFrom > 0 ? `, resumed at frame ${sent.stats.resumedFrom}` : '';
      const onCall = record.ids.length > 1 ? `, report ${record.ids.length} on this call` : '';
      const what = sent.duplicate ? `the center already had report ${id} and acknowledged it again` : `the center acknowledged report ${id}`;
      const delivery: Delivery = { ok: true, destination, detail: `${what} (${sent.stats.frames} frames, ${payload.bytes.length} bytes${resumed}${onCall})` };
      call.batch = sent.more;
      if (sent.more && !signal?.aborted) rt.calls.park(config.port, call, config.lingerMs);
      else await call.end();
      return delivery;
    }
    record.delivered = false;
    // The modem said NO CARRIER: it is back in command mode, no escape is owed.
    if (sent.problem === 'line-dropped' && /NO CARRIER/.test(sent.detail)) call.state = 'command';
    if (kept && !sent.stats.answered && sent.problem !== 'cancelled') {
      // The center let the kept call go while it waited (or the line went): a new call, at once.
      rt.log(`dial-up: the call kept up to ${destination} did not answer the next report (${sent.detail}); calling again`);
      record.step = sent.problem === 'line-dropped' ? 'line-dropped' : 'protocol';
      await call.end();
      return 'dial-again';
    }
    const failure = transferFailure(sent.problem, sent.detail);
    record.step = failure.step as DialupStep;
    await call.end();
    return failure;
  }

  function transferFailure(problem: 'line-dropped' | 'crc' | 'no-final-ack' | 'protocol' | 'cancelled', detail: string): Failure {
    switch (problem) {
      case 'cancelled':
        return fail('cancelled', true, `${detail}; the call was hung up`);
      case 'line-dropped':
        return fail('line-dropped', true, `${detail}; the report is sent again later`);
      case 'crc':
        return fail('crc', true, `${detail}: check the telephone line (noise); the report is sent again later`);
      case 'no-final-ack':
        return fail('no-final-ack', true, `${detail}; the report is sent again later`);
      default:
        return fail('protocol', true, `${detail}: check that ${destination} is the maintenance center's number`);
    }
  }

  return { name: `dialup:${destination}`, channel: 'dialup', send };
}
