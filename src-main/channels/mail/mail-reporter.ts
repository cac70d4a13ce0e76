/**
 * Express Report by e-mail: one report mail (compose.ts, docs/formats/mail.md) to the center's
 * address through the administrator's SMTP server — after bringing a dial-up link up when
 * remote access is set (remote-access.ts), after a POP log-in and its wait when the server needs
 * POP before SMTP (pop3.ts), with SMTP AUTH in the seed's order when it needs that (sasl.ts). A
 * session that delivered is kept for a moment for the next report (connections.ts). Every
 * failure is classified in classify.ts; nothing here throws.
 */
import tls from 'node:tls';
import { CERT_HOSTNAME_CODES, CERT_UNTRUSTED_CODES } from '../../lib/net-errors';
import type { Language } from '../../../src-shared/i18n';
import type { MailSecurity } from '../../../src-shared/settings';
import type { ReportEnvelope } from '../../../src-shared/report';
import type { Delivery, OutgoingAttachment, OutgoingReport, Reporter } from '../reporter';
import { classifyMailFailure, type MailContext, type MailProblem } from './classify';
import { composeReportMail, type MailEncoding } from './compose';
import { keepSession, readMailCaFile, sessionKey, takeSession } from './connections';
import { PopError, popLogin, waitAfterPop, type PopConfig } from './pop3';
import { remoteAccessUp, type RemoteAccessLink } from './remote-access';
import { saslSecrets, type SaslConfig } from './sasl';
import { certificateProblem, certificateProblemText } from './smime';
import { SmtpCancelled, SmtpFailure, SmtpSession, trustWith, type SmtpConfig } from './smtp-session';

export interface MailReporterConfig {
  host: string;
  port: number;
  security: MailSecurity;
  /** a PEM file of CA certificates trusted besides the system's; '' for none */
  caFile: string;
  sender: string;
  destination: string;
  encoding: MailEncoding;
  /** SMTP AUTH (account, password, the checked mechanisms, OAuth); null without */
  auth: Omit<SaslConfig, 'allowUnencryptedAuth'> | null;
  allowUnencryptedAuth: boolean;
  /** POP before SMTP, and the wait after it; null without */
  pop: (Omit<PopConfig, 'timeoutMs'> & { waitSeconds: number }) | null;
  /** the dial-up link brought up for the delivery; null without */
  remoteAccess: { entry: string; user: string; password: string } | null;
  /** the center certificate to envelope to (S/MIME); null without */
  smimeCertificatePem: string | null;
  language: Language;
  /** the whole delivery (default 120 s) */
  timeoutMs?: number;
  now?: () => Date;
}

export const DEFAULT_MAIL_TIMEOUT_MS = 120_000;
/** the largest report mail before encoding; larger reports fail as too large without being sent */
export const MAX_MAIL_BYTES = 20 * 1024 * 1024;
const REMOTE_ACCESS_TIMEOUT_MS = 120_000;

const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

function configProblem(c: MailReporterConfig): { reason: string; check: string } | null {
  const line = (v: string) => /[\r\n\0]/.test(v);
  if (!c.host.trim() || line(c.host) || /[\s/@]/.test(c.host.trim())) return { reason: `the SMTP server ${JSON.stringify(c.host.slice(0, 100))} is not a host name or IP address`, check: 'check the mail server (SMTP)' };
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) return { reason: `the SMTP port ${c.port} is not 1–65535`, check: 'check the SMTP port' };
  if (!ADDRESS.test(c.sender) || c.sender.length > 254) return { reason: `the sender address ${JSON.stringify(c.sender.slice(0, 100))} is not a mail address`, check: "check the sender's mail address" };
  if (!ADDRESS.test(c.destination) || c.destination.length > 254) return { reason: `the destination ${JSON.stringify(c.destination.slice(0, 100))} is not a mail address`, check: 'check the destination address' };
  if (c.pop) {
    if (!c.pop.host.trim() || line(c.pop.host) || !c.pop.account || line(c.pop.account) || line(c.pop.password)) {
      return { reason: 'the POP before SMTP server or account is not set, or holds a line break', check: 'check the POP settings' };
    }
  }
  if (c.auth) {
    if (c.auth.mechanisms.length === 0) return { reason: 'SMTP authentication is ticked but no method is checked', check: 'check the authentication methods' };
    if (!c.auth.account || line(c.auth.account)) return { reason: 'the SMTP account name is not set, or holds a line break', check: 'check the SMTP account name' };
  }
  if (c.remoteAccess && !c.remoteAccess.entry.trim()) return { reason: 'remote access is ticked but no entry is set', check: 'check the remote access entry' };
  return null;
}

