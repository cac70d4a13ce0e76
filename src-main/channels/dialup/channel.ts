/**
 * Express Report by modem dial-up as a channel (../channel.ts): the destinations are the
 * primary and secondary telephone numbers of the method's dial-up settings (Express by
 * dial-up, and a manager forwarding Express by dial-up), called by the dial-up reporter one at
 * a time on the serial port. The queue's lane is one line: one attempt at a time, the dial-up
 * interval between attempts, and the serial port as the resource two methods take in turn.
 * A manager forwarding by dial-up sends its reports together (一括通報): its calls stay up for a
 * short linger after each report, and its lane has no gap of its own (the interval is kept from
 * the hang-up of a call, by the channel), so the queue hands the next report on at once.
 */
import { existsSync } from 'node:fs';
import { ApiError } from '../../../src-shared/errors';
import { translate } from '../../../src-shared/i18n';
import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import type { LaneLimits } from '../../queue';
import type { Channel, ChannelDestination } from '../channel';
import { DEFAULT_DIALOGUE_TIMES, type DialogueTimes } from './at-dialogue';
import { IPMI_DEVICES } from './bmc';
import { dialupHandlers } from './handlers';
import { CallKeeper } from './call-keeper';
import { createDialupReporter, defaultRuntimeParts, type CallRecord, type DialupCallConfig, type DialupRuntime } from './dialup-reporter';
import { LineBook } from './line-book';
import { RedialMemory } from './redial';
import { defaultBinding, type SerialBinding } from './serial-line';
import { DEFAULT_TRANSFER, type TransferOptions } from './transfer';

export interface DialupChannelOptions {
  /** the serialport binding (default the platform's; a test wraps it to play DTR and DCD) */
  binding?: () => SerialBinding | Promise<SerialBinding>;
  /** the UUCP lock folders (default /run/lock, /var/lock) */
  lockDirs?: readonly string[];
  /** the IPMI devices a BMC route looks for */
  bmcDevices?: readonly string[];
  /** the clock of the redial rule (a test's manual clock) */
  now?: () => number;
  times?: Partial<DialogueTimes>;
  transfer?: Partial<Omit<TransferOptions, 'lineBps'>>;
  /** the longest wait from the dial to CONNECT (default 60 s, at most 115 s) */
  carrierWaitMs?: number;
  /** with port sharing, how long a port another program holds is waited for (default 30 s) */
  portWaitMs?: number;
  /**
   * 一括通報: how long a manager's forwarding call stays up after a report for the next one
   * (default EXPRESS_REPORT_DIALUP_LINGER_MS, else 3 s; 0 hangs up after every report)
   */
  lingerMs?: number;
  log?: (line: string) => void;
  onCall?: (call: CallRecord) => void;
}

export const DEFAULT_LINGER_MS = 3000;
/** the longest linger: the center's modem waits 10 s for the next report after a final */
export const MAX_LINGER_MS = 8000;

/** The linger from the environment (EXPRESS_REPORT_DIALUP_LINGER_MS: milliseconds, 0–8000), else the default. */
export function lingerFromEnv(value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return DEFAULT_LINGER_MS;
  return Math.min(Number(value.trim()), MAX_LINGER_MS);
}

type DialupMethod = 'express' | 'manager-express';
type DialupSettings = Settings['methods']['express']['dialup'];

function dialupSettings(settings: Settings, method: MethodName): DialupSettings {
  if (method !== 'express' && method !== 'manager-express') throw new Error(`the dial-up channel does not carry ${method}`);
  return settings.methods[method as DialupMethod].dialup;
}

/** Which methods send their reports together on one call: the manager's forwarding (一括通報). */
function batches(method: MethodName): boolean {
  return method === 'manager-express';
}

