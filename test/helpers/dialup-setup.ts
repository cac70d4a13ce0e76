/**
 * The dial-up channel as the dial-up tests use it: settings with a dial-up set-up, the channel
 * with short guard and answer times and a lock folder of the test's own, and one round over the
 * destinations (primary, then secondary) as the queue makes it.
 */
import { defaultSettings, type Settings } from '../../src-shared/settings';
import { dialupChannel, type DialupChannelOptions } from '../../src-main/channels/dialup/channel';
import type { CallRecord } from '../../src-main/channels/dialup/dialup-reporter';
import type { Channel } from '../../src-main/channels/channel';
import type { Delivery, OutgoingReport } from '../../src-main/channels/reporter';

export type DialupPatch = Partial<Omit<Settings['methods']['express']['dialup'], 'primary' | 'secondary'>> & { primary?: string; secondary?: string };

/** Defaults with Express by dial-up on `port`. */
export function dialupSettings(port: string, patch: DialupPatch = {}): Settings {
  const s = defaultSettings();
  const { primary, secondary, ...rest } = patch;
  const d = s.methods.express.dialup;
  s.methods.express.route = 'dialup';
  s.methods.express.dialup = {
    ...d,
    serialPort: port,
    dialIntervalSeconds: 1,
    ...rest,
    primary: { number: primary ?? '03-1234-5678', comment: '' },
    secondary: { number: secondary ?? '', comment: '' },
  };
  return s;
}

export interface TestChannel {
  channel: Channel;
  calls: CallRecord[];
  log: string[];
}

/** The real channel with test times: guard 200 ms (the modem's --guard-ms 200), answers in 1.5 s. */
export function testChannel(lockDir: string, options: DialupChannelOptions = {}): TestChannel {
  const calls: CallRecord[] = [];
  const log: string[] = [];
  const channel = dialupChannel({
    lockDirs: [lockDir],
    times: { guardMs: 200, responseMs: 1500 },
    carrierWaitMs: 10_000,
    portWaitMs: 0,
    ...options,
    log: (line) => log.push(line),
    onCall: (c) => calls.push(c),
  });
  return { channel, calls, log };
}

/** One round: each destination in order until one delivers (as the queue does); every delivery returned. */
export async function round(channel: Channel, settings: Settings, report: OutgoingReport, signal?: AbortSignal): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const d of channel.destinations(settings, 'express', null)) {
    const delivery = await channel.reporter(settings, 'express', d).send(report, { signal });
    out.push(delivery);
    if (delivery.ok) break;
  }
  return out;
}
