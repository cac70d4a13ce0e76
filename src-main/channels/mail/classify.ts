/**
 * Every way a report mail can fail, turned into one `Delivery` failure in one place
 * (docs/formats/mail.md "Failures"): the step (channels/steps.ts: the generic ones and greeting,
 * auth, pop, mail-from, rcpt-to, data, size), whether trying again later may help (4xx, a
 * dropped connection, a server or network down: yes; 5xx, a wrong password, an untrusted
 * certificate: no), and a one-line English detail that says what failed and what to check. The
 * window's hint in the user's language is `delivery.mail.<step>` (reports/outcome.ts). Secrets
 * are cut from every text that came from outside.
 */
import {
  CERT_HOSTNAME_CODES,
  CERT_UNTRUSTED_CODES,
  CONNECT_CODES,
  DNS_CODES,
  errorFacts,
  firstCodeIn,
  hostPort,
  isTlsHandshakeCode,
  oneLine,
  redact,
  RESET_CODES,
  seconds,
} from '../../lib/net-errors';
import type { MailSecurity } from '../../../src-shared/settings';
import type { DeliveryFailure } from '../reporter';
import type { StepOf } from '../steps';
import { PopError } from './pop3';
import { RemoteAccessError } from './remote-access';
import { SaslError } from './sasl';
import { SmtpFailure } from './smtp-session';

export type MailStep = StepOf<'mail'>;
export type { DeliveryFailure };

export interface MailContext {
  /** the destination address as the history shows it */
  destination: string;
  host: string;
  port: number;
  security: MailSecurity;
  hasCaFile: boolean;
  popHost: string | null;
  timeoutMs: number;
  /** never shown: passwords, the OAuth secret and tokens, their base64 forms */
  secrets: readonly string[];
}

export type MailProblem =
  | { kind: 'config'; reason: string; check: string }
  | { kind: 'report'; reason: string }
  | { kind: 'too-large'; bytes: number; max: number }
  | { kind: 'cancelled' }
  | { kind: 'timeout' }
  | { kind: 'pop'; error: unknown }
  | { kind: 'remote-access'; error: unknown }
  /** an SMTP failure; `speaksTls` says whether the port answered a TLS handshake (probed after a silent greeting) */
  | { kind: 'smtp'; failure: SmtpFailure; speaksTls?: boolean };

interface SmtpErrorShape {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  timeoutType?: string;
}

export function classifyMailFailure(problem: MailProblem, ctx: MailContext): DeliveryFailure {
  const server = hostPort(ctx.host, ctx.port);
  const clean = (text: string) => oneLine(redact(text, ctx.secrets));
  const fail = (step: MailStep, retryable: boolean, detail: string, status?: number): DeliveryFailure => ({
    ok: false,
    destination: ctx.destination,
    channel: 'mail',
    step,
    retryable,
    detail: clean(detail),
    ...(status ? { status } : {}),
  });

  switch (problem.kind) {
    case 'config':
      return fail('config', false, `${problem.reason}: ${problem.check}`);
    case 'report':
      return fail('data', false, `the report cannot be sent as it is (${problem.reason}): this is a product error; contact support`);
    case 'too-large':
      return fail('size', false, `the report mail would be ${problem.bytes} bytes, more than the ${problem.max} bytes a report mail may have: check MaxSize in AMHTPLOG.INF`);
    case 'cancelled':
      return fail('cancelled', true, `the delivery to ${server} was cancelled before the mail server accepted the mail`);
    case 'timeout':
      return fail('timeout', true, `the delivery through ${server} did not end within ${seconds(ctx.timeoutMs)}: check the network; the report is sent again later`);
    case 'pop':
      return popFailure(problem.error, ctx, fail);
    case 'remote-access': {
      const e = problem.error;
      const why = e instanceof Error ? e.message : String(e);
      return fail('connect', e instanceof RemoteAccessError ? e.transient : true, `remote access (dial-up) could not be brought up: ${why}`);
    }
    case 'smtp':
      return smtpFailure(problem.failure, problem.speaksTls, ctx, server, fail);
  }
}

type Fail = (step: MailStep, retryable: boolean, detail: string, status?: number) => DeliveryFailure;