/**
 * Whether the report can be sent as it is: its attachments are the ones its envelope declares.
 * (The queue checked the envelope itself when it read the report.)
 */
function reportProblem(report: OutgoingReport): string | null {
  const e = report.envelope as Partial<ReportEnvelope> | null;
  if (!e || typeof e.id !== 'string' || !Array.isArray(e.attachments) || typeof e.kind !== 'string' || !e.server) return 'the envelope is not a report envelope';
  const declared = e.attachments;
  if (declared.length !== report.attachments.length) return `the envelope lists ${declared.length} attachments, the report carries ${report.attachments.length}`;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = report.attachments[i]!;
    if (d.name !== a.name || d.size !== a.size || d.sha256 !== a.sha256) return `attachment ${i + 1} (${a.name}) differs from the envelope's`;
  }
  return null;
}

async function readAttachment(a: OutgoingAttachment): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of a.open()) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > a.size) break;
    chunks.push(bytes);
  }
  if (size !== a.size) throw new Error(`attachment ${a.name} has ${size > a.size ? 'more' : 'fewer'} bytes than the ${a.size} the report declares`);
  return Buffer.concat(chunks);
}

/** Whether the port answers a TLS handshake (asked after a greeting that never came). */
function speaksTls(host: string, port: number, caPems: readonly string[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      rejectUnauthorized: true,
      ...(caPems.length ? { secureContext: trustWith(caPems) } : {}),
    });
    const done = (yes: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(yes);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    // A certificate the client does not trust still means the server spoke TLS.
    socket.once('error', (err: NodeJS.ErrnoException) => done(CERT_UNTRUSTED_CODES.has(err.code ?? '') || CERT_HOSTNAME_CODES.has(err.code ?? '') || /^CERT_/.test(err.code ?? '')));
  });
}

