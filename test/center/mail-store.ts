/**
 * Stores a report that arrived by mail, once per id, the way the HTTPS receiver does: the
 * attachments and report.json are written (fsynced) into a folder under incoming/, which is
 * renamed to reports/<id> — the report appears whole or not at all; a second copy of the same id
 * (a resend) is recognised and not stored again.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ReportEnvelope } from '../../src-shared/report';
import type { StoredReport } from './reports';
import { inIncomingFolder, isReportStored, publishReport, reportDir, writeSynced, type CenterStore } from './store';

/** A mail the center refuses, with the SMTP reply it answers. */
export class MailRefusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'MailRefusal';
  }
}

export interface MailReport {
  envelope: ReportEnvelope;
  /** the decoded attachments, in the envelope's order */
  attachments: Buffer[];
  remoteAddress: string;
  mail: NonNullable<StoredReport['mail']>;
}

/** Checks each attachment against what the envelope declares (size and sha256). */
export function checkAttachments(envelope: ReportEnvelope, attachments: Buffer[]): void {
  if (attachments.length !== envelope.attachments.length) {
    throw new MailRefusal(554, `the envelope lists ${envelope.attachments.length} attachments, the mail holds ${attachments.length}`);
  }
  envelope.attachments.forEach((declared, i) => {
    const data = attachments[i]!;
    if (data.length !== declared.size) throw new MailRefusal(554, `attachment ${declared.name} has ${data.length} bytes, its envelope declares ${declared.size}`);
    if (createHash('sha256').update(data).digest('hex') !== declared.sha256) throw new MailRefusal(554, `attachment ${declared.name} does not match the sha256 its envelope declares`);
  });
}

/** Stores the report; `duplicate` when a report with its id is already there. */
export async function storeMailReport(store: CenterStore, report: MailReport, now: Date = new Date()): Promise<{ duplicate: boolean; dir: string; stored: StoredReport }> {
  const { envelope } = report;
  checkAttachments(envelope, report.attachments);
  const target = reportDir(store, envelope.id);
  const stored: StoredReport = {
    receivedAt: now.toISOString(),
    remoteAddress: report.remoteAddress,
    channel: 'mail',
    mail: report.mail,
    envelope,
    attachments: envelope.attachments.map((a, i) => ({ ...a, file: `attachment-${String(i + 1).padStart(2, '0')}.zip` })),
  };
  if (await isReportStored(store, envelope.id)) return { duplicate: true, dir: target, stored };
  return inIncomingFolder(store, 'm-', async (temp) => {
    for (const [i, a] of stored.attachments.entries()) await writeSynced(path.join(temp, a.file), report.attachments[i]!);
    // A duplicate here: the same id came first by another connection (or over HTTPS).
    return { ...(await publishReport(store, temp, stored)), stored };
  });
}