function popFailure(error: unknown, ctx: MailContext, fail: Fail): DeliveryFailure {
  if (!(error instanceof PopError)) return fail('pop', true, `POP before SMTP failed (${error instanceof Error ? error.message : String(error)})`);
  switch (error.kind) {
    case 'dns':
      return fail('dns', true, `${error.message}: check the POP server's host name and the DNS settings`);
    case 'connect':
    case 'timeout':
    case 'greeting':
      return fail('pop', true, `${error.message}: check the POP server and its port (110); the report is sent again later`);
    case 'user':
    case 'pass':
      return error.transient
        ? fail('pop', true, `${error.message}: the POP server asks to try later; the report is sent again later`)
        : fail('pop', false, `${error.message}: check the POP account name and password`);
    case 'protocol':
      return fail('pop', false, `${error.message}: check the POP server's port (110)`);
    case 'cancelled':
      return fail('cancelled', true, error.message);
  }
}

function saslFailure(e: SaslError, server: string, fail: Fail): DeliveryFailure {
  switch (e.kind) {
    case 'unencrypted':
      return fail('auth', false, `${server}: ${e.reason}`);
    case 'none-offered':
      return fail('auth', false, `${server}: ${e.reason}: check the authentication methods`);
    case 'oauth':
    case 'connection':
      return fail('auth', e.transient, `${server}: ${e.reason}`);
    case 'refused': {
      const wrong = e.attempts.some((a) => a.status === 535);
      const check = e.transient
        ? 'the server asks to try later; the report is sent again later'
        : wrong
          ? 'check the SMTP account name and password'
          : e.attempts.some((a) => a.status === 538)
            ? 'the server wants an encrypted connection for this method: choose STARTTLS or TLS'
            : 'check the SMTP account name, password and authentication methods';
      return fail('auth', e.transient, `${server}: ${e.reason}: ${check}`, e.status);
    }
  }
}

