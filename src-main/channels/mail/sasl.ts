/**
 * SMTP AUTH in the seed's order (L840): CRAM-MD5, then LOGIN, then PLAIN — then XOAUTH2 when it
 * is ticked — over the mechanisms the server advertises. A checked mechanism the server does not
 * offer is skipped, a refused one moves on to the next checked one, and a failure names every
 * mechanism tried with the server's answer (or, when none of the checked ones is offered, what
 * the server offers). No well-known client falls back like this (nodemailer sends one), so it
 * runs as one nodemailer custom auth handler on the connection the server's EHLO came in on.
 * Credentials go only over an encrypted connection unless the administrator allowed otherwise.
 */
import { createHmac } from 'node:crypto';
import type { SMTPConnectionCustomAuthContext, SMTPConnectionCustomAuthResponse } from 'nodemailer/lib/smtp-connection';
import { accessToken, dropToken, OAuthError, type OAuthConfig } from './oauth';

export const SASL_ORDER = ['CRAM-MD5', 'LOGIN', 'PLAIN', 'XOAUTH2'] as const;
export type SaslMechanism = (typeof SASL_ORDER)[number];

export interface SaslConfig {
  account: string;
  password: string;
  /** the checked mechanisms (any order; tried in SASL_ORDER) */
  mechanisms: readonly SaslMechanism[];
  oauth: OAuthConfig | null;
  allowUnencryptedAuth: boolean;
}

export interface SaslAttempt {
  mechanism: SaslMechanism;
  /** the server's answer (one line), or why the product did not get that far */
  answer: string;
  status: number;
}

/** How AUTH failed; `attempts` in the order tried. */
export class SaslError extends Error {
  /** the reason as made here (nodemailer appends the last reply to `message`) */
  readonly reason: string;
  constructor(
    message: string,
    readonly kind: 'unencrypted' | 'none-offered' | 'refused' | 'oauth' | 'connection',
    readonly attempts: readonly SaslAttempt[],
    readonly offered: readonly string[],
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.reason = message;
    this.name = 'SaslError';
  }
}

/** The handler's name: never a real SASL mechanism, so nodemailer always hands AUTH to it. */
export const SASL_HANDLER = 'X-EXPRESS-REPORT-ORDER';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function oneLine(r: SMTPConnectionCustomAuthResponse): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return r.response.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '').trim().slice(0, 200);
}

type Send = (cmd: string) => Promise<SMTPConnectionCustomAuthResponse>;

async function cramMd5(send: Send, c: SaslConfig): Promise<SMTPConnectionCustomAuthResponse> {
  const challenge = await send('AUTH CRAM-MD5');
  if (challenge.status !== 334) return challenge;
  const decoded = Buffer.from(challenge.text.trim(), 'base64').toString('latin1');
  const digest = createHmac('md5', c.password).update(decoded, 'latin1').digest('hex');
  return send(b64(`${c.account} ${digest}`));
}

async function login(send: Send, c: SaslConfig): Promise<SMTPConnectionCustomAuthResponse> {
  const first = await send('AUTH LOGIN');
  if (first.status !== 334) return first;
  const second = await send(b64(c.account));
  if (second.status !== 334) return second;
  return send(b64(c.password));
}

function plain(send: Send, c: SaslConfig): Promise<SMTPConnectionCustomAuthResponse> {
  return send(`AUTH PLAIN ${b64(`\0${c.account}\0${c.password}`)}`);
}

async function xoauth2(send: Send, c: SaslConfig, token: string): Promise<SMTPConnectionCustomAuthResponse> {
  const answer = await send(`AUTH XOAUTH2 ${b64(`user=${c.account}\x01auth=Bearer ${token}\x01\x01`)}`);
  // A refusal comes as 334 with a JSON error; the client answers with an empty line to get the final reply.
  if (answer.status === 334) return send('');
  return answer;
}

/** The secrets one AUTH exchange can show (cut from any text that comes back). */
export function saslSecrets(c: SaslConfig): string[] {
  const out = [c.password, b64(c.password), b64(`\0${c.account}\0${c.password}`)];
  if (c.oauth) out.push(c.oauth.clientSecret, c.oauth.refreshToken);
  return out.filter((s) => s.length >= 3);
}

/**
 * The auth handler: runs the order over `ctx.authMethods`. `isSecure` says whether the
 * connection is encrypted now; `secrets` gets the access tokens fetched, to be cut from texts.
 */
export function saslHandler(c: SaslConfig, isSecure: () => boolean, secrets: string[]) {
  return async (ctx: SMTPConnectionCustomAuthContext): Promise<void> => {
    const offered = ctx.authMethods.map((m) => m.toUpperCase());
    const checked = SASL_ORDER.filter((m) => c.mechanisms.includes(m));
    const usable = checked.filter((m) => offered.includes(m));
    if (usable.length === 0) {
      const what = offered.length ? `the server offers ${offered.join(', ')}` : 'the server offers no SMTP AUTH at all';
      throw new SaslError(`none of the checked authentication methods (${checked.join(', ')}) is offered: ${what}`, 'none-offered', [], offered, false);
    }
    if (!isSecure() && !c.allowUnencryptedAuth) {
      throw new SaslError(
        'the connection is not encrypted, and the account and password are not sent over it: choose STARTTLS or TLS, or tick "allow authentication without encryption"',
        'unencrypted',
        [],
        offered,
        false,
      );
    }
    const send: Send = (cmd) => ctx.sendCommand(cmd);
    const attempts: SaslAttempt[] = [];
    let transient = false;
    for (const mechanism of usable) {
      let answer: SMTPConnectionCustomAuthResponse;
      if (mechanism === 'XOAUTH2') {
        if (!c.oauth) continue;
        let token: string;
        try {
          token = (await accessToken(c.oauth)).token;
        } catch (err) {
          const reason = err instanceof OAuthError ? err.message : String(err);
          attempts.push({ mechanism, answer: reason, status: 0 });
          transient ||= err instanceof OAuthError && err.transient;
          continue;
        }
        secrets.push(token, b64(`user=${c.account}\x01auth=Bearer ${token}\x01\x01`));
        answer = await xoauth2(send, c, token);
        if (answer.status !== 235) dropToken(c.oauth);
      } else if (mechanism === 'CRAM-MD5') answer = await cramMd5(send, c);
      else if (mechanism === 'LOGIN') answer = await login(send, c);
      else answer = await plain(send, c);
      if (answer.status === 235) return;
      attempts.push({ mechanism, answer: oneLine(answer), status: answer.status });
      if (answer.status >= 400 && answer.status < 500) transient = true;
      // A server that hung up or answers nothing readable cannot be asked again.
      if (answer.status === 421 || answer.status === 0) break;
    }
    const last = attempts[attempts.length - 1];
    const tried = attempts.map((a) => `${a.mechanism}: ${a.answer}`).join('; ');
    const oauthOnly = attempts.length > 0 && attempts.every((a) => a.mechanism === 'XOAUTH2' && a.status === 0);
    throw new SaslError(`SMTP authentication failed (${tried})`, oauthOnly ? 'oauth' : 'refused', attempts, offered, transient, last?.status || undefined);
  };
}
