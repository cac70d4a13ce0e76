import type { Readable } from 'node:stream';
import type { ReportEnvelope } from '../../src-shared/report';

/** The step of a delivery that failed, so the window can say what to check. */
export const DELIVERY_STEPS = [
  'config',
  'dns',
  'connect',
  'tls',
  'proxy',
  'proxy-auth',
  'auth',
  'send',
  'http-status',
  'timeout',
  'protocol',
  'cancelled',
] as const;
export type DeliveryStep = (typeof DELIVERY_STEPS)[number];

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
      step: DeliveryStep;
      /** true when trying again later may succeed (network down, 5xx, timeout) */
      retryable: boolean;
      /** one line in English, never holding a password */
      detail: string;
      /** HTTP status, SMTP reply code, … when there is one */
      status?: number;
    };

/** Every channel (HTTPS, mail, dial-up, relay) has this one shape. */
export interface Reporter {
  readonly name: string;
  send(report: OutgoingReport, options: { signal?: AbortSignal }): Promise<Delivery>;
}
