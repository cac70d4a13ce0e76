import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ApiEvent, CallOutcome, ApiMethod } from '../../src-shared/api';
import type { Language } from '../../src-shared/i18n';
import { acceptedLanguage, forbiddenPage } from './forbidden-page';
import { errorText } from '../lib/error-text';

/** What the web server needs from the backend (AlertService fits). */
export interface ContractHost {
  call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

export interface WebServerOptions {
  host: ContractHost;
  /** the built renderer (dist/renderer) */
  rendererDir: string;
  port?: number;
  /** fixed token for tests; a random one per start otherwise */
  token?: string;
  /** the service's language, for the forbidden page when the browser asks for none of ours */
  language?: () => Language;
}

export interface RunningWebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-express-report-token';
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const MAX_BODY = 1024 * 1024;
/** After a 413 the rest of a large body is read and dropped, up to this much, so the client gets the answer. */
const DISCARD_LIMIT = 64 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Browser mode: serves the built window and the contract on 127.0.0.1 only. Every request must
 * carry a loopback Host and Origin and the per-start token (query or header); the window's own
 * files may instead be opened with the page cookie set when the page was opened. Anything else
 * gets 403 (for a page: a page in the user's language saying to open the new address).
 *
 * The page cookie is not the token. Cookies are kept per host, not per port, so every server on
 * 127.0.0.1 — another user's included — is sent it: its name carries our port (two services do
 * not overwrite each other's), and its value is an HMAC of this start's token over our port and
 * a random start id. Whoever harvests it learns nothing about the token, it is useless after a
 * restart and on any other port, and even here it opens only the renderer's files (public code);
 * the contract (/api/…) accepts only the token, which the window sends as a header.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const streams = new Set<http.ServerResponse>();
  let port = 0;
  const startId = randomBytes(16).toString('base64url');
  const cookieName = () => `er_token_${port}`;
  const pageCookie = () => createHmac('sha256', token).update(`express-report page cookie\n127.0.0.1:${port}\n${startId}`).digest('base64url');

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `internal error: ${errorText(err)}`);
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!loopbackHost(req.headers.host, port) || !sameOrigin(req.headers.origin, port)) {
      return send(res, 403, 'text/plain', 'forbidden: foreign Host or Origin');
    }
    const url = parseTarget(req.url);
    if (url === null) return send(res, 400, 'text/plain', 'bad request: the request target is not a valid URL');
    const isApi = url.pathname.startsWith('/api/');
    const queryToken = url.searchParams.get('token');
    const given = queryToken ?? header(req, TOKEN_HEADER);
    const allowed = given !== undefined ? sameToken(given, token) : !isApi && sameToken(cookie(req.headers.cookie, cookieName()) ?? '', pageCookie());
    if (!allowed) {
      if (isApi || (req.method !== 'GET' && req.method !== 'HEAD')) return send(res, 403, 'text/plain', 'forbidden: missing or wrong token');
      // Japanese unless the service's language or the browser's first choice of ours is English.
      const lang = options.language?.() === 'en' || acceptedLanguage(header(req, 'accept-language')) === 'en' ? 'en' : 'ja';
      return send(res, 403, 'text/html; charset=utf-8', forbiddenPage(lang), { 'cache-control': 'no-store', 'content-language': lang });
    }

    if (isApi) {
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, 'text/plain', 'use application/json');
      }
      const method = decodePath(url.pathname.slice('/api/'.length));
      if (method === null) return send(res, 400, 'text/plain', 'bad request: the method name is not valid percent-encoding');
      const body = await readBody(req);
      if (body === null) return send(res, 413, 'text/plain', `request too large (at most ${MAX_BODY} bytes)`);
      let params: unknown;
      try {
        params = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return send(res, 400, 'text/plain', 'request body is not JSON');
      }
      const outcome = await options.host.call(method, params);
      return send(res, 200, 'application/json', JSON.stringify(outcome));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    const extra: Record<string, string> = {};
    if (queryToken) extra['set-cookie'] = `${cookieName()}=${pageCookie()}; HttpOnly; SameSite=Strict; Path=/`;
    return serveFile(url.pathname, res, extra);
  }

  async function serveFile(pathname: string, res: http.ServerResponse, extra: Record<string, string>): Promise<void> {
    const decoded = decodePath(pathname);
    if (decoded === null) return send(res, 400, 'text/plain', 'bad request: the path is not valid percent-encoding');
    const relative = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) return send(res, 404, 'text/plain', 'not found');
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cache = relative.startsWith('assets/') ? 'private, max-age=31536000, immutable' : 'no-store';
    send(res, 200, type, data, { 'cache-control': cache, ...extra });
  }

  function openEventStream(res: http.ServerResponse): void {
    res.writeHead(200, { ...securityHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = options.host.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    res.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': type, ...extra });
  res.end(body);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function cookie(cookies: string | undefined, name: string): string | undefined {
  for (const part of (cookies ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** decodeURIComponent, or null for a malformed escape (`/%`, `/%zz`): a 400, not a 500. */
function decodePath(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Only the loopback names, with our own port: refuses DNS-rebinding hosts. */
function loopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send Origin on cross-origin and on POST requests; it must be our own. */
function sameOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * The body as text, or null when it is over MAX_BODY. A body too large is not cut off at once
 * (the client, still sending, would get a reset instead of the 413): the rest is read and
 * dropped, up to DISCARD_LIMIT, and only a body beyond that is cut off.
 */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length']) > MAX_BODY;
    if (over) resolve(null);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > MAX_BODY) {
        over = true;
        chunks.length = 0;
        resolve(null);
      }
      if (!over) chunks.push(chunk);
      else if (size > DISCARD_LIMIT) req.destroy();
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
