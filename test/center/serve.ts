/**
 * `express-center serve`: the center's HTTPS side (docs/formats/https.md). Receives reports on
 * `POST /Scripts/trsRecvAlert.cgi` over HTTPS with a server certificate from the center's own CA
 * (kept in the data dir), and offers a loopback HTTP admin endpoint to inject faults for tests.
 * Its first stdout lines are `url: …`, `ca: …`, `admin: …` and `data-dir: …`; then one line per
 * request. SIGTERM or SIGINT stops it cleanly (exit 0).
 *
 * With `--smtp-port N` it also receives report mail (smtp-receiver.ts) and prints `smtp: HOST:PORT`
 * and `smime-cert: FILE` before `data-dir:` (always the last head line); with --smtp-port and no
 * --https-port it runs the mail side alone (no `url:` line).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { issueServerCertificate, loadOrCreateCenterCa } from './certs';
import { clearIncoming, createReceiver, RECEIVER_PATH, type Fault, type Receiver } from './https-receiver';
import { parseHostPort } from './mail-result';
import { loadOrCreateCenterSmime, SMIME_CERT_FILE, SMIME_DIR, SmimeKeyRing } from './mail-smime';
import { listReports } from './reports';
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver';
import { CenterStore, DEFAULT_DATA_DIR } from './store';

export const DEFAULT_CERT_HOSTS = ['127.0.0.1', 'localhost', '::1'];

export interface ServeOptions {
  dataDir: string;
  /** null: no HTTPS receiver (the mail side alone) */
  httpsPort: number | null;
  /** null: no SMTP receiver */
  smtpPort?: number | null;
  /** --result-smtp HOST:PORT, --result-from, --result-ca */
  resultSmtp?: { host: string; port: number; from?: string; caFile?: string } | null;
  /** the largest mail accepted, in bytes */
  maxMailBytes?: number;
  host: string;
  adminPort: number;
  certHosts: string[];
  maxAttachmentBytes: number;
}

export const faultSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('status'), status: z.number().int().min(200).max(599).default(500), count: z.number().int().min(1).max(1000).default(1) }),
  z.object({ mode: z.literal('delay'), delayMs: z.number().int().min(0).max(600_000), count: z.number().int().min(1).max(1000).default(1) }),
  z.object({ mode: z.literal('drop'), count: z.number().int().min(1).max(1000).default(1) }),
]);

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/** The admin endpoint: GET/POST/DELETE /faults, GET /stats, GET /reports. Loopback only. */
function adminHandler(receiver: Receiver, store: CenterStore, mail: () => SmtpReceiver | null) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://admin.invalid').pathname;
    void (async () => {
      if (path === '/faults' && req.method === 'GET') return json(res, 200, { faults: receiver.faults.list() });
      if (path === '/faults' && req.method === 'DELETE') {
        receiver.faults.clear();
        return json(res, 200, { faults: [] });
      }
      if (path === '/faults' && req.method === 'POST') {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch {
          return json(res, 400, { error: 'the body must be JSON' });
        }
        const parsed = faultSchema.safeParse(body);
        if (!parsed.success) return json(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        receiver.faults.add(parsed.data as Fault);
        return json(res, 200, { faults: receiver.faults.list() });
      }
      if (path === '/stats' && req.method === 'GET') return json(res, 200, { ...receiver.stats, mail: mail()?.stats ?? null });
      if (path === '/reports' && req.method === 'GET') return json(res, 200, await listReports(store));
      return json(res, 404, { error: 'GET|POST|DELETE /faults, GET /stats, GET /reports' });
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    });
  };
}