function smtpFailure(failure: SmtpFailure, speaksTls: boolean | undefined, ctx: MailContext, server: string, fail: Fail): DeliveryFailure {
  const f = errorFacts(failure.error);
  // nodemailer replaces a system error's code with its own and keeps the first as originalCode.
  for (const x of f.chain) {
    const original = (x as { originalCode?: unknown } | null)?.originalCode;
    if (typeof original === 'string') f.codes.push(original);
  }
  const sasl = f.chain.find((x): x is SaslError => x instanceof SaslError);
  if (sasl) return saslFailure(sasl, server, fail);
  const e = (failure.error ?? {}) as SmtpErrorShape;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said = e.response ? ` ("${oneLine(e.response, 160)}")` : '';
  const command = (e.command ?? '').toUpperCase();
  const has = (set: ReadonlySet<string>) => firstCodeIn(f, set);
  const text = f.messages.join(' ');

  const dns = has(DNS_CODES) ?? (f.codes.includes('EDNS') ? 'EDNS' : undefined);
  if (dns) return fail('dns', true, `the mail server's host name ${ctx.host} could not be resolved (${dns}): check the SMTP server name and the DNS settings`);
  const refused = has(CONNECT_CODES);
  if (refused) return fail('connect', true, `could not connect to the mail server ${server} (${refused}): check the SMTP server, its port, the network and the firewall`);

  const hostname = has(CERT_HOSTNAME_CODES);
  if (hostname) return fail('tls', false, `the mail server's certificate is not valid for the host name ${ctx.host} (${hostname}): check the SMTP server name`);
  if (f.codes.includes('CERT_HAS_EXPIRED')) return fail('tls', false, `the mail server's certificate has expired (CERT_HAS_EXPIRED): check this computer's clock, or ask the mail server's administrator`);
  if (f.codes.includes('CERT_NOT_YET_VALID')) return fail('tls', false, `the mail server's certificate is not yet valid (CERT_NOT_YET_VALID): check this computer's clock`);
  const untrusted = has(CERT_UNTRUSTED_CODES);
  if (untrusted) {
    const check = ctx.hasCaFile ? 'check that the CA file in the mail settings is the one that issued it' : 'set the CA file of the mail server in the mail settings';
    return fail('tls', false, `the mail server's certificate is not issued by a trusted CA (${untrusted}): ${check}`);
  }
  const wrongVersion = /wrong version number|unknown protocol|packet length too long|http request/i.test(text);
  const handshake = f.codes.find((c) => isTlsHandshakeCode(c));
  if (ctx.security === 'tls' && (wrongVersion || handshake)) {
    return fail('tls', false, `the mail server ${server} does not speak TLS from the start (${handshake ?? 'wrong version number'}): port 465 is TLS; for 25 or 587 choose STARTTLS`);
  }
  if (command === 'STARTTLS' || (f.codes.includes('ETLS') && command !== 'CONN')) {
    return fail('tls', false, `the mail server ${server} did not start TLS (STARTTLS)${said}: choose TLS for port 465, or check that the server offers STARTTLS`, status);
  }
  if (handshake) return fail('tls', false, `the TLS handshake with ${server} failed (${handshake}): check the connection security and the port`);

  if (e.timeoutType === 'GREETING_TIMEOUT' || /Greeting never received/i.test(text)) {
    if (speaksTls) {
      return fail('tls', false, `greeting never received from ${server}: the port speaks TLS from the start (465); choose TLS as the connection security`);
    }
    return fail('greeting', true, `greeting never received from the mail server ${server}: check that the port is the SMTP port; the report is sent again later`);
  }
  if (e.timeoutType === 'CONNECT_TIMEOUT') return fail('timeout', true, `could not connect to the mail server ${server} in time: check the network and the firewall; the report is sent again later`);
  if (e.timeoutType === 'SOCKET_TIMEOUT' || f.codes.includes('ETIMEDOUT')) {
    return fail(failure.phase === 'send' ? 'data' : 'timeout', true, `the mail server ${server} stopped answering (timed out): check the network; the report is sent again later`);
  }

  if (status === 530 || (status !== undefined && /STARTTLS first|must issue a STARTTLS/i.test(e.response ?? ''))) {
    if (/STARTTLS/i.test(e.response ?? '')) return fail('tls', false, `the mail server ${server} wants STARTTLS first${said}: choose STARTTLS as the connection security`, status);
    return fail('auth', false, `the mail server ${server} requires authentication${said}: tick [This server requires SMTP authentication] and set the account`, status);
  }
  const limit = /Message size larger than allowed (\d+)/.exec(text);
  if (limit) return fail('size', false, `the mail server ${server} accepts mails of at most ${limit[1]} bytes (SIZE), and the report mail is larger: ask the mail server's administrator about its size limit`);
  if (status === 552 || /message size exceeds|too (big|large)/i.test(e.response ?? '')) {
    return fail('size', false, `the mail server ${server} refused the report mail as too large${said}: ask the mail server's administrator about its size limit`, status);
  }
  if (status === 421) {
    return fail(command === 'CONN' ? 'greeting' : command === 'RCPT TO' ? 'rcpt-to' : command === 'DATA' ? 'data' : 'refused', true, `the mail server ${server} is not available now${said}; the report is sent again later`, status);
  }
  if (command === 'CONN' && status !== undefined) {
    return fail('greeting', status < 500, `the mail server ${server} refused the connection${said}: check the SMTP server`, status);
  }
  if ((command === 'EHLO' || command === 'HELO') && status !== undefined) {
    return fail('greeting', status < 500, `the mail server ${server} refused EHLO and HELO${said}: check the SMTP server`, status);
  }
  if (command === 'MAIL FROM' && status !== undefined) {
    return fail('mail-from', status < 500, `the mail server ${server} refused the sender address${said}: ${status < 500 ? 'the report is sent again later' : "check the sender's mail address"}`, status);
  }
  if (command === 'RCPT TO' && status !== undefined) {
    if (status < 500) return fail('rcpt-to', true, `the mail server ${server} deferred the destination address${said} (greylisting or busy); the report is sent again later`, status);
    const relay = /relay|not permitted|access denied|authenticat/i.test(e.response ?? '') || status === 554;
    return fail(
      'rcpt-to',
      false,
      relay
        ? `the mail server ${server} does not relay for this computer${said}: tick POP before SMTP or SMTP authentication as the server needs`
        : `the mail server ${server} refused the destination address${said}: check the destination address`,
      status,
    );
  }
  if ((command === 'DATA' || f.codes.includes('EMESSAGE')) && status !== undefined) {
    return fail('data', status < 500, `the mail server ${server} did not accept the report mail${said}${status < 500 ? '; the report is sent again later' : ''}`, status);
  }
  const reset = has(RESET_CODES);
  if (reset || f.codes.includes('ECONNECTION') || /Connection closed/i.test(text)) {
    if (failure.phase === 'send') return fail('data', true, `the connection to ${server} dropped during the delivery (${reset ?? 'closed'}): the report is sent again later`);
    return fail('greeting', true, `the mail server ${server} closed the connection (${reset ?? 'closed'}): check the SMTP server and its port; the report is sent again later`);
  }
  if (f.codes.includes('EPROTOCOL')) return fail('protocol', false, `${server} did not answer as a mail server${said}: check the SMTP server and its port`, status);
  if (status !== undefined) return fail('refused', status < 500, `the mail server ${server} answered${said}`, status);
  const first = f.codes[0] ?? oneLine(f.messages[0] ?? 'unknown', 120);
  return fail('protocol', true, `sending through ${server} failed (${first}): check the network; the report is sent again later`);
}
