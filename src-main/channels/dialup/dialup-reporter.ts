/**
 * Express Report by modem: one call to one number (docs/formats/dialup.md). The port's turn and
 * the dial-up interval, the UUCP lock, the port opened 8N1, the modem woken and initialised, the
 * number dialled as stored, the framed transfer after CONNECT — and the hang-up after every
 * call, whatever happened: escape, ATH0, DTR dropped, the port and the lock released at once.
 * Every failure is one `Delivery` with its step (channels/steps.ts MODEM_STEPS) and a one-line
 * English detail saying what to check.
 */
import { CancelledError, PortFailedError, DEFAULT_DIALOGUE_TIMES, Dialogue, dialCommand, initCommand, sleep, type DialogueTimes } from './at-dialogue';
import { probeBmc } from './bmc';
import type { LineBook } from './line-book';
import { buildPayload, type Payload } from './payload';
import type { RedialMemory } from './redial';
import { PortOpenError, SerialLine, type SerialBinding } from './serial-line';
import { DEFAULT_TRANSFER, sendPayload, type TransferOptions } from './transfer';
import { findLockDir, LOCK_DIRS, takeLock } from './uucp-lock';
import type { Delivery, OutgoingReport, Reporter } from '../reporter';
import type { StepOf } from '../steps';

export type DialupStep = StepOf<'dialup'>;
type Failure = Extract<Delivery, { ok: false }>;

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
}

/** What the channel shares between its calls, and what tests inject. */
export interface DialupRuntime {
  binding: () => SerialBinding | Promise<SerialBinding>;
  lines: LineBook;
  redial: RedialMemory;
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
  /** what each call saw, for tests and the bench */
  onCall?: (call: CallRecord) => void;
}

/** One call as it went. */
export interface CallRecord {
  number: string;
  command: string | null;
  result: string | null;
  dialedAt: number | null;
  connectedAt: number | null;
  hungUpAt: number;
  bytesWritten: number;
  bytesRead: number;
  /** the compressed payload and the container before compression */
  payloadBytes: number;
  rawBytes: number;
  /** bytes each way from CONNECT to the end of the transfer (frames only: the framing's cost) */
  transferWritten: number;
  transferRead: number;
  resumedFrom: number | null;
  /** data frames sent in this call, and those of them sent more than once */
  framesSent: number;
  resent: number;
  delivered: boolean;
  step: DialupStep | null;
  transcript: string[];
}

