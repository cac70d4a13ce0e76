/**
 * Every way an HTTPS delivery can fail, turned into one `Delivery` failure in one place: the
 * step (what failed), whether trying again later may help, and a one-line English detail that
 * says what failed and what to check. The window translates by step (HTTPS_FAILURE_HINTS).
 */
import { STATUS_CODES } from 'node:http';
import type { Delivery, DeliveryStep } from '../reporter';
import { AttachmentReadError } from './multipart';

export type DeliveryFailure = Extract<Delivery, { ok: false }>;

export interface HttpsContext {
  /** the URL as shown to people (no credentials) */
  destination: string;
  /** the center's host and port from the URL */
  host: string;
  port: number;
  proxy: { host: string; port: number; withCredentials: boolean } | null;
  /** an extra CA file is set in the HTTPS settings */
  hasCaFile: boolean;
  timeoutMs: number;
  /** strings never to show (the proxy password and its Basic token): cut from any text that comes from outside */
  secrets?: readonly string[];
}

/** What went wrong, as the reporter saw it. */
export type HttpsProblem =
  /** an exception from undici, node:net/tls/dns or the body stream */
  | { kind: 'error'; error: unknown }
  /** the reporter's own deadline passed */
  | { kind: 'timeout' }
  /** the caller's signal aborted the delivery */
  | { kind: 'cancelled' }
  /** the center answered with a status other than 200 */
  | { kind: 'status'; status: number; reason?: string; location?: string }
  /** the center answered 200 but not with the acknowledgement docs/formats/https.md defines */
  | { kind: 'answer'; reason: string }
  /** the settings cannot work (bad URL, unreadable CA file, …) */
  | { kind: 'config'; reason: string; check: string }
  /** the report itself cannot be sent as it is (envelope and attachments disagree, …) */
  | { kind: 'report'; reason: string };

