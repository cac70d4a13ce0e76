/**
 * What the mail reporter keeps between reports: SMTP sessions that delivered, kept open for a
 * moment so that a queue draining after an outage sends many reports over one connection (no TCP,
 * TLS, POP and AUTH per report), and the CA file, read once while it is unchanged.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { SmtpConfig, SmtpSession } from './smtp-session';

const MAX_CA_FILE_BYTES = 1024 * 1024;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** An idle session is closed after this long. */
const IDLE_MS = 2_000;
/** Sessions kept per destination key. */
const MAX_IDLE = 4;
/** A session is ended after this many messages (servers limit them per connection). */
export const MAX_MESSAGES_PER_SESSION = 100;

const caFiles = new Map<string, { stamp: string; pems: string[]; checkedAt: number }>();
/** A CA file is looked at again (one stat) when this long has passed: a file replaced on disk counts within a second. */
const CA_RECHECK_MS = 1_000;

/** The CA file's certificates, or why it cannot be used. */
export async function readMailCaFile(file: string): Promise<string[] | { reason: string }> {
  let stamp: string;
  const now = performance.now();
  const cached = caFiles.get(file);
  if (cached && now - cached.checkedAt < CA_RECHECK_MS) return cached.pems;
  try {
    const stat = await fsp.stat(file);
    if (!stat.isFile()) return { reason: `the CA file ${file} is not a file` };
    if (stat.size > MAX_CA_FILE_BYTES) return { reason: `the CA file ${file} is larger than 1 MiB` };
    stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    const known = caFiles.get(file);
    if (known?.stamp === stamp) {
      known.checkedAt = now;
      return known.pems;
    }
    const pems = (await fsp.readFile(file, 'utf8')).match(PEM_CERT) ?? [];
    if (pems.length === 0) return { reason: `the CA file ${file} holds no PEM certificate` };
    for (const pem of pems) new X509Certificate(pem);
    caFiles.set(file, { stamp, pems, checkedAt: now });
    return pems;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reason: code ? `the CA file ${file} could not be read (${code})` : `the CA file ${file} holds a certificate that cannot be read` };
  }
}

/** The key of the sessions a config may share: a hash, since it covers the credentials. */
export function sessionKey(config: SmtpConfig, extra: string): string {
  const a = config.auth;
  const parts = [
    config.host,
    String(config.port),
    config.security,
    String(config.timeoutMs),
    ...config.caPems,
    a ? [a.account, a.password, a.mechanisms.join(','), String(a.allowUnencryptedAuth), a.oauth ? JSON.stringify(a.oauth) : ''].join('\0') : '',
    extra,
  ];
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

interface Idle {
  session: SmtpSession;
  timer: NodeJS.Timeout;
}

const idle = new Map<string, Idle[]>();

/** An idle session for `key`, or null. */
export function takeSession(key: string): SmtpSession | null {
  const list = idle.get(key);
  while (list && list.length > 0) {
    const item = list.pop()!;
    clearTimeout(item.timer);
    if (list.length === 0) idle.delete(key);
    if (item.session.usable) {
      item.session.hold(true);
      return item.session;
    }
    item.session.close();
  }
  return null;
}

/** Keeps a session that delivered for the next report to the same key, for a moment. */
export function keepSession(key: string, session: SmtpSession): void {
  if (!session.usable || session.sent >= MAX_MESSAGES_PER_SESSION) return session.quit();
  const list = idle.get(key) ?? [];
  if (list.length >= MAX_IDLE) return session.quit();
  const item: Idle = {
    session,
    timer: setTimeout(() => {
      const now = idle.get(key);
      const at = now?.indexOf(item) ?? -1;
      if (now && at >= 0) now.splice(at, 1);
      if (now?.length === 0) idle.delete(key);
      session.quit();
    }, IDLE_MS),
  };
  item.timer.unref();
  session.hold(false);
  list.push(item);
  idle.set(key, list);
}

/** Ends every kept session (the service stops; tests). */
export function closeMailConnections(): void {
  for (const list of idle.values()) {
    for (const item of list) {
      clearTimeout(item.timer);
      item.session.quit();
    }
  }
  idle.clear();
}
