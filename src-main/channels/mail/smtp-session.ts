/**
 * One SMTP session with nodemailer's SMTPConnection: connect with the chosen connection security
 * (an explicit choice, never guessed from the port), authenticate in the product's order
 * (sasl.ts), send raw messages. The connection is verified against the system CAs plus the
 * optional CA file, always. A session that delivered may be kept for the next report
 * (connections.ts). Every failure is thrown as an SmtpFailure naming the phase it happened in.
 */
import { createHash } from 'node:crypto';
import tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SMTPConnectionOptions, SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import type { MailSecurity } from '../../../src-shared/settings';
import { SASL_HANDLER, saslHandler, type SaslConfig } from './sasl';

export interface SmtpConfig {
  host: string;
  port: number;
  security: MailSecurity;
  /** extra trusted CA certificates (PEM), besides the system's */
  caPems: readonly string[];
  timeoutMs: number;
  /** SMTP AUTH; null when the server needs none */
  auth: SaslConfig | null;
}

export type SmtpPhase = 'connect' | 'auth' | 'send';

export class SmtpFailure extends Error {
  constructor(
    readonly phase: SmtpPhase,
    readonly error: unknown,
    /** the connection was encrypted when it failed */
    readonly secure: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'SmtpFailure';
  }
}

export class SmtpCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'SmtpCancelled';
  }
}

/** Secure contexts by their extra CAs: parsing every system CA takes milliseconds, so once per CA set. */
const contexts = new Map<string, tls.SecureContext>();

/** The system CAs and the extra ones, as one secure context (`ca` alone would replace the system's). */
export function trustWith(caPems: readonly string[]): tls.SecureContext {
  const key = createHash('sha256').update(caPems.join('\n')).digest('hex');
  let context = contexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ...caPems], minVersion: 'TLSv1.2' });
    if (contexts.size >= 8) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, context);
  }
  return context;
}

function connectionOptions(config: SmtpConfig): SMTPConnectionOptions {
  // `ca` replaces node's trust store: the system CAs and the extra ones. Verification is
  // explicit, so that not even NODE_TLS_REJECT_UNAUTHORIZED=0 can switch it off.
  const tlsOptions: tls.ConnectionOptions = { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  if (config.caPems.length > 0) tlsOptions.secureContext = trustWith(config.caPems);
  // The greeting has its own, shorter limit, so that a port that says nothing is named as such.
  const greeting = Math.min(30_000, Math.floor(config.timeoutMs / 2));
  return {
    host: config.host,
    port: config.port,
    // `secure` is always given: nodemailer would otherwise switch TLS on by itself for port 465.
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    opportunisticTLS: false,
    tls: tlsOptions,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: greeting,
    socketTimeout: config.timeoutMs,
    dnsTimeout: Math.min(30_000, config.timeoutMs),
    socketCloseTimeout: 1_000,
    logger: false,
    debug: false,
  };
}

export class SmtpSession {
  private broken = false;
  private lastError: unknown = null;
  /** messages sent on this connection */
  sent = 0;
  /** the secrets that passed through this session (access tokens), to be cut from any text */
  readonly secrets: string[] = [];

  private constructor(private readonly connection: SMTPConnection) {
    connection.on('error', (err: unknown) => {
      this.broken = true;
      this.lastError = err;
    });
    connection.on('end', () => {
      this.broken = true;
    });
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  /** still open, and nothing went wrong on it */
  get usable(): boolean {
    return !this.broken;
  }

  /** Runs one step of the session: its callback, or the connection's error or end, whichever comes first. */
  private step<T>(phase: SmtpPhase, start: (done: (err: unknown, value?: T) => void) => void, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (err: unknown, value?: T): void => {
        if (settled) return;
        settled = true;
        this.connection.removeListener('error', onError);
        this.connection.removeListener('end', onEnd);
        signal?.removeEventListener('abort', onAbort);
        if (err === null || err === undefined) resolve(value as T);
        else {
          this.broken = true;
          reject(err instanceof SmtpCancelled ? err : new SmtpFailure(phase, err, this.connection.secure));
        }
      };
      const onError = (err: unknown): void => finish(err);
      const onEnd = (): void => finish(this.lastError ?? Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }));
      const onAbort = (): void => {
        finish(new SmtpCancelled());
        this.close();
      };
      this.connection.once('error', onError);
      this.connection.once('end', onEnd);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      try {
        start((err, value) => finish(err ?? null, value));
      } catch (err) {
        finish(err);
      }
    });
  }

  /** Connects (greeting, EHLO, STARTTLS as chosen) and authenticates when the settings say so. */
  static async open(config: SmtpConfig, signal?: AbortSignal): Promise<SmtpSession> {
    const options = connectionOptions(config);
    const holder: { session: SmtpSession | null } = { session: null };
    if (config.auth) {
      const auth = config.auth;
      options.customAuth = { [SASL_HANDLER]: (ctx) => saslHandler(auth, () => holder.session?.secure ?? false, holder.session!.secrets)(ctx) };
    }
    const session = new SmtpSession(new SMTPConnection(options));
    holder.session = session;
    try {
      await session.step<void>('connect', (done) => session.connection.connect((err) => done(err ?? null)), signal);
      if (config.auth) {
        await session.step<boolean>('auth', (done) => session.connection.login({ method: SASL_HANDLER, user: config.auth!.account, pass: '-' }, done), signal);
      }
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  /** Sends one message as it is (MAIL FROM, RCPT TO, DATA). */
  send(from: string, to: string, raw: Buffer, signal?: AbortSignal): Promise<SMTPConnectionSendInfo> {
    return this.step<SMTPConnectionSendInfo>(
      'send',
      (done) => this.connection.send({ from, to: [to], size: raw.length }, raw, (err, info) => done(err ?? null, info)),
      signal,
    ).then((info) => {
      this.sent++;
      return info;
    });
  }

  /** A kept session does not hold the process open (a one-shot CLI ends at once); taken again, it does. */
  hold(held: boolean): void {
    const socket = this.connection._socket;
    if (socket) {
      if (held) socket.ref();
      else socket.unref();
    }
  }

  /** Ends the session politely (QUIT), the socket closing soon after. */
  quit(): void {
    this.broken = true;
    try {
      this.connection.quit();
    } catch {
      this.close();
    }
  }

  close(): void {
    this.broken = true;
    try {
      this.connection.close();
    } catch {
      // already closed
    }
  }
}