/** What to check, per step: the window shows its own translation of these. */
export const HTTPS_FAILURE_HINTS: Readonly<Record<DeliveryStep, string>> = {
  config: 'check the HTTPS settings (URL, CA file, proxy)',
  dns: 'check the host name in the URL or the proxy address, and the DNS settings of this computer',
  connect: 'check the URL, the network and the firewall (port 443), and that the center is reachable',
  tls: "check the CA file in the HTTPS settings, the host name in the URL and this computer's clock",
  proxy: 'check the proxy address and port, and that the proxy is running and allows HTTPS (CONNECT)',
  'proxy-auth': 'check the proxy user name and password (Basic authentication)',
  auth: 'check the user name and password',
  send: 'check the network; the report is sent again later',
  'http-status': 'check the URL; if the center keeps refusing, contact the maintenance company',
  timeout: 'check the network and the proxy; the report is sent again later',
  protocol: 'check the URL: the answer did not come from an Express Report center',
  cancelled: 'the delivery was cancelled',
};

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNTRUSTED_CODES = new Set([
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
const HOSTNAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
const TUNNEL = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/;

interface ErrorFacts {
  codes: string[];
  messages: string[];
  syscall?: string;
  attachment?: AttachmentReadError;
}

/** The codes and messages of an error, its causes and (AggregateError) its errors. */
function facts(error: unknown): ErrorFacts {
  const out: ErrorFacts = { codes: [], messages: [] };
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number): void => {
    if (e === null || e === undefined || seen.has(e) || depth > 8) return;
    seen.add(e);
    if (e instanceof AttachmentReadError) out.attachment ??= e;
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

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Makes a message one short line. */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const line = text.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Cuts the secrets out of text that came from outside (an error message, the center's reason). */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** The one classification of every HTTPS failure. */
export function classifyHttpsFailure(problem: HttpsProblem, ctx: HttpsContext): DeliveryFailure {
  const destination = ctx.destination;
  const center = hostPort(ctx.host, ctx.port);
  const proxy = ctx.proxy ? hostPort(ctx.proxy.host, ctx.proxy.port) : null;
  const fail = (step: DeliveryStep, retryable: boolean, detail: string, status?: number): DeliveryFailure => ({
    ok: false,
    destination,
    step,
    retryable,
    detail: oneLine(detail),
    ...(status !== undefined ? { status } : {}),
  });

  switch (problem.kind) {
    case 'config':
      return fail('config', false, `${problem.reason}: ${problem.check}`);
    case 'report':
      return fail('send', false, `the report cannot be sent as it is (${problem.reason}): this is a product error; contact support`);
    case 'cancelled':
      return fail('cancelled', true, `the delivery to ${center} was cancelled before the center acknowledged it`);
    case 'timeout':
      return fail(
        'timeout',
        true,
        `no answer from the center ${center}${proxy ? ` through the proxy ${proxy}` : ''} within ${seconds(ctx.timeoutMs)}: ` +
          `check the network${proxy ? ' and the proxy' : ''}; the report is sent again later`,
      );
    case 'answer':
      return fail('protocol', false, `the answer from ${center} is not an Express Report acknowledgement (${redact(problem.reason, ctx.secrets)}): check the URL`);
    case 'status':
      return statusFailure({ ...problem, reason: problem.reason && redact(problem.reason, ctx.secrets), location: problem.location && redact(problem.location, ctx.secrets) }, center, fail);
    case 'error':
      return errorFailure(problem.error, ctx, center, proxy, fail);
  }
}

type Fail = (step: DeliveryStep, retryable: boolean, detail: string, status?: number) => DeliveryFailure;

function statusFailure(problem: { status: number; reason?: string; location?: string }, center: string, fail: Fail): DeliveryFailure {
  const { status } = problem;
  const said = problem.reason ? `, "${oneLine(problem.reason, 120)}"` : '';
  const what = `the center ${center} answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + said;
  if (status >= 500 || status === 408 || status === 429) {
    return fail('http-status', true, `${what}: the center is busy or unavailable; the report is sent again later`, status);
  }
  if (status >= 300 && status < 400) {
    const to = problem.location ? ` to ${oneLine(problem.location, 120)}` : '';
    return fail('http-status', false, `${what} (a redirect${to}, which is not followed): check the URL`, status);
  }
  if (status === 404 || status === 405) return fail('http-status', false, `${what}: there is no report receiver at this URL; check the URL`, status);
  if (status === 401 || status === 403) return fail('http-status', false, `${what}: the center refused access; check the URL with the maintenance company`, status);
  if (status === 413) return fail('http-status', false, `${what}: the report is too large for the center; check MaxSize in AMHTPLOG.INF`, status);
  if (status === 400 || status === 415 || status === 422) {
    return fail('http-status', false, `${what}: the center refused the report as malformed; check the URL and the product version`, status);
  }
  return fail('http-status', false, `${what}: check the URL; if it persists, contact the maintenance company`, status);
}

function errorFailure(error: unknown, ctx: HttpsContext, center: string, proxy: string | null, fail: Fail): DeliveryFailure {
  const f = facts(error);
  const has = (set: Set<string>) => f.codes.find((c) => set.has(c));

  if (f.attachment) {
    return fail('send', false, `${f.attachment.message}: the collected file changed or vanished; the report must be collected again`);
  }

  // The proxy answered the CONNECT with something other than 200.
  const tunnel = f.messages.map((m) => TUNNEL.exec(m)).find((m) => m);
  if (tunnel && proxy) {
    const status = Number(tunnel[1]);
    if (status === 407 || status === 401) {
      return ctx.proxy?.withCredentials
        ? fail('proxy-auth', false, `the proxy ${proxy} refused the user name or password (${status}): check the proxy user and password`, status)
        : fail('proxy-auth', false, `the proxy ${proxy} requires a user name and password (${status}): set the proxy user and password`, status);
    }
    if (status === 403) {
      return fail('proxy', false, `the proxy ${proxy} refused to connect to ${center} (403): check that the proxy allows HTTPS (CONNECT) to the center`, status);
    }
    if (status >= 500) {
      return fail(
        'connect',
        true,
        `the proxy ${proxy} could not connect to the center ${center} (${status}): check the host name and port in the URL and that the proxy can reach the center`,
        status,
      );
    }
    return fail('proxy', false, `the proxy ${proxy} did not open a tunnel to ${center} (${status}): check the proxy settings`, status);
  }

  const dns = has(DNS_CODES);
  if (dns) {
    // Through a proxy, the center's name is resolved by the proxy: a local DNS failure is the proxy's name.
    return proxy
      ? fail('dns', true, `the proxy host name ${ctx.proxy!.host} could not be resolved (${dns}): check the proxy address and the DNS settings`)
      : fail('dns', true, `the host name ${ctx.host} could not be resolved (${dns}): check the host name in the URL and the DNS settings`);
  }

  const timeout = has(TIMEOUT_CODES);
  if (timeout) {
    const what = timeout === 'UND_ERR_CONNECT_TIMEOUT' || timeout === 'ETIMEDOUT' ? `could not connect to ${proxy ? `the proxy ${proxy}` : `the center ${center}`}` : `no answer from the center ${center}`;
    return fail('timeout', true, `${what} in time (${timeout}): check the network${proxy ? ' and the proxy' : ' and the firewall'}; the report is sent again later`);
  }

  const hostname = has(HOSTNAME_CODES);
  if (hostname) {
    return fail('tls', false, `the center's certificate is not valid for the host name ${ctx.host} (${hostname}): check the host name in the URL`);
  }
  if (f.codes.includes('CERT_HAS_EXPIRED')) {
    return fail('tls', false, `the center's certificate has expired (CERT_HAS_EXPIRED): check this computer's clock, or contact the maintenance company`);
  }
  if (f.codes.includes('CERT_NOT_YET_VALID')) {
    return fail('tls', false, `the center's certificate is not yet valid (CERT_NOT_YET_VALID): check this computer's clock`);
  }
  const untrusted = has(UNTRUSTED_CODES);
  if (untrusted) {
    const check = ctx.hasCaFile
      ? 'check that the CA file in the HTTPS settings is the one the maintenance company gave'
      : 'set the CA file the maintenance company gave in the HTTPS settings';
    return fail('tls', false, `the center's certificate is not issued by a trusted CA (${untrusted}): ${check}`);
  }
  const ssl = f.codes.find((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_') || c === 'EPROTO' || c === 'UND_ERR_PRX_TLS');
  if (ssl) {
    return fail('tls', false, `the TLS handshake with ${center} failed (${ssl}): check that the URL names an HTTPS port of the center`);
  }

  const refused = has(CONNECT_CODES);
  if (refused) {
    // Through a proxy the only connection this computer opens is the one to the proxy.
    return proxy
      ? fail('proxy', true, `could not connect to the proxy ${proxy} (${refused}): check the proxy address and port and that the proxy is running`)
      : fail('connect', true, `could not connect to the center ${center} (${refused}): check the URL, the network and the firewall`);
  }
  const reset = has(RESET_CODES);
  if (reset) {
    return fail('connect', true, `the connection to ${proxy ? `the center through the proxy ${proxy}` : `the center ${center}`} was reset (${reset}): check the network and the firewall; the report is sent again later`);
  }
  if (f.codes.includes('UND_ERR_SOCKET')) {
    return fail('send', true, `the connection to the center ${center} closed before it answered (UND_ERR_SOCKET): check the network; the report is sent again later`);
  }

  const code = f.codes[0];
  const message = redact(f.messages[0] ?? String(error), ctx.secrets);
  return fail('send', true, `sending to ${center} failed (${code ?? oneLine(message, 120)}): check the network; the report is sent again later`);
}
