/**
 * The test result mail (テスト通報の結果, seed L885): with `serve --result-smtp HOST:PORT`, once a
 * test or opening report whose envelope names a mail result destination is stored, the center
 * mails the result to that address through that SMTP server (STARTTLS when the server offers it,
 * its certificate verified against --result-ca or the system CAs). The outcome is written to
 * reports/<id>/result.json, so a person or a test can see what was sent and when.
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { ReportEnvelope } from '../../src-shared/report';
import { RESULT_FILE } from './reports';
import { REPORTS_DIR, type CenterStore } from './store';

export interface ResultSmtp {
  host: string;
  port: number;
  /** the From of the result mail */
  from: string;
  /** a CA file (PEM) to verify the server's STARTTLS certificate with */
  caFile?: string;
}

export interface ResultRecord {
  to: string;
  from: string;
  subject: string;
  sentAt: string | null;
  messageId: string | null;
  attempts: number;
  error: string | null;
}

/** Parses HOST:PORT ([v6]:PORT too). */
export function parseHostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not HOST:PORT: ${JSON.stringify(value)}`);
  return { host: (m[1] ?? m[2])!, port };
}

export function resultSubject(envelope: ReportEnvelope): string {
  const what = envelope.kind === 'opening' ? '開局通報' : 'テスト通報';
  return `${what}を受け付けました (${envelope.server.serverName})`;
}

/** The result mail's text: Japanese first (the seed's service), a short English line after. */
export function resultText(envelope: ReportEnvelope, receivedAt: string, channel: string): string {
  const what = envelope.kind === 'opening' ? '開局通報' : 'テスト通報';
  return [
    'エクスプレス通報サービス 保守センター',
    '',
    `${what}を受け付けました。`,
    '',
    `ユーザシステムコード: ${envelope.contract.userSystemCode}`,
    `サーバ名: ${envelope.server.serverName}`,
    `ホスト名: ${envelope.server.hostName}`,
    `装置型番: ${envelope.server.deviceCode}`,
    `製造番号: ${envelope.server.serialNumber}`,
    `通報 ID: ${envelope.id}`,
    `通報日時: ${envelope.createdAt}`,
    `受付日時: ${receivedAt}`,
    `通報経路: ${channel === 'mail' ? 'インターネット メール' : channel.toUpperCase()}`,
    '',
    `The maintenance center received the ${envelope.kind} report ${envelope.id} from ${envelope.server.serverName} at ${receivedAt}.`,
    '',
  ].join('\r\n');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether this stored report asks for a result mail. */
export function wantsResultMail(envelope: ReportEnvelope): envelope is ReportEnvelope & { resultDestination: { kind: 'mail'; address: string } } {
  return (envelope.kind === 'test' || envelope.kind === 'opening') && envelope.resultDestination?.kind === 'mail';
}

/**
 * Sends the result mail (3 tries, 2 s apart) and records the outcome in result.json. Never
 * throws: a failure is logged and recorded; the report itself is already stored.
 */
export async function sendResultMail(
  store: CenterStore,
  smtp: ResultSmtp,
  envelope: ReportEnvelope & { resultDestination: { kind: 'mail'; address: string } },
  receivedAt: string,
  channel: string,
  log: (line: string) => void,
): Promise<ResultRecord> {
  const to = envelope.resultDestination.address;
  const record: ResultRecord = { to, from: smtp.from, subject: resultSubject(envelope), sentAt: null, messageId: null, attempts: 0, error: null };
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    tls: smtp.caFile ? { ca: readFileSync(smtp.caFile, 'utf8') } : undefined,
  });
  try {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      record.attempts = attempt;
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to,
          subject: record.subject,
          text: resultText(envelope, receivedAt, channel),
          headers: { 'X-Express-Report-Id': envelope.id, 'X-Express-Report-Kind': envelope.kind, 'X-Express-Result': 'accepted' },
        });
        record.sentAt = new Date().toISOString();
        record.messageId = info.messageId;
        record.error = null;
        break;
      } catch (err) {
        record.error = (err as Error).message;
        if (attempt < 3) log(`result mail for ${envelope.id} to ${to} failed (try ${attempt} of 3): ${record.error}`);
        if (attempt < 3) await sleep(2000);
      }
    }
  } finally {
    transport.close();
  }
  try {
    await store.writePrivate([REPORTS_DIR, envelope.id.toLowerCase(), RESULT_FILE], `${JSON.stringify(record, null, 2)}\n`);
  } catch (err) {
    log(`result mail for ${envelope.id}: could not write ${RESULT_FILE} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // logged last: whoever waits for the line finds result.json written
  if (record.sentAt) log(`result mail for ${envelope.id} sent to ${to} via ${smtp.host}:${smtp.port}`);
  else log(`result mail for ${envelope.id} to ${to} failed for good after 3 tries: ${record.error}`);
  return record;
}
