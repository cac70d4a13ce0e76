import type { Readable } from 'node:stream';
import type { ReportEnvelope } from '../../src-shared/report';
import type { DeliveryStep } from './steps';

/** The step of a delivery that failed (the generic steps and each channel's own: channels/steps.ts). */
export type { DeliveryStep } from './steps';

/** An attachment streamed from disk: never the whole archive in memory. */
export interface OutgoingAttachment {
  name: string;
  size: number;
  sha256: string;
  open(): Readable;
}

export interface OutgoingReport {
  envelope: ReportEnvelope;
  attachments: OutgoingAttachment[];
}

export type Delivery =
  | { ok: true; destination: string; detail: string }
  | {
      ok: false;
      destination: string;
      /** the channel that failed ('https', 'mail', 'dialup', 'relay'; 'queue' when no reporter ran) */
      channel: string;
      /** what failed: a generic step or one of the channel's own (channels/steps.ts) */
      step: DeliveryStep;
      /** true when trying again later may succeed (network down, 5xx, timeout) */
      retryable: boolean;
      /** one line in English, never holding a password */
      detail: string;
      /** the peer's code when there is one: HTTP status, SMTP reply code, … */
      status?: number;
    };

/** A failed delivery: what every channel's classifier makes. */
export type DeliveryFailure = Extract<Delivery, { ok: false }>;

/** Every channel (HTTPS, mail, dial-up, relay) has this one shape. */
export interface Reporter {
  readonly name: string;
  /** the channel whose failures this reporter returns, so a failure it throws is named too */
  readonly channel: string;
  send(report: OutgoingReport, options: { signal?: AbortSignal }): Promise<Delivery>;
}