export function createMailReporter(config: MailReporterConfig): Reporter {
  const timeoutMs = config.timeoutMs ?? DEFAULT_MAIL_TIMEOUT_MS;
  const now = config.now ?? (() => new Date());
  const sasl: SaslConfig | null = config.auth ? { ...config.auth, allowUnencryptedAuth: config.allowUnencryptedAuth } : null;
  const secrets = [
    ...(sasl ? saslSecrets(sasl) : []),
    config.pop?.password ?? '',
    config.remoteAccess?.password ?? '',
  ].filter((s) => s.length >= 3);
  const ctx: MailContext = {
    destination: config.destination,
    host: config.host,
    port: config.port,
    security: config.security,
    hasCaFile: config.caFile !== '',
    popHost: config.pop?.host ?? null,
    timeoutMs,
    secrets,
  };
  const fail = (problem: MailProblem, extra: readonly string[] = []) => classifyMailFailure(problem, { ...ctx, secrets: [...secrets, ...extra] });

  async function deliver(report: OutgoingReport, signal: AbortSignal): Promise<Delivery> {
    const bad = configProblem(config);
    if (bad) return fail({ kind: 'config', ...bad });
    const invalid = reportProblem(report);
    if (invalid) return fail({ kind: 'report', reason: invalid });
    if (config.smimeCertificatePem !== null) {
      const problem = certificateProblem(config.smimeCertificatePem, now());
      if (problem) return fail({ kind: 'config', reason: certificateProblemText(problem), check: 'open again with a new key file from the maintenance company' });
    }
    let caPems: string[] = [];
    if (config.caFile) {
      const read = await readMailCaFile(config.caFile);
      if (!Array.isArray(read)) return fail({ kind: 'config', reason: read.reason, check: 'check the CA file in the mail settings' });
      caPems = read;
    }
    const declared = report.attachments.reduce((n, a) => n + a.size, 0);
    if (declared > MAX_MAIL_BYTES) return fail({ kind: 'too-large', bytes: declared, max: MAX_MAIL_BYTES });
    let raw: Buffer;
    try {
      const attachments = await Promise.all(report.attachments.map(async (a) => ({ name: a.name, data: await readAttachment(a) })));
      raw = await composeReportMail({
        envelope: report.envelope,
        attachments,
        sender: config.sender,
        destination: config.destination,
        encoding: config.encoding,
        language: config.language,
        smimeCertificatePem: config.smimeCertificatePem,
        now: now(),
      });
    } catch (err) {
      return fail({ kind: 'report', reason: err instanceof Error ? err.message : String(err) });
    }

    const smtp: SmtpConfig = { host: config.host, port: config.port, security: config.security, caPems, timeoutMs, auth: sasl };
    let link: RemoteAccessLink | null = null;
    let session: SmtpSession | null = null;
    const key = sessionKey(smtp, config.pop ? [config.pop.host, config.pop.port, config.pop.account, config.pop.password, config.pop.waitSeconds].join('\0') : '');
    try {
      if (config.remoteAccess) {
        try {
          link = await remoteAccessUp({ ...config.remoteAccess, timeoutMs: Math.min(timeoutMs, REMOTE_ACCESS_TIMEOUT_MS) }, signal);
        } catch (err) {
          return signal.aborted ? fail({ kind: 'cancelled' }) : fail({ kind: 'remote-access', error: err });
        }
      }
      // A kept session has done its POP log-in and AUTH already; over a link brought up for this report there is none.
      const reused = link ? null : takeSession(key);
      const open = async (): Promise<SmtpSession> => {
        if (config.pop) {
          await popLogin({ host: config.pop.host, port: config.pop.port, account: config.pop.account, password: config.pop.password, timeoutMs: Math.min(timeoutMs, 30_000) }, signal);
          await waitAfterPop(config.pop.waitSeconds * 1000, signal);
        }
        return SmtpSession.open(smtp, signal);
      };
      let info;
      if (reused) {
        try {
          session = reused;
          info = await reused.send(config.sender, config.destination, raw, signal);
        } catch (err) {
          // The server may have closed a kept session meanwhile: once more on a new one.
          if (!(err instanceof SmtpFailure) || signal.aborted) throw err;
          reused.close();
          session = await open();
          info = await session.send(config.sender, config.destination, raw, signal);
        }
      } else {
        session = await open();
        info = await session.send(config.sender, config.destination, raw, signal);
      }
      if (link) session.quit();
      else keepSession(key, session);
      const answer = (info.response ?? '').replace(/\s+/g, ' ').slice(0, 160);
      return { ok: true, destination: config.destination, detail: `the mail server ${config.host}:${config.port} accepted report ${report.envelope.id} (${answer})` };
    } catch (err) {
      session?.close();
      const extra = session?.secrets ?? [];
      if (signal.aborted || err instanceof SmtpCancelled) return fail({ kind: 'cancelled' }, extra);
      if (err instanceof SmtpFailure) {
        const silent = (err.error as { timeoutType?: string } | null)?.timeoutType === 'GREETING_TIMEOUT';
        const probe = silent && config.security !== 'tls' ? await speaksTls(config.host, config.port, caPems, Math.min(3_000, timeoutMs)) : undefined;
        return fail({ kind: 'smtp', failure: err, speaksTls: probe }, extra);
      }
      if (err instanceof PopError) return fail({ kind: 'pop', error: err }, extra);
      return fail({ kind: 'report', reason: err instanceof Error ? err.message : String(err) }, extra);
    } finally {
      if (link) await link.down();
    }
  }

  async function send(report: OutgoingReport, options: { signal?: AbortSignal } = {}): Promise<Delivery> {
    if (options.signal?.aborted) return fail({ kind: 'cancelled' });
    const abort = new AbortController();
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const onCancel = () => abort.abort();
    options.signal?.addEventListener('abort', onCancel, { once: true });
    try {
      const out = await deliver(report, abort.signal);
      if (timedOut && !out.ok && out.step === 'cancelled') return fail({ kind: 'timeout' });
      return out;
    } catch (err) {
      return fail({ kind: 'report', reason: err instanceof Error ? err.message : String(err) });
    } finally {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onCancel);
    }
  }

  return { name: 'express-mail', channel: 'mail', send };
}
