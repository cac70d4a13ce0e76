/**
 * Every way an HTTPS delivery can fail, turned into one `Delivery` failure in one place: the
 * step (what failed), whether trying again later may help, and a one-line English detail that
 * says what failed and what to check. The window says what to check in the user's language from
 * the catalogues' `delivery.https.<step>` texts (reports/outcome.ts). What is not HTTP-specific —
 * the error walker, the system error codes, oneLine and redact — is in lib/net-errors.ts.
 */
import { STATUS_CODES } from 'node:http';
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
  TIMEOUT_CODES,
} from '../../lib/net-errors';
import type { DeliveryFailure } from '../reporter';
import type { StepOf } from '../steps';
import { AttachmentReadError } from './multipart';

/** The steps an HTTPS delivery can fail at: the generic ones and HTTPS_STEPS. */
export type HttpsStep = StepOf<'https'>;

export type { DeliveryFailure };

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

/** undici's own timeouts, on top of the system's. */
const HTTP_TIMEOUT_CODES: ReadonlySet<string> = new Set([...TIMEOUT_CODES, 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TUNNEL = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/;

/** The one classification of every HTTPS failure. */
export function classifyHttpsFailure(problem: HttpsProblem, ctx: HttpsContext): DeliveryFailure {
  const destination = ctx.destination;
  const center = hostPort(ctx.host, ctx.port);
  const proxy = ctx.proxy ? hostPort(ctx.proxy.host, ctx.proxy.port) : null;
  const fail = (step: HttpsStep, retryable: boolean, detail: string, status?: number): DeliveryFailure => ({
    ok: false,
    destination,
    channel: 'https',
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

type Fail = (step: HttpsStep, retryable: boolean, detail: string, status?: number) => DeliveryFailure;

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
  const f = errorFacts(error);
  const has = (set: ReadonlySet<string>) => firstCodeIn(f, set);
  const attachment = f.chain.find((e): e is AttachmentReadError => e instanceof AttachmentReadError);

  if (attachment) {
    return fail('send', false, `${attachment.message}: the collected file changed or vanished; the report must be collected again`);
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

  const timeout = has(HTTP_TIMEOUT_CODES);
  if (timeout) {
    const what = timeout === 'UND_ERR_CONNECT_TIMEOUT' || timeout === 'ETIMEDOUT' ? `could not connect to ${proxy ? `the proxy ${proxy}` : `the center ${center}`}` : `no answer from the center ${center}`;
    return fail('timeout', true, `${what} in time (${timeout}): check the network${proxy ? ' and the proxy' : ' and the firewall'}; the report is sent again later`);
  }

  const hostname = has(CERT_HOSTNAME_CODES);
  if (hostname) {
    return fail('tls', false, `the center's certificate is not valid for the host name ${ctx.host} (${hostname}): check the host name in the URL`);
  }
  if (f.codes.includes('CERT_HAS_EXPIRED')) {
    return fail('tls', false, `the center's certificate has expired (CERT_HAS_EXPIRED): check this computer's clock, or contact the maintenance company`);
  }
  if (f.codes.includes('CERT_NOT_YET_VALID')) {
    return fail('tls', false, `the center's certificate is not yet valid (CERT_NOT_YET_VALID): check this computer's clock`);
  }
  const untrusted = has(CERT_UNTRUSTED_CODES);
  if (untrusted) {
    const check = ctx.hasCaFile
      ? 'check that the CA file in the HTTPS settings is the one the maintenance company gave'
      : 'set the CA file the maintenance company gave in the HTTPS settings';
    return fail('tls', false, `the center's certificate is not issued by a trusted CA (${untrusted}): ${check}`);
  }
  const ssl = f.codes.find((c) => isTlsHandshakeCode(c) || c === 'UND_ERR_PRX_TLS');
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
