/**
 * The center's mail side, `express-center serve --smtp-port N` (docs/formats/mail.md "The center's
 * side"): a real SMTP server (npm smtp-server) that takes report mail from any sender — STARTTLS
 * offered with a certificate from the center CA, no AUTH (it is the center's MX) — reads each
 * message (mail-message.ts), stores it once by id (mail-store.ts) and answers 250; a resend of a
 * stored id is answered 250 too and not stored again. A mail it cannot take is refused with a
 * 5xx and the reason; nothing a client sends can stop the server.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { readReportMail } from './mail-message';
import { sendResultMail, wantsResultMail, type ResultSmtp } from './mail-result';
import type { SmimeKeyRing } from './mail-smime';
import { MailRefusal, storeMailReport } from './mail-store';
import type { CenterStore } from './store';

export interface SmtpReceiverOptions {
  store: CenterStore;
  ring: SmimeKeyRing;
  host: string;
  port: number;
  /** the largest message accepted, in bytes (advertised as SIZE) */
  maxMailBytes: number;
  /** STARTTLS certificate; without it STARTTLS is not offered */
  tls?: { certPem: string; keyPem: string } | null;
  /** where test results are mailed (--result-smtp); from is filled per report when empty */
  result?: (Omit<ResultSmtp, 'from'> & { from?: string }) | null;
  log: (line: string) => void;
}

export interface SmtpReceiverStats {
  messages: number;
  stored: number;
  duplicates: number;
  refused: number;
  results: number;
}

export interface SmtpReceiver {
  port: number;
  stats: SmtpReceiverStats;
  /** resolves when no message is being read and no result mail is being sent */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  const enhanced = code === 552 ? '5.3.4' : code >= 500 ? '5.6.0' : '4.3.0';
  return Object.assign(new Error(`${enhanced} ${message.replace(/[\r\n]+/g, ' ')}`), { responseCode: code });
}

/** Reads the message into memory, up to the limit; past it, the rest is drained and dropped. */
function readMessage(stream: SMTPServerDataStream, limit: number): Promise<{ raw: Buffer; tooBig: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooBig = true;
      else chunks.push(chunk);
    });
    stream.once('end', () => resolve({ raw: Buffer.concat(chunks), tooBig: tooBig || stream.sizeExceeded }));
    stream.once('error', reject);
  });
}

export async function startSmtpReceiver(options: SmtpReceiverOptions): Promise<SmtpReceiver> {
  const { store, ring, log } = options;
  const stats: SmtpReceiverStats = { messages: 0, stored: 0, duplicates: 0, refused: 0, results: 0 };
  const busy = new Set<Promise<unknown>>();
  let waiters: (() => void)[] = [];
  const track = <T>(p: Promise<T>): Promise<T> => {
    busy.add(p);
    void p.finally(() => {
      busy.delete(p);
      if (busy.size === 0) {
        const done = waiters;
        waiters = [];
        for (const w of done) w();
      }
    }).catch(() => undefined);
    return p;
  };

  async function handle(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const remote = session.remoteAddress;
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const to = session.envelope.rcptTo.map((r) => r.address);
    const { raw, tooBig } = await readMessage(stream, options.maxMailBytes);
    stats.messages += 1;
    if (tooBig) throw new MailRefusal(552, `the message is larger than the center accepts (${options.maxMailBytes} bytes)`);
    const mail = await readReportMail(raw, ring);
    const { envelope } = mail;
    const { duplicate, stored } = await storeMailReport(store, {
      envelope,
      attachments: mail.attachments,
      remoteAddress: remote,
      mail: { from, to, messageId: mail.messageId, smime: mail.smime, encoding: mail.encoding },
    });
    if (duplicate) stats.duplicates += 1;
    else stats.stored += 1;
    const how = `${mail.smime ? `S/MIME (${mail.keySource})` : 'plain'}, ${mail.encoding}`;
    log(`mail report ${envelope.id} ${envelope.kind} ${duplicate ? 'duplicate' : 'stored'} (${envelope.attachments.length} attachments, ${how}) from ${remote} <${from}>`);
    const result = options.result;
    if (!duplicate && result && wantsResultMail(envelope)) {
      const smtp: ResultSmtp = { ...result, from: result.from || to[0] || 'express-center@center.example.jp' };
      void track(sendResultMail(store, smtp, envelope, stored.receivedAt, 'mail', log).then((r) => {
        if (r.sentAt) stats.results += 1;
      }));
    } else if (!duplicate && wantsResultMail(envelope)) {
      log(`result for ${envelope.id}: no --result-smtp, the result mail to ${envelope.resultDestination.address} is not sent`);
    } else if (!duplicate && envelope.resultDestination?.kind === 'fax') {
      log(`result for ${envelope.id}: the simulator sends no fax (${envelope.resultDestination.number})`);
    }
    return `2.6.0 report ${envelope.id} ${duplicate ? 'already stored' : 'stored'}`;
  }

  const server = new SMTPServer({
    name: 'center.express-report.invalid',
    banner: 'Express Report maintenance-center simulator',
    secure: false,
    ...(options.tls ? { key: options.tls.keyPem, cert: options.tls.certPem } : {}),
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: options.maxMailBytes,
    logger: false,
    closeTimeout: 3000,
    socketTimeout: 120_000,
    onData(stream, session, callback) {
      void track(
        handle(stream, session).then(
          (message) => callback(null, message),
          (err: unknown) => {
            stats.refused += 1;
            if (!stream.readableEnded) stream.resume();
            const refusal = err instanceof MailRefusal ? err : null;
            const code = refusal?.responseCode ?? 451;
            const reason = refusal ? refusal.message : `the center could not store the report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
            log(`mail refused ${code} from ${session.remoteAddress}: ${reason}`);
            callback(smtpError(code, reason));
          },
        ),
      );
    },
  });
  server.on('error', (err) => log(`smtp: ${err.message}`));

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });

  return {
    port,
    stats,
    idle: () => (busy.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
