/**
 * Stores a report that arrived by mail, once per id, the way the HTTPS receiver does: the
 * attachments and report.json are written (fsynced) into a folder under incoming/, which is
 * renamed to reports/<id> — the report appears whole or not at all; a second copy of the same id
 * (a resend) is recognised and not stored again.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ReportEnvelope } from '../../src-shared/report';
import { reportDir } from './https-receiver';
import { INCOMING_DIR, REPORT_FILE, REPORTS_DIR, type StoredReport } from './reports';
import type { CenterStore } from './store';

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

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeSynced(file: string, data: string | Buffer): Promise<void> {
  const handle = await fsp.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
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
  if (await exists(path.join(target, REPORT_FILE))) return { duplicate: true, dir: target, stored };

  const incoming = store.path(INCOMING_DIR);
  await fsp.mkdir(incoming, { recursive: true, mode: 0o700 });
  const temp = await fsp.mkdtemp(path.join(incoming, 'm-'));
  try {
    for (const [i, a] of stored.attachments.entries()) await writeSynced(path.join(temp, a.file), report.attachments[i]!);
    await writeSynced(path.join(temp, REPORT_FILE), `${JSON.stringify(stored, null, 2)}\n`);
    await fsyncDir(temp);
    const reports = store.path(REPORTS_DIR);
    await fsp.mkdir(reports, { recursive: true, mode: 0o700 });
    try {
      await fsp.rename(temp, target);
      await fsyncDir(reports);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The same id came first by another connection (or over HTTPS).
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return { duplicate: true, dir: target, stored };
      throw err;
    }
    return { duplicate: false, dir: target, stored };
  } finally {
    await fsp.rm(temp, { recursive: true, force: true });
  }
}
