/**
 * One call on the line (docs/formats/dialup.md "The dialogue"): from the port's turn to CONNECT —
 * the dial-up interval since the port's last hang-up, the UUCP lock, the port opened 8N1, the
 * modem woken and initialised, the number dialled as stored — and the hang-up that ends every
 * call, whatever happened: the goodbye when the center takes several reports a call, the escape,
 * ATH0, DTR dropped, the port, the lock and the port's turn released at once. What is carried on
 * the call between CONNECT and the hang-up is the reporter's (dialup-reporter.ts).
 */
import { CancelledError, PortFailedError, Dialogue, dialCommand, initCommand, sleep } from './at-dialogue';
import type { CallRecord, DialupCallConfig, DialupRuntime, DialupStep } from './dialup-reporter';
import { PortOpenError, SerialLine, type SerialBinding } from './serial-line';
import { sendBye } from './transfer';
import { findLockDir, takeLock } from './uucp-lock';
import type { Delivery } from '../reporter';

export type Failure = Extract<Delivery, { ok: false }>;
export type LineState = 'closed' | 'command' | 'dialing' | 'online';

export const MAX_CARRIER_WAIT_MS = 115_000;

/** A call from its start to its hang-up. */
export interface LiveCall {
  /** the call's settings as one string: a report with other settings does not ride this call */
  readonly key: string;
  readonly record: CallRecord;
  line: SerialLine | null;
  dialogue: Dialogue | null;
  state: LineState;
  /** the modem answered AT (ATH0 then waits for its OK) */
  responsive: boolean;
  /** the line's speed (CONNECT's, else the port's) */
  lineBps: number;
  /** the center's last final said it takes another report on this call (the goodbye is owed) */
  batch: boolean;
  /** hangs up and releases everything (once; later calls wait for the first) */
  end(): Promise<void>;
}

export function newRecord(number: string): CallRecord {
  return {
    number, command: null, result: null, dialedAt: null, connectedAt: null, hungUpAt: 0,
    bytesWritten: 0, bytesRead: 0, payloadBytes: 0, rawBytes: 0, transferWritten: 0, transferRead: 0, resumedFrom: null, framesSent: 0, resent: 0,
    reports: 0, ids: [], delivered: false, step: null, transcript: [],
  };
}

export function callKey(config: DialupCallConfig): string {
  const { lingerMs: _linger, ...rest } = config;
  return JSON.stringify(rest);
}

/**
 * Dials `destination` and returns the connected call, or the failure (the call hung up and
 * released). The port's turn `giveBack` is the call's from here: its end gives it back.
 */
