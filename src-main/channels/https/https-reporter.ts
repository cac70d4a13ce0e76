/**
 * Express Report (HTTPS): POSTs the report to the center's URL (docs/formats/https.md) with
 * undici, directly or through an HTTP proxy (CONNECT tunnel, Basic authentication only, as the
 * seed says). The body is streamed; TLS is always verified against the system CAs plus the
 * optional CA file of the HTTPS settings, and there is no way to switch the verification off.
 *
 * Connections are kept alive and shared: one undici pool per destination, whichever reporter
 * object sends (connections.ts).
 */
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { envelopeChecked } from '../../../src-shared/report';
import type { Delivery, OutgoingReport, Reporter } from '../reporter';
import { classifyHttpsFailure, type HttpsContext, type HttpsProblem } from './classify';
import { dispatcherFor, nodeExtraCaCerts, poolKey, readCaFile, takePool, type CaCerts } from './connections';
import { buildMultipartBody } from './multipart';

export { classifyHttpsFailure } from './classify';
export { closeHttpsConnections } from './connections';
export type { DeliveryFailure, HttpsContext, HttpsProblem, HttpsStep } from './classify';

export interface HttpsProxyConfig {
  /** IP address, host name or FQDN */
  host: string;
  port: number;
  /** Basic authentication; none when empty or absent */
  user?: string;
  password?: string;
}

export interface HttpsReporterConfig {
  /** the destination, `https://…` (the center's /Scripts/trsRecvAlert.cgi) */
  url: string;
  /** a PEM file of CA certificates trusted in addition to the system CAs */
  caFile?: string | null;
  proxy?: HttpsProxyConfig | null;
  /** the whole delivery, from the first connection to the acknowledgement (default 120 s) */
  timeoutMs?: number;
}

export const DEFAULT_HTTPS_TIMEOUT_MS = 120_000;
/** the most of the center's answer that is read */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The center's acknowledgement (docs/formats/https.md). */
export const httpsAckSchema = z.object({
  id: z.string(),
  accepted: z.literal(true),
  duplicate: z.boolean(),
});
export type HttpsAck = z.infer<typeof httpsAckSchema>;


type Prepared =
  | { ok: true; url: URL; ctx: HttpsContext; token: string | null; extraCa: CaCerts | undefined }
  | { ok: false; ctx: HttpsContext; problem: HttpsProblem };