/** What destination `index` of the method is called with. */
export function dialupConfig(settings: Settings, method: MethodName, number: string, lingerMs = DEFAULT_LINGER_MS): DialupCallConfig {
  const d = dialupSettings(settings, method);
  return {
    via: d.via,
    port: d.serialPort.trim(),
    baudRate: d.baudRate,
    initString: d.initString,
    dialMode: d.dialMode,
    number,
    sharePort: d.sharePortWithRemoteAccess,
    intervalMs: d.dialIntervalSeconds * 1000,
    lingerMs: batches(method) ? lingerMs : 0,
  };
}

/**
 * The lane of a dial-up method: one line. A batching method's lane has no gap: the next report
 * must reach the call kept up for it, and the channel keeps the interval from each hang-up.
 */
export function dialupLimits(settings: Settings, method: MethodName): LaneLimits {
  const d = dialupSettings(settings, method);
  const port = d.serialPort.trim();
  return { concurrency: 1, minGapMs: batches(method) ? 0 : d.dialIntervalSeconds * 1000, resource: port ? `serial:${port}` : null };
}

export function dialupChannel(options: DialupChannelOptions = {}): Channel {
  const defaults = defaultRuntimeParts();
  const lingerMs = Math.min(Math.max(0, options.lingerMs ?? lingerFromEnv(process.env.EXPRESS_REPORT_DIALUP_LINGER_MS)), MAX_LINGER_MS);
  const runtime: DialupRuntime = {
    binding: options.binding ?? defaultBinding,
    lines: new LineBook(),
    redial: new RedialMemory(options.now ?? Date.now),
    calls: new CallKeeper((line) => runtime.log(line)),
    lockDirs: options.lockDirs ?? defaults.lockDirs,
    bmcDevices: options.bmcDevices ?? IPMI_DEVICES,
    times: { ...DEFAULT_DIALOGUE_TIMES, ...options.times },
    transfer: { ...DEFAULT_TRANSFER, ...options.transfer },
    carrierWaitMs: options.carrierWaitMs ?? defaults.carrierWaitMs,
    portWaitMs: options.portWaitMs ?? defaults.portWaitMs,
    now: options.now ?? Date.now,
    platform: process.platform,
    log: options.log ?? (() => undefined),
    onCall: options.onCall,
  };
  return {
    name: 'dialup',
    deliveryFields: () => ['dialup.via', 'dialup.primary.number', 'dialup.secondary.number', 'dialup.serialPort', 'dialup.dialMode', 'dialup.initString', 'dialup.baudRate'],
    destinations(settings, method, pin): ChannelDestination[] {
      const d = dialupSettings(settings, method);
      return [
        { index: 1 as const, label: d.primary.number.trim() },
        { index: 2 as const, label: d.secondary.number.trim() },
      ].filter((x) => x.label !== '' && (pin === null || x.index === pin));
    },
    reporter: (settings, method, destination) => createDialupReporter(dialupConfig(settings, method, destination.label, lingerMs), runtime),
    refuse(settings, method, _index, lang) {
      const d = dialupSettings(settings, method);
      if (d.via === 'serial') return null;
      // The BMC routes need the machine's BMC: say what was looked for rather than pretend.
      const devices = runtime.bmcDevices ?? IPMI_DEVICES;
      if (devices.some((p) => existsSync(p))) return null;
      return new ApiError({ code: 'not-ready', field: `methods.${method}.dialup.via`, message: translate(lang, 'dialup.error.no-bmc', { devices: devices.join(', ') }) });
    },
    destinationField: (method, index) => `methods.${method}.dialup.${index === 1 ? 'primary' : 'secondary'}.number`,
    destinationMissing: 'dial-number',
    limits: dialupLimits,
    // The dial-up windows' own methods (dialup:ports, dialup:zeroDial), whichever route is chosen.
    handlers: (deps) => dialupHandlers(deps),
    services: (deps) => {
      // The calls' log lines (stale locks, waits, hang-up trouble) go to the service's log.
      if (!options.log) runtime.log = (line) => deps.log(line);
      // A call kept up for the next report is hung up when the service stops.
      return [{ start: () => undefined, stop: () => runtime.calls.endAll() }];
    },
  };
}
