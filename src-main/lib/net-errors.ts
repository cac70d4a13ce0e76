/**
 * What every channel needs to turn a network error into a one-line detail: the error's codes and
 * messages (through its causes), the sets of system error codes that mean "name not found",
 * "could not connect", "reset", "timed out" or "certificate not trusted", and the text helpers
 * that keep a detail to one line without secrets. Nothing here knows a protocol: HTTPS, SMTP,
 * a modem or a manager relay each classify with these in their own folder.
 *
 * This module imports nothing from src-main outside lib/, so any layer may use it.
 */

/** The resolver could not find the name (node:dns, getaddrinfo). */
export const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
/** No connection could be opened to the peer (refused, unreachable, network down). */
export const CONNECT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);
/** An open connection was cut by the peer or the network. */
export const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** The system's own timeout (a transport library adds its own codes). */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT']);
/** node:tls: the peer's certificate does not chain to a trusted CA. */
export const CERT_UNTRUSTED_CODES: ReadonlySet<string> = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_PURPOSE',
  'CERT_REVOKED',
]);
/** node:tls: the peer's certificate is not for the name connected to. */
export const CERT_HOSTNAME_CODES: ReadonlySet<string> = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** A code of node:tls or OpenSSL that means the TLS handshake itself failed. */
export function isTlsHandshakeCode(code: string): boolean {
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO';
}

/** What an error says about itself, gathered from it, its causes and (AggregateError) its errors. */
export interface ErrorFacts {
  /** every `code` string found, outermost first */
  codes: string[];
  /** every message found, outermost first */
  messages: string[];
  /** the first `syscall` found */
  syscall?: string;
  /** every error object visited, so a caller can look for its own error classes */
  chain: unknown[];
}

/**
 * Walks an error and what it wraps. Libraries wrap the system error one or more levels down
 * (undici's `cause`, happy-eyeballs' AggregateError), so the code that says what happened is
 * rarely on the outer error. Cycles and very deep chains are cut.
 */
export function errorFacts(error: unknown): ErrorFacts {
  const out: ErrorFacts = { codes: [], messages: [], chain: [] };
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number): void => {
    if (e === null || e === undefined || seen.has(e) || depth > 8) return;
    seen.add(e);
    out.chain.push(e);
    if (typeof e !== 'object') {
      out.messages.push(String(e));
      return;
    }
    const err = e as { code?: unknown; message?: unknown; syscall?: unknown; cause?: unknown; errors?: unknown };
    if (typeof err.code === 'string') out.codes.push(err.code);
    if (typeof err.message === 'string') out.messages.push(err.message);
    if (typeof err.syscall === 'string') out.syscall ??= err.syscall;
    walk(err.cause, depth + 1);
    if (Array.isArray(err.errors)) for (const inner of err.errors) walk(inner, depth + 1);
  };
  walk(error, 0);
  return out;
}

/** The first code of `facts` that is in `set`. */
export function firstCodeIn(facts: ErrorFacts, set: ReadonlySet<string>): string | undefined {
  return facts.codes.find((c) => set.has(c));
}

/** A host and port as people write them: IPv6 addresses in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A duration in seconds as a detail says it (1 s, 2.5 s). */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Makes a message one short line. */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const line = text.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Cuts the secrets out of text that came from outside (an error message, a server's reason). */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}