async function prepare(config: HttpsReporterConfig, timeoutMs: number): Promise<Prepared> {
  const proxy = config.proxy ?? null;
  const user = proxy?.user ?? '';
  const password = proxy?.password ?? '';
  const token = proxy && user ? `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` : null;
  const ctx: HttpsContext = {
    // Until the URL parses, show it with anything that looks like credentials cut out.
    destination: config.url.replace(/\/\/[^/?#]*@/, '//***@'),
    host: '',
    port: 443,
    proxy: proxy ? { host: proxy.host, port: proxy.port, withCredentials: Boolean(user) } : null,
    hasCaFile: Boolean(config.caFile),
    timeoutMs,
    secrets: [password, token ?? '', token ? token.slice('Basic '.length) : ''].filter((s) => s.length > 0),
  };
  const config_ = (reason: string, check: string): Prepared => ({ ok: false, ctx, problem: { kind: 'config', reason, check } });

  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    return config_(`the URL ${JSON.stringify(ctx.destination.slice(0, 200))} is not a valid URL`, 'check the destination URL');
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    ctx.destination = url.href;
    return config_('the URL holds a user name or password', 'remove them from the destination URL');
  }
  ctx.destination = url.href;
  ctx.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  ctx.port = url.port ? Number(url.port) : 443;
  if (url.protocol !== 'https:') return config_(`the URL ${url.href} is not an https:// URL`, 'check the destination URL');
  if (proxy) {
    if (!proxy.host || /[\s/@]/.test(proxy.host)) return config_(`the proxy address ${JSON.stringify(proxy.host)} is not a host name or IP address`, 'check the proxy address');
    if (!Number.isInteger(proxy.port) || proxy.port < 1 || proxy.port > 65535) return config_(`the proxy port ${proxy.port} is not 1–65535`, 'check the proxy port');
    if (user.includes(':')) return config_('the proxy user name holds a colon, which Basic authentication cannot carry', 'check the proxy user name');
  }

  let extraCa: CaCerts | undefined;
  if (config.caFile) {
    // Checked at every send (read again only when it changed): a CA file replaced on disk counts within a second.
    const read = await readCaFile(config.caFile);
    if (!('pems' in read)) return config_(read.reason, read.check);
    const node = await nodeExtraCaCerts();
    extraCa = { pems: [...node.pems, ...read.pems], digest: `${node.digest}:${read.digest}` };
  }
  return { ok: true, url, ctx, token, extraCa };
}

/** Reads at most MAX_ANSWER_BYTES of the answer, then drops the rest. */
async function readAnswer(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    chunks.push(bytes);
    size += bytes.length;
    if (size >= MAX_ANSWER_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}

function reasonFrom(answer: string): string | undefined {
  try {
    const parsed = JSON.parse(answer) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

function checkReport(report: OutgoingReport): string | null {
  const parsed = envelopeChecked(report.envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `the envelope is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`;
  }
  const declared = parsed.data.attachments;
  if (declared.length !== report.attachments.length) return `the envelope lists ${declared.length} attachments, the report carries ${report.attachments.length}`;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = report.attachments[i]!;
    if (d.name !== a.name || d.size !== a.size || d.sha256 !== a.sha256) return `attachment ${i + 1} (${a.name}) differs from the envelope's`;
  }
  return null;
}

export function createHttpsReporter(config: HttpsReporterConfig): Reporter {
  const timeoutMs = config.timeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS;

  async function send(report: OutgoingReport, options: { signal?: AbortSignal } = {}): Promise<Delivery> {
    const prepared = await prepare(config, timeoutMs);
    if (!prepared.ok) return classifyHttpsFailure(prepared.problem, prepared.ctx);
    const { url, ctx, token, extraCa } = prepared;
    const fail = (problem: HttpsProblem) => classifyHttpsFailure(problem, ctx);

    const invalid = checkReport(report);
    if (invalid) return fail({ kind: 'report', reason: invalid });
    if (options.signal?.aborted) return fail({ kind: 'cancelled' });

    const abort = new AbortController();
    let timedOut = false;
    let cancelled = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error('timeout'));
    }, timeoutMs);
    const onCancel = () => {
      cancelled = true;
      abort.abort(new Error('cancelled'));
    };
    options.signal?.addEventListener('abort', onCancel, { once: true });

    const proxy = config.proxy ?? null;
    const pool = takePool(poolKey(url, proxy, token, extraCa, timeoutMs), () => dispatcherFor(proxy, token, extraCa, timeoutMs));
    const dispatcher = pool.dispatcher;
    const multipart = buildMultipartBody(JSON.stringify(report.envelope), report.attachments);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher,
        signal: abort.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: {
          'content-type': multipart.contentType,
          'content-length': String(multipart.contentLength),
          accept: 'application/json',
          'user-agent': `ExpressReport/${report.envelope.product.version}`,
          'x-report-id': report.envelope.id,
        },
        body: multipart.body,
      });
      const answer = await readAnswer(res.body);
      if (res.statusCode !== 200) {
        const location = res.headers.location;
        return fail({
          kind: 'status',
          status: res.statusCode,
          reason: reasonFrom(answer),
          location: Array.isArray(location) ? location[0] : location,
        });
      }
      let ack: HttpsAck;
      try {
        const parsed = httpsAckSchema.safeParse(JSON.parse(answer));
        if (!parsed.success) return fail({ kind: 'answer', reason: 'the JSON is not { id, accepted: true, duplicate }' });
        ack = parsed.data;
      } catch {
        const type = res.headers['content-type'];
        return fail({ kind: 'answer', reason: `not JSON${type ? ` but ${String(type).split(';')[0]}` : ''}` });
      }
      if (ack.id !== report.envelope.id) return fail({ kind: 'answer', reason: 'it acknowledges another report id' });
      return {
        ok: true,
        destination: ctx.destination,
        detail: ack.duplicate
          ? `the center already had report ${ack.id} and acknowledged it again`
          : `the center accepted report ${ack.id}`,
      };
    } catch (error) {
      if (cancelled) return fail({ kind: 'cancelled' });
      if (timedOut) return fail({ kind: 'timeout' });
      return fail({ kind: 'error', error });
    } finally {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onCancel);
      multipart.body.destroy();
      pool.inFlight--;
    }
  }

  return { name: 'express-https', channel: 'https', send };
}
