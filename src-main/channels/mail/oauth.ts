/**
 * OAuth 2.0 access tokens for SMTP AUTH XOAUTH2 (docs/formats/mail.md "OAuth 2.0"): from the
 * token endpoint with the refresh_token grant when a refresh token is set, else the
 * client_credentials grant; kept in memory until shortly before it expires, then fetched
 * again. A token the SMTP server refused (535) is dropped, so the next try fetches a new one.
 * The endpoint is https:// (http:// only on a loopback address); the secret, the refresh token
 * and the access token never appear in a reason.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';

export interface OAuthConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  scope: string;
  timeoutMs: number;
}

/** Why no token could be had: the endpoint not reached, or its refusal (RFC 6749 5.2). */
export class OAuthError extends Error {
  constructor(
    message: string,
    /** trying later may help (endpoint down, 5xx, timeout) */
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

const MAX_ANSWER = 64 * 1024;
/** a token is used until this long before its expiry */
const EARLY_MS = 60_000;

interface Cached {
  accessToken: string;
  expiresAt: number;
  /** a refresh token the endpoint rotated to; used for the next refresh in this process */
  refreshToken: string | null;
}

const cache = new Map<string, Cached>();

function keyOf(c: OAuthConfig): string {
  return createHash('sha256').update([c.tokenUrl, c.clientId, c.clientSecret, c.refreshToken, c.scope].join('\0')).digest('hex');
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** Why the token endpoint cannot be used as it is, or null. */
export function tokenUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `the OAuth token endpoint ${JSON.stringify(url.slice(0, 200))} is not a URL`;
  }
  if (u.username || u.password) return 'the OAuth token endpoint URL holds a user name or password';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return null;
  return `the OAuth token endpoint ${u.origin} is not an https:// URL`;
}

/** Forgets the token (the SMTP server refused it). */
export function dropToken(config: OAuthConfig): void {
  const known = cache.get(keyOf(config));
  if (known) known.expiresAt = 0;
}

/** Forgets every token (tests). */
export function clearTokens(): void {
  cache.clear();
}

/** An access token: the cached one while it is valid, else a new one from the endpoint. */
export async function accessToken(config: OAuthConfig, now = Date.now()): Promise<{ token: string; fresh: boolean }> {
  const key = keyOf(config);
  const known = cache.get(key);
  if (known && known.expiresAt - EARLY_MS > now) return { token: known.accessToken, fresh: false };
  const problem = tokenUrlProblem(config.tokenUrl);
  if (problem) throw new OAuthError(problem, false);
  const refresh = known?.refreshToken ?? config.refreshToken;
  const form = new URLSearchParams();
  if (refresh) {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', refresh);
  } else form.set('grant_type', 'client_credentials');
  form.set('client_id', config.clientId);
  if (config.clientSecret) form.set('client_secret', config.clientSecret);
  if (config.scope) form.set('scope', config.scope);

  const endpoint = new URL(config.tokenUrl).origin;
  let status: number;
  let text: string;
  try {
    const res = await request(config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    status = res.statusCode;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > MAX_ANSWER) {
        res.body.destroy();
        break;
      }
    }
    text = Buffer.concat(chunks).subarray(0, MAX_ANSWER).toString('utf8');
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? (err as Error).name;
    throw new OAuthError(`the OAuth token endpoint ${endpoint} could not be reached (${code}): check its URL and the network`, true);
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // an answer that is not JSON is named below by its status
  }
  const error = typeof body.error === 'string' ? body.error.slice(0, 60) : '';
  if (status !== 200 || typeof body.access_token !== 'string' || body.access_token === '') {
    if (status >= 500 || status === 429) throw new OAuthError(`the OAuth token endpoint ${endpoint} answered ${status}${error ? ` (${error})` : ''}: it is unavailable; the report is sent again later`, true, status);
    if (error === 'invalid_client' || error === 'unauthorized_client') {
      throw new OAuthError(`the OAuth token endpoint ${endpoint} refused the client (${error}): check the client ID and client secret`, false, status);
    }
    if (error === 'invalid_grant') {
      throw new OAuthError(
        refresh
          ? `the OAuth token endpoint ${endpoint} refused the refresh token (invalid_grant): it has expired or was revoked; get a new refresh token`
          : `the OAuth token endpoint ${endpoint} refused the grant (invalid_grant): check the client and the scope`,
        false,
        status,
      );
    }
    if (error === 'invalid_scope') throw new OAuthError(`the OAuth token endpoint ${endpoint} refused the scope (invalid_scope): check the scope`, false, status);
    if (status === 200) throw new OAuthError(`the OAuth token endpoint ${endpoint} answered without an access token: check the token endpoint URL`, false, status);
    throw new OAuthError(`the OAuth token endpoint ${endpoint} answered ${status}${error ? ` (${error})` : ''}: check the OAuth settings`, false, status);
  }
  const seconds = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600);
  const expiresAt = now + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
  const rotated = typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : (known?.refreshToken ?? null);
  cache.set(key, { accessToken: body.access_token, expiresAt, refreshToken: rotated });
  return { token: body.access_token, fresh: true };
}