export const MAX_CARRIER_WAIT_MS = 115_000;

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
    try {
      return await call(payload, report.envelope.id, signal);
    } finally {
      giveBack();
    }
  }

  async function lockPort(signal?: AbortSignal): Promise<Failure | (() => Promise<void>)> {
    // Windows has no UUCP locks: a port another program holds fails the exclusive open (port-busy).
    if (rt.platform === 'win32') return async () => undefined;
    const dir = await findLockDir(rt.lockDirs);
    if (!dir) {
      if (config.sharePort) return fail('config', false, `port sharing needs a UUCP lock folder and none exists (${rt.lockDirs.join(', ')})`);
      return async () => undefined;
    }
    const end = Date.now() + (config.sharePort ? rt.portWaitMs : 0);
    for (;;) {
      const lock = await takeLock(dir, config.port);
      if (lock.ok) {
        if (lock.removedStale !== null) rt.log(`dial-up: removed the stale lock ${lock.file} (pid ${lock.removedStale} is gone)`);
        return lock.release;
      }
      if (!lock.busy) {
        if (config.sharePort) return fail('config', false, `${lock.reason}: port sharing needs it; run the service as a user who may write there`);
        rt.log(`dial-up: ${lock.reason}; calling without a UUCP lock`);
        return async () => undefined;
      }
      if (Date.now() >= end || signal?.aborted) {
        const waited = config.sharePort ? ` (waited ${Math.round(rt.portWaitMs / 1000)} s)` : '';
        return fail('port-busy', true, `the serial port ${config.port} is in use by another program, pid ${lock.pid} (lock ${lock.file})${waited}: the report is sent again later`);
      }
      await sleep(Math.min(1000, Math.max(10, end - Date.now()))).catch(() => undefined);
    }
  }

  async function call(payload: Payload, id: string, signal?: AbortSignal): Promise<Delivery> {
    const record: CallRecord = {
      number: destination, command: null, result: null, dialedAt: null, connectedAt: null, hungUpAt: 0,
      bytesWritten: 0, bytesRead: 0, payloadBytes: payload.bytes.length, rawBytes: payload.rawSize, transferWritten: 0, transferRead: 0, resumedFrom: null, framesSent: 0, resent: 0, delivered: false, step: null, transcript: [],
    };
    const finish = (d: Delivery): Delivery => {
      record.delivered = d.ok;
      record.step = d.ok ? null : (d.step as DialupStep);
      return d;
    };
    const wait = rt.lines.waitBeforeDial(config.port, config.intervalMs);
    if (wait > 0) {
      rt.log(`dial-up: waiting ${Math.ceil(wait / 1000)} s (the dial-up interval) before calling ${destination}`);
      try {
        await sleep(wait, signal);
      } catch {
        return fail('cancelled', true, 'cancelled during the dial-up interval');
      }
    }
    const unlocked = await lockPort(signal);
    if (typeof unlocked !== 'function') {
      record.hungUpAt = Date.now();
      finish(unlocked);
      rt.onCall?.(record);
      return unlocked;
    }
    let line: SerialLine | null = null;
    let state: 'closed' | 'command' | 'dialing' | 'online' = 'closed';
    let dialogue: Dialogue | null = null;
    let responsive = false;
    try {
      let binding: SerialBinding;
      try {
        binding = await rt.binding();
      } catch (err) {
        return finish(fail('config', false, `the serial port driver (serialport) cannot be loaded on this machine (${(err as Error).message}): contact support`));
      }
      const openEnd = Date.now() + (config.sharePort ? rt.portWaitMs : 0);
      for (;;) {
        try {
          line = await SerialLine.open(binding, config.port, config.baudRate);
          break;
        } catch (err) {
          const e = err instanceof PortOpenError ? err : new PortOpenError('other', String(err));
          if (e.reason !== 'busy') return finish(fail('port-missing', true, `${e.message}: check the serial port in the destination settings and that the modem is connected`));
          // With sharing, a port the remote access service holds is waited for.
          if (Date.now() >= openEnd || signal?.aborted) return finish(fail('port-busy', true, `${e.message}: the report is sent again later`));
          await sleep(1000, signal).catch(() => undefined);
        }
      }
      state = 'command';
      dialogue = new Dialogue(line, rt.times);
      dialogue.attach();
      const woke = await dialogue.wake(signal);
      if (!woke) return finish(fail('no-response', true, `the modem does not respond on ${config.port} (check the cable and the port, and that the modem is on)`));
      responsive = true;
      const init = initCommand(config.initString);
      const inited = await dialogue.command(init, rt.times.responseMs, signal);
      if (!inited) return finish(fail('no-response', true, `the modem did not answer the init string ${init} on ${config.port} (check the cable and the port)`));
      if (inited.code !== 'OK') return finish(fail('init-error', false, `the modem answered ${inited.text} to the init string ${init}: check the init string for this modem`));

      const command = dialCommand(config.dialMode, destination);
      record.command = command;
      rt.redial.called(destination);
      record.dialedAt = Date.now();
      state = 'dialing';
      const carrierMs = Math.min(rt.carrierWaitMs, MAX_CARRIER_WAIT_MS);
      const result = await dialogue.command(command, carrierMs, signal);
      record.result = result?.text ?? null;
      if (!result) {
        return finish(fail('no-answer', true, `no answer from ${destination} within ${Math.round(carrierMs / 1000)} s; the call was released (the report is sent again later)`));
      }
      state = 'command';
      switch (result.code) {
        case 'BUSY':
          return finish(fail('busy', true, `${destination} was busy (BUSY); the report is sent again later`));
        case 'NO ANSWER':
          return finish(fail('no-answer', true, `${destination} did not answer (NO ANSWER); the report is sent again later`));
        case 'NO DIALTONE':
          return finish(fail('no-dialtone', true, `the modem found no dial tone (NO DIALTONE): check the telephone line and its cable`));
        case 'NO CARRIER':
          return finish(fail('no-carrier', true, `no carrier from ${destination} (NO CARRIER): check the telephone number and that it answers with a modem`));
        case 'ERROR':
          return finish(fail('config', false, `the modem refused the dial command ${command} (ERROR): check the telephone number`));
        case 'CONNECT':
          break;
        default:
          return finish(fail('protocol', true, `the modem answered ${result.text} to ${command}`));
      }
      state = 'online';
      record.connectedAt = Date.now();
      rt.log(`dial-up: ${destination} answered (${result.text})`);
      const lineBps = result.speed && result.speed >= 300 ? Math.min(result.speed, config.baudRate) : config.baudRate;
      const [w0, r0] = [line.written, line.read];
      const sent = await sendPayload(line, id, payload, { ...rt.transfer, lineBps }, signal);
      record.transferWritten = line.written - w0;
      record.transferRead = line.read - r0;
      record.resumedFrom = sent.stats.resumedFrom;
      record.resent = sent.stats.resent;
      record.framesSent = sent.stats.framesSent;
      if (sent.ok) {
        rt.redial.delivered(destination);
        const resumed = sent.stats.resumedFrom > 0 ? `, resumed at frame ${sent.stats.resumedFrom}` : '';
        const what = sent.duplicate ? `the center already had report ${id} and acknowledged it again` : `the center acknowledged report ${id}`;
        return finish({ ok: true, destination, detail: `${what} (${sent.stats.frames} frames, ${payload.bytes.length} bytes${resumed})` });
      }
      if (sent.problem === 'line-dropped' && /NO CARRIER/.test(sent.detail)) state = 'command';
      switch (sent.problem) {
        case 'cancelled':
          return finish(fail('cancelled', true, `${sent.detail}; the call was hung up`));
        case 'line-dropped':
          return finish(fail('line-dropped', true, `${sent.detail}; the report is sent again later`));
        case 'crc':
          return finish(fail('crc', true, `${sent.detail}: check the telephone line (noise); the report is sent again later`));
        case 'no-final-ack':
          return finish(fail('no-final-ack', true, `${sent.detail}; the report is sent again later`));
        default:
          return finish(fail('protocol', true, `${sent.detail}: check that ${destination} is the maintenance center's number`));
      }
    } catch (err) {
      if (err instanceof CancelledError || signal?.aborted) return finish(fail('cancelled', true, `cancelled${state === 'dialing' ? ' while dialling' : ''}; the call was hung up`));
      if (err instanceof PortFailedError && state !== 'online') return finish(fail('port-missing', true, `${err.message} on ${config.port}: check that the modem is connected`));
      return finish(fail('line-dropped', true, `the call broke off (${(err as Error).message}); the report is sent again later`));
    } finally {
      if (line) {
        await hangUp(dialogue, state, responsive).catch((err: unknown) => rt.log(`dial-up: hang-up: ${(err as Error).message}`));
        record.bytesWritten = line.written;
        record.bytesRead = line.read;
        record.transcript = dialogue?.transcript.slice() ?? [];
        await line.close();
        rt.lines.hungUp(config.port);
      }
      record.hungUpAt = Date.now();
      await unlocked();
      rt.onCall?.(record);
    }
  }

  async function hangUp(dialogue: Dialogue | null, state: 'closed' | 'command' | 'dialing' | 'online', responsive: boolean): Promise<void> {
    if (!dialogue || state === 'closed') return;
    dialogue.attach();
    if (state === 'dialing') await dialogue.abortDial();
    if (state === 'online') {
      const escaped = await dialogue.escape();
      if (!escaped) rt.log('dial-up: the modem did not answer the escape (+++); ATH0 and DTR hang up');
    }
    const hung = await dialogue.command('ATH0', responsive ? rt.times.responseMs : 300);
    if (responsive && hung?.code !== 'OK') rt.log(`dial-up: ATH0 answered ${hung?.text ?? 'nothing'}; dropping DTR`);
  }

  return { name: `dialup:${destination}`, channel: 'dialup', send };
}