/** Runs the center until SIGTERM/SIGINT; resolves with the exit status. */
export async function serve(options: ServeOptions, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const store = new CenterStore(options.dataDir);
  const ca = await loadOrCreateCenterCa(store);
  await clearIncoming(store);
  const cert = issueServerCertificate(ca, options.certHosts);
  const receiver = createReceiver({ store, maxAttachmentBytes: options.maxAttachmentBytes, log: out });

  let smtp: SmtpReceiver | null = null;
  if (options.smtpPort !== undefined && options.smtpPort !== null) {
    await loadOrCreateCenterSmime(store);
    const ring = new SmimeKeyRing(store);
    await ring.load();
    smtp = await startSmtpReceiver({
      store,
      ring,
      host: options.host,
      port: options.smtpPort,
      maxMailBytes: options.maxMailBytes ?? 64 * 1024 * 1024,
      tls: cert,
      result: options.resultSmtp ?? null,
      log: out,
    });
  }

  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem, ca: [ca.certPem], minVersion: 'TLSv1.2' }, (req, res) => receiver.handle(req, res));
  server.requestTimeout = 0; // large attachments on slow links
  server.headersTimeout = 60_000;
  const admin = http.createServer(adminHandler(receiver, store, () => smtp));

  const port = options.httpsPort === null ? null : await listen(server, options.httpsPort, options.host);
  const adminPort = await listen(admin, options.adminPort, '127.0.0.1');
  if (port !== null) out(`url: https://${urlHost(options.host)}:${port}${RECEIVER_PATH}`);
  out(`ca: ${store.path('ca', 'center-ca.pem')}`);
  out(`admin: http://127.0.0.1:${adminPort}/`);
  if (smtp) {
    out(`smtp: ${urlHost(options.host)}:${smtp.port}`);
    out(`smime-cert: ${store.path(SMIME_DIR, SMIME_CERT_FILE)}`);
  }
  out(`data-dir: ${store.dir}`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

  // Stop accepting, let the requests in progress finish (3 s at most), then close every connection.
  const closed = Promise.all([
    port === null ? Promise.resolve() : new Promise((r) => server.close(r)),
    new Promise((r) => admin.close(r)),
    smtp?.close(),
  ]);
  server.closeIdleConnections();
  admin.closeAllConnections();
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all([receiver.idle(), smtp?.idle()]), new Promise((r) => (grace = setTimeout(r, 3000)))]);
  clearTimeout(grace);
  server.closeAllConnections();
  await closed;
  await clearIncoming(store);
  out('stopped');
  return 0;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'https-port': { type: 'string' },
      host: { type: 'string' },
      'admin-port': { type: 'string' },
      'cert-hosts': { type: 'string' },
      'max-attachment-mb': { type: 'string' },
      'smtp-port': { type: 'string' },
      'result-smtp': { type: 'string' },
      'result-from': { type: 'string' },
      'result-ca': { type: 'string' },
      'max-mail-mb': { type: 'string' },
    },
  });
  if (positionals.length) throw Object.assign(new Error(`unexpected argument: ${positionals[0]}`), { code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' });
  const port = (name: string, value: string | undefined): number => {
    const n = Number(value ?? '0');
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw Object.assign(new Error(`--${name} must be 0–65535`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    return n;
  };
  const maxMb = Number(values['max-attachment-mb'] ?? '1024');
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw Object.assign(new Error('--max-attachment-mb must be a positive number'), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  const maxMailMb = Number(values['max-mail-mb'] ?? '64');
  if (!Number.isFinite(maxMailMb) || maxMailMb <= 0) throw Object.assign(new Error('--max-mail-mb must be a positive number'), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  const smtpPort = values['smtp-port'] === undefined ? null : port('smtp-port', values['smtp-port']);
  let resultSmtp: ServeOptions['resultSmtp'] = null;
  if (values['result-smtp'] !== undefined) {
    if (smtpPort === null) throw Object.assign(new Error('--result-smtp needs --smtp-port'), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    try {
      resultSmtp = { ...parseHostPort(values['result-smtp']), from: values['result-from'], caFile: values['result-ca'] };
    } catch (err) {
      throw Object.assign(new Error(`--result-smtp: ${(err as Error).message}`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    }
  }
  const certHosts = values['cert-hosts'] ? values['cert-hosts'].split(',').map((h) => h.trim()).filter(Boolean) : DEFAULT_CERT_HOSTS;
  return serve({
    dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
    // HTTPS runs unless only --smtp-port is given (the mail side alone).
    httpsPort: values['https-port'] === undefined && smtpPort !== null ? null : port('https-port', values['https-port']),
    smtpPort,
    resultSmtp,
    maxMailBytes: Math.floor(maxMailMb * 1024 * 1024),
    host: values.host ?? '127.0.0.1',
    adminPort: port('admin-port', values['admin-port']),
    certHosts,
    maxAttachmentBytes: Math.floor(maxMb * 1024 * 1024),
  });
}
