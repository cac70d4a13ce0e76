/**
 * A TEST-ONLY channel (not a product part): it carries Express's internet-mail route and
 * "delivers" by keeping each report in memory, as a loopback would, so that the generic seam
 * (registry, test and opening flows, the queue's lane, fault reports) can be driven end to end
 * with one line: `channels: [...defaultChannels(), loopback.channel]`.
 */
import type { Channel } from '../../src-main/channels/channel';
import type { Delivery, OutgoingReport } from '../../src-main/channels/reporter';
import type { ReportEnvelope } from '../../src-shared/report';

export interface Loopback {
  channel: Channel;
  /** what arrived, in order, with the destination it was sent to */
  received: { destination: string; envelope: ReportEnvelope }[];
  /** the next deliveries fail (retryably) with this detail, as many times as given */
  failNext(times: number, detail?: string): void;
}

export function loopbackChannel(name = 'mail'): Loopback {
  const received: Loopback['received'] = [];
  let failures = 0;
  let failure = 'loopback refused';
  const channel: Channel = {
    name,
    deliveryFields: () => ['mail.destination', 'mail.smtpHost'],
    destinations: (settings, method, pin) => {
      if (method !== 'express') return [];
      const to = settings.methods.express.mail.destination.trim();
      return to && (pin === null || pin === 1) ? [{ index: 1, label: `loopback:${to}` }] : [];
    },
    reporter: (_settings, _method, destination) => ({
      name: destination.label,
      channel: name,
      async send(report: OutgoingReport): Promise<Delivery> {
        if (failures > 0) {
          failures--;
          return { ok: false, destination: destination.label, channel: name, step: 'connect', retryable: true, detail: failure };
        }
        received.push({ destination: destination.label, envelope: report.envelope });
        return { ok: true, destination: destination.label, detail: 'kept' };
      },
    }),
    destinationField: () => 'methods.express.mail.destination',
    destinationMissing: 'mail-destination',
    limits: () => ({ concurrency: 1, minGapMs: 0, resource: null }),
  };
  return {
    channel,
    received,
    failNext(times, detail = 'loopback refused') {
      failures = times;
      failure = detail;
    },
  };
}