export async function dialOut(config: DialupCallConfig, rt: DialupRuntime, giveBack: () => void, signal?: AbortSignal): Promise<Failure | LiveCall> {
  const destination = config.number.trim();
  const fail = (step: DialupStep, retryable: boolean, detail: string): Failure => ({ ok: false, destination, channel: 'dialup', step, retryable, detail });
  const record = newRecord(destination);
  let unlock: () => Promise<void> = async () => undefined;
  let ending: Promise<void> | null = null;
  const call: LiveCall = {
    key: callKey(config), record, line: null, dialogue: null, state: 'closed', responsive: false, lineBps: config.baudRate, batch: false,
    end: () => (ending ??= endCall(call, config, rt, unlock, giveBack)),
  };
  const failed = async (f: Failure): Promise<Failure> => {
    record.delivered = false;
    record.step = f.step as DialupStep;
    await call.end();
    return f;
  };
  const wait = rt.lines.waitBeforeDial(config.port, config.intervalMs);
  if (wait > 0) {
    rt.log(`dial-up: waiting ${Math.ceil(wait / 1000)} s (the dial-up interval) before calling ${destination}`);
    try {
      await sleep(wait, signal);
    } catch {
      // Nothing was opened: only the turn is given back.
      giveBack();
      return fail('cancelled', true, 'cancelled during the dial-up interval');
    }
  }
  const unlocked = await lockPort(config, rt, fail, signal);
  if (typeof unlocked !== 'function') return failed(unlocked);
  unlock = unlocked;
  try {
    let binding: SerialBinding;
    try {
      binding = await rt.binding();
    } catch (err) {
      return await failed(fail('config', false, `the serial port driver (serialport) cannot be loaded on this machine (${(err as Error).message}): contact support`));
    }
    const openEnd = Date.now() + (config.sharePort ? rt.portWaitMs : 0);
    for (;;) {
      try {
        call.line = await SerialLine.open(binding, config.port, config.baudRate);
        break;
      } catch (err) {
        const e = err instanceof PortOpenError ? err : new PortOpenError('other', String(err));
        if (e.reason !== 'busy') return await failed(fail('port-missing', true, `${e.message}: check the serial port in the destination settings and that the modem is connected`));
        // With sharing, a port the remote access service holds is waited for.
        if (Date.now() >= openEnd || signal?.aborted) return await failed(fail('port-busy', true, `${e.message}: the report is sent again later`));
        await sleep(1000, signal).catch(() => undefined);
      }
    }
    call.state = 'command';
    const dialogue = new Dialogue(call.line, rt.times);
    call.dialogue = dialogue;
    dialogue.attach();
    const woke = await dialogue.wake(signal);
    if (!woke) return await failed(fail('no-response', true, `the modem does not respond on ${config.port} (check the cable and the port, and that the modem is on)`));
    call.responsive = true;
    const init = initCommand(config.initString);
    const inited = await dialogue.command(init, rt.times.responseMs, signal);
    if (!inited) return await failed(fail('no-response', true, `the modem did not answer the init string ${init} on ${config.port} (check the cable and the port)`));
    if (inited.code !== 'OK') return await failed(fail('init-error', false, `the modem answered ${inited.text} to the init string ${init}: check the init string for this modem`));

    const command = dialCommand(config.dialMode, destination);
    record.command = command;
    rt.redial.called(destination);
    record.dialedAt = Date.now();
    call.state = 'dialing';
    const carrierMs = Math.min(rt.carrierWaitMs, MAX_CARRIER_WAIT_MS);
    const result = await dialogue.command(command, carrierMs, signal);
    record.result = result?.text ?? null;
    if (!result) return await failed(fail('no-answer', true, `no answer from ${destination} within ${Math.round(carrierMs / 1000)} s; the call was released (the report is sent again later)`));
    call.state = 'command';
    switch (result.code) {
      case 'BUSY':
        return await failed(fail('busy', true, `${destination} was busy (BUSY); the report is sent again later`));
      case 'NO ANSWER':
        return await failed(fail('no-answer', true, `${destination} did not answer (NO ANSWER); the report is sent again later`));
      case 'NO DIALTONE':
        return await failed(fail('no-dialtone', true, `the modem found no dial tone (NO DIALTONE): check the telephone line and its cable`));
      case 'NO CARRIER':
        return await failed(fail('no-carrier', true, `no carrier from ${destination} (NO CARRIER): check the telephone number and that it answers with a modem`));
      case 'ERROR':
        return await failed(fail('config', false, `the modem refused the dial command ${command} (ERROR): check the telephone number`));
      case 'CONNECT':
        break;
      default:
        return await failed(fail('protocol', true, `the modem answered ${result.text} to ${command}`));
    }
    call.state = 'online';
    record.connectedAt = Date.now();
    rt.log(`dial-up: ${destination} answered (${result.text})`);
    call.lineBps = result.speed && result.speed >= 300 ? Math.min(result.speed, config.baudRate) : config.baudRate;
    return call;
  } catch (err) {
    if (err instanceof CancelledError || signal?.aborted) return failed(fail('cancelled', true, `cancelled${call.state === 'dialing' ? ' while dialling' : ''}; the call was hung up`));
    if (err instanceof PortFailedError) return failed(fail('port-missing', true, `${err.message} on ${config.port}: check that the modem is connected`));
    return failed(fail('line-dropped', true, `the call broke off (${(err as Error).message}); the report is sent again later`));
  }
}

async function lockPort(config: DialupCallConfig, rt: DialupRuntime, fail: (step: DialupStep, retryable: boolean, detail: string) => Failure, signal?: AbortSignal): Promise<Failure | (() => Promise<void>)> {
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

async function endCall(call: LiveCall, config: DialupCallConfig, rt: DialupRuntime, unlock: () => Promise<void>, giveBack: () => void): Promise<void> {
  const { line, dialogue, record } = call;
  try {
    if (line) {
      // The center waits for another report after a final that said batch: tell it none follows.
      if (call.batch && call.state === 'online') await sendBye(line);
      await hangUp(rt, dialogue, call.state, call.responsive).catch((err: unknown) => rt.log(`dial-up: hang-up: ${(err as Error).message}`));
      record.bytesWritten = line.written;
      record.bytesRead = line.read;
      record.transcript = dialogue?.transcript.slice() ?? [];
      await line.close();
      rt.lines.hungUp(config.port);
    }
    record.hungUpAt = Date.now();
    await unlock();
    rt.onCall?.(record);
  } finally {
    giveBack();
  }
}

async function hangUp(rt: DialupRuntime, dialogue: Dialogue | null, state: LineState, responsive: boolean): Promise<void> {
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
