/**
 * One round of delivery: the report's destinations in order (primary, then secondary) until one
 * accepts, its attachments streamed from the queue's folder.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Delivery, OutgoingAttachment, OutgoingReport, Reporter } from '../channels/reporter';
import { QUEUE_CHANNEL } from '../channels/steps';
import { errorText } from '../lib/error-text';
import type { LastError, QueueEntry } from './records';
import type { QueueStore } from './store';
import { trustedEnvelope } from '../../src-shared/report';

export type Outcome =
  | { ok: true; destination: string }
  | { ok: false; destination: string | null; error: LastError; retryable: boolean; failure: 'permanent' | 'no-destination' };

/** One round: each destination in order until one accepts. */
export async function tryRound(entry: QueueEntry, store: QueueStore, reportersFor: (entry: QueueEntry) => Reporter[], signal: AbortSignal): Promise<Outcome> {
  // No reporter ran (or none could be asked): the failure is the queue's own, with a generic step.
  const permanent = (step: LastError['step'], detail: string, failure: 'permanent' | 'no-destination'): Outcome => ({
    ok: false,
    destination: null,
    error: { channel: QUEUE_CHANNEL, step, detail, destination: '', retryable: false },
    retryable: false,
    failure,
  });
  let report: OutgoingReport;
  let reporters: Reporter[];
  try {
    report = outgoing(entry, store);
    reporters = reportersFor(entry);
  } catch (err) {
    return permanent('config', errorText(err), 'permanent');
  }
  if (reporters.length === 0) return permanent('config', `no destination is set up for the report method ${entry.lane}`, 'no-destination');
  let last: Extract<Delivery, { ok: false }> | null = null;
  let retryable = false;
  for (const reporter of reporters) {
    if (signal.aborted) break;
    let delivery: Delivery;
    try {
      delivery = await reporter.send(report, { signal });
    } catch (err) {
      delivery = { ok: false, destination: reporter.name, channel: reporter.channel, step: 'protocol', retryable: true, detail: `the ${reporter.name} reporter failed: ${errorText(err)}` };
    }
    if (delivery.ok) return { ok: true, destination: delivery.destination };
    last = delivery;
    retryable ||= delivery.retryable;
  }
  if (!last) return permanent('cancelled', 'cancelled', 'permanent');
  const error: LastError = { channel: last.channel, step: last.step, detail: last.detail, destination: last.destination, retryable: last.retryable };
  if (last.status !== undefined) error.status = last.status;
  return { ok: false, destination: last.destination, error, retryable, failure: 'permanent' };
}

/** The report as the reporters take it: the envelope and its attachments streamed from the queue. */
function outgoing(entry: QueueEntry, store: QueueStore): OutgoingReport {
  if (entry.envelope === null) throw new Error(`report ${entry.id} has no content any more`);
  // Checked when it was accepted or read back (records.ts, QueueEntry).
  const envelope = trustedEnvelope(entry.envelope);
  const attachments = envelope.attachments.map((info, i): OutgoingAttachment => {
    const stored = entry.attachments[i];
    if (!stored) throw new Error(`report ${entry.id} lacks attachment ${i + 1} (${info.name})`);
    const { name, size, sha256 } = info;
    if ('file' in stored) {
      const file = store.attachmentPath(stored.file);
      return { name, size, sha256, open: () => createReadStream(file) };
    }
    const data = Buffer.from(stored.data, 'base64');
    return { name, size, sha256, open: () => Readable.from([data]) };
  });
  return { envelope, attachments };
}
