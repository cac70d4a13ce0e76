import { randomUUID } from 'node:crypto';
import type { MethodName } from '../../src-shared/methods';
import { REPORT_FORMAT_VERSION, type ReportEnvelope, type ReportKind } from '../../src-shared/report';
import type { Settings } from '../../src-shared/settings';
import { PRODUCT_VERSION, REPORT_MODULE_VERSION } from '../../src-shared/version';

export interface EnvelopeInput {
  kind: ReportKind;
  method: MethodName;
  hostName: string;
  now: Date;
  event?: ReportEnvelope['event'];
  resultDestination?: ReportEnvelope['resultDestination'];
  attachments?: ReportEnvelope['attachments'];
  /** a fixed id (a resend of the same report); a new one otherwise */
  id?: string;
}

/**
 * The envelope of a report from the stored opening: contract, server and — for the opening
 * report — the settings utility's pages. Secrets (the extension secret) never leave the machine.
 */
export function buildEnvelope(settings: Settings, input: EnvelopeInput): ReportEnvelope {
  const opening = settings.opening;
  const device = opening?.device;
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    id: input.id ?? randomUUID(),
    kind: input.kind,
    createdAt: input.now.toISOString(),
    method: input.method,
    product: { version: PRODUCT_VERSION, reportModuleVersion: REPORT_MODULE_VERSION },
    contract: { userSystemCode: opening?.userSystemCode ?? '', keyCode: opening?.keyCode ?? '' },
    server: {
      serverName: device?.serverName ?? input.hostName,
      hostName: input.hostName,
      deviceCode: device?.deviceCode ?? '',
      serialNumber: device?.serialNumber ?? '',
      warrantyNumber: device?.warrantyNumber ?? '',
    },
    event: input.event ?? null,
    resultDestination: input.resultDestination ?? null,
    opening:
      input.kind === 'opening' && opening
        ? { mode: opening.mode, customer: opening.customer, device: opening.device, options: opening.options, dealer: opening.dealer, resultMail: opening.resultMail }
        : null,
    attachments: input.attachments ?? [],
  };
}
