/**
 * The center's report receiver, `POST /Scripts/trsRecvAlert.cgi` (docs/formats/https.md): a
 * small streaming multipart/form-data parser, the checks of the envelope and of each
 * attachment's size and sha256, and the atomic, once-per-id storage of the report. Attachments
 * go to disk as they arrive, never whole into memory.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { reportEnvelopeSchema, type ReportEnvelope } from '../../src-shared/report';
import type { StoredReport } from './reports';
import { INCOMING_DIR, inIncomingFolder, isReportStored, publishReport, reportDir, type CenterStore } from './store';

export const RECEIVER_PATH = '/Scripts/trsRecvAlert.cgi';

/** A request the receiver refuses, with the status it answers. */
export class ReceiveError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReceiveError';
  }
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data, streamed

export interface PartHeaders {
  /** header names in lower case */
  headers: Record<string, string>;
  /** the form field name from Content-Disposition */
  name: string;
  /** the filename parameter as sent (still percent-encoded), or null */
  filename: string | null;
}

export interface PartSink {
  write(chunk: Buffer): Promise<void> | void;
  end(): Promise<void> | void;
}

export interface MultipartLimits {
  maxParts: number;
  maxHeaderBytes: number;
  maxPreambleBytes: number;
  maxEpilogueBytes: number;
}

export const DEFAULT_MULTIPART_LIMITS: MultipartLimits = {
  maxParts: 1 + 16,
  maxHeaderBytes: 16 * 1024,
  maxPreambleBytes: 16 * 1024,
  maxEpilogueBytes: 64 * 1024,
};

/** The boundary of a `multipart/form-data; boundary=…` content type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return null;
  for (const param of params) {
    const m = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param);
    if (m) return m[1] ?? m[2] ?? null;
  }
  return null;
}

/** The parameters of a header value such as `form-data; name="x"; filename="y"`. */
export function headerParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const key = m[1]!.toLowerCase();
    out[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim();
  }
  return out;
}

function parseHeaderBlock(block: string): PartHeaders {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || /^\s/.test(line)) throw new ReceiveError(400, 'a part header line is malformed');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const disposition = headers['content-disposition'];
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw new ReceiveError(400, 'a part has no Content-Disposition: form-data');
  const params = headerParams(disposition);
  if (!params.name) throw new ReceiveError(400, 'a part has no name');
  return { headers, name: params.name, filename: params.filename ?? null };
}

/**
 * Parses a multipart body from a stream of chunks: for each part, `onPart` gives the sink that
 * receives its body; writes are awaited, so a slow sink slows the reading (backpressure).
 * Resolves with the number of parts; rejects with a ReceiveError for a malformed body.
 */
export async function parseMultipart(
  source: AsyncIterable<Buffer>,
  boundary: string,
  onPart: (part: PartHeaders, index: number) => Promise<PartSink>,
  limits: MultipartLimits = DEFAULT_MULTIPART_LIMITS,
): Promise<number> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const headerEnd = Buffer.from('\r\n\r\n');
  // A CRLF in front, so that a delimiter at the very start is found like every other one.
  let buf: Buffer = Buffer.from('\r\n');
  type State = 'preamble' | 'delimiter' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  let sink: PartSink | null = null;
  let parts = 0;
  let preamble = 0;
  let epilogue = 0;

  const step = async (): Promise<void> => {
    for (;;) {
      if (state === 'preamble') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          const keep = Math.min(buf.length, delimiter.length - 1);
          preamble += buf.length - keep;
          if (preamble > limits.maxPreambleBytes) throw new ReceiveError(400, 'no multipart boundary found at the start of the body');
          buf = buf.subarray(buf.length - keep);
          return;
        }
        preamble += at;
        if (preamble > limits.maxPreambleBytes) throw new ReceiveError(400, 'no multipart boundary found at the start of the body');
        buf = buf.subarray(at + delimiter.length);
        state = 'delimiter';
      } else if (state === 'delimiter') {
        if (buf.length < 2) return;
        const two = buf.subarray(0, 2).toString('latin1');
        if (two === '--') {
          state = 'done';
          epilogue += buf.length - 2;
          buf = Buffer.alloc(0);
          return;
        }
        if (two !== '\r\n') throw new ReceiveError(400, 'a multipart boundary line is malformed');
        buf = buf.subarray(2);
        state = 'headers';
      } else if (state === 'headers') {
        const empty = buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a;
        const at = empty ? -2 : buf.indexOf(headerEnd);
        if (at === -1) {
          if (buf.length > limits.maxHeaderBytes) throw new ReceiveError(400, 'the headers of a part are too long');
          return;
        }
        if (at > limits.maxHeaderBytes) throw new ReceiveError(400, 'the headers of a part are too long');
        const block = empty ? '' : buf.subarray(0, at).toString('utf8');
        buf = buf.subarray(empty ? 2 : at + headerEnd.length);
        if (++parts > limits.maxParts) throw new ReceiveError(400, `more than ${limits.maxParts} parts`);
        sink = await onPart(parseHeaderBlock(block), parts - 1);
        state = 'body';
      } else if (state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Everything but a possible start of the delimiter belongs to the part.
          const safe = buf.length - (delimiter.length - 1);
          if (safe > 0) {
            const chunk = buf.subarray(0, safe);
            buf = buf.subarray(safe);
            await sink!.write(chunk);
          }
          return;
        }
        if (at > 0) await sink!.write(buf.subarray(0, at));
        buf = buf.subarray(at + delimiter.length);
        await sink!.end();
        sink = null;
        state = 'delimiter';
      } else {
        epilogue += buf.length;
        buf = Buffer.alloc(0);
        return;
      }
    }
  };

  for await (const chunk of source) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    await step();
    if (epilogue > limits.maxEpilogueBytes) throw new ReceiveError(400, 'too much data after the last multipart boundary');
  }
  if (state !== 'done') throw new ReceiveError(400, 'the multipart body ends before its closing boundary');
  return parts;
}

// ---------------------------------------------------------------------------------------------
// storage

/** An attachment being written to the report's temporary folder, hashed on the way. */
class AttachmentFile implements PartSink {
  private readonly hash = createHash('sha256');
  private handle: fsp.FileHandle | null = null;
  size = 0;

  constructor(
    readonly file: string,
    readonly declared: { name: string; size: number; sha256: string },
    private readonly keep: boolean,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.size += chunk.length;
    if (this.size > this.declared.size) throw new ReceiveError(400, `attachment ${this.declared.name} is larger than the ${this.declared.size} bytes its envelope declares`);
    this.hash.update(chunk);
    if (!this.keep) return;
    this.handle ??= await fsp.open(this.file, 'wx', 0o600);
    await this.handle.write(chunk);
  }

  async end(): Promise<void> {
    if (this.keep) {
      this.handle ??= await fsp.open(this.file, 'wx', 0o600);
      await this.handle.sync();
    }
    await this.close();
    if (this.size !== this.declared.size) throw new ReceiveError(400, `attachment ${this.declared.name} has ${this.size} bytes, its envelope declares ${this.declared.size}`);
    const digest = this.hash.digest('hex');
    if (digest !== this.declared.sha256) throw new ReceiveError(400, `attachment ${this.declared.name} does not match the sha256 its envelope declares`);
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}

/** A part read whole into memory, up to a limit (the envelope). */
class SmallPart implements PartSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  text = '';

  constructor(private readonly limit: number) {}

  write(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) throw new ReceiveError(413, `the envelope is larger than ${this.limit} bytes`);
    this.chunks.push(chunk);
  }

  end(): void {
    this.text = Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface ReceiveOptions {
  store: CenterStore;
  /** the largest attachment accepted, in bytes */
  maxAttachmentBytes: number;
  maxEnvelopeBytes?: number;
  now?: () => Date;
}

export interface Received {
  envelope: ReportEnvelope;
  duplicate: boolean;
  /** the stored folder (also for a duplicate: the first one) */
  dir: string;
}

/**
 * Receives one report from the request body: streams the attachments into a folder under
 * incoming/, checks them, then renames the folder to reports/<id> — once per id. The caller
 * answers; `beforeCommit` runs when the body is fully read (the fault hooks use it).
 */
export async function receiveReport(
  source: AsyncIterable<Buffer>,
  boundary: string,
  remoteAddress: string,
  options: ReceiveOptions,
  beforeCommit: () => Promise<'commit' | 'abandon'> = async () => 'commit',
): Promise<Received | null> {
  return inIncomingFolder(options.store, 'r-', (temp) => receiveInto(temp, source, boundary, remoteAddress, options, beforeCommit));
}

/** receiveReport, with the report's folder under incoming/ made (and removed after) by the caller. */
async function receiveInto(
  temp: string,
  source: AsyncIterable<Buffer>,
  boundary: string,
  remoteAddress: string,
  options: ReceiveOptions,
  beforeCommit: () => Promise<'commit' | 'abandon'>,
): Promise<Received | null> {
  const { store } = options;
  let envelopePart: SmallPart | null = null;
  let envelope: ReportEnvelope | null = null;
  let duplicate = false;
  const files: AttachmentFile[] = [];

  const envelopeReady = (): ReportEnvelope => {
    if (envelope) return envelope;
    if (!envelopePart) throw new ReceiveError(400, 'the first part must be the envelope');
    let json: unknown;
    try {
      json = JSON.parse(envelopePart.text);
    } catch {
      throw new ReceiveError(400, 'the envelope is not JSON');
    }
    const parsed = reportEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ReceiveError(400, `the envelope is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
    }
    for (const a of parsed.data.attachments) {
      if (a.size > options.maxAttachmentBytes) throw new ReceiveError(413, `attachment ${a.name} (${a.size} bytes) is larger than the center accepts (${options.maxAttachmentBytes})`);
    }
    envelope = parsed.data;
    return envelope;
  };

  try {
    const parts = await parseMultipart(source, boundary, async (part, index) => {
      if (index === 0) {
        if (part.name !== 'envelope' || part.filename !== null) throw new ReceiveError(400, 'the first part must be the envelope');
        envelopePart = new SmallPart(options.maxEnvelopeBytes ?? 1024 * 1024);
        return envelopePart;
      }
      const env = envelopeReady();
      if (index === 1) duplicate = await isReportStored(store, env.id);
      if (part.name !== 'attachment') throw new ReceiveError(400, `unexpected part ${JSON.stringify(part.name.slice(0, 40))}`);
      const declared = env.attachments[index - 1];
      if (!declared) throw new ReceiveError(400, `more attachment parts than the ${env.attachments.length} the envelope lists`);
      let filename: string | null;
      try {
        filename = part.filename === null ? null : decodeURIComponent(part.filename);
      } catch {
        throw new ReceiveError(400, `attachment ${index}: the filename is not percent-encoded UTF-8`);
      }
      if (filename !== declared.name) throw new ReceiveError(400, `attachment ${index}: the filename is not the name the envelope lists (${declared.name})`);
      const file = new AttachmentFile(path.join(temp, `attachment-${String(index).padStart(2, '0')}.zip`), declared, !duplicate);
      files.push(file);
      return file;
    });
    const env = envelopeReady();
    if (parts === 1) duplicate = await isReportStored(store, env.id);
    if (files.length !== env.attachments.length) throw new ReceiveError(400, `the envelope lists ${env.attachments.length} attachments, the body holds ${files.length}`);

    if ((await beforeCommit()) === 'abandon') return null;
    const target = reportDir(store, env.id);
    if (!duplicate) {
      const stored: StoredReport = {
        receivedAt: (options.now?.() ?? new Date()).toISOString(),
        remoteAddress,
        channel: 'https',
        envelope: env,
        attachments: files.map((f) => ({ ...f.declared, file: path.basename(f.file) })),
      };
      // A duplicate here: another request with the same id came first.
      ({ duplicate } = await publishReport(store, temp, stored));
    }
    return { envelope: env, duplicate, dir: target };
  } finally {
    await Promise.all(files.map((f) => f.close().catch(() => undefined)));
  }
}

// ---------------------------------------------------------------------------------------------
// faults and the HTTP handler

export type Fault =
  | { mode: 'status'; status: number; count: number }
  | { mode: 'delay'; delayMs: number; count: number }
  | { mode: 'drop'; count: number };

/** The faults for the next requests, first in first out. */
export class FaultQueue {
  private readonly queue: Fault[] = [];

  add(fault: Fault): void {
    if (fault.count > 0) this.queue.push({ ...fault });
  }

  clear(): void {
    this.queue.length = 0;
  }

  list(): Fault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  /** The fault for the request that just arrived, if any. */
  take(): Fault | null {
    const first = this.queue[0];
    if (!first) return null;
    first.count -= 1;
    if (first.count <= 0) this.queue.shift();
    return { ...first, count: 1 };
  }
}

export interface ReceiverStats {
  requests: number;
  stored: number;
  duplicates: number;
  refused: number;
  faults: number;
}

export interface Receiver {
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  readonly faults: FaultQueue;
  readonly stats: ReceiverStats;
  /** resolves when no request is being handled */
  idle(): Promise<void>;
}

function answer(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** Reads and drops the rest of a request body, so that the client sees the answer. */
function drain(req: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded || req.destroyed) return resolve();
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createReceiver(options: ReceiveOptions & { log?: (line: string) => void }): Receiver {
  const faults = new FaultQueue();
  const stats: ReceiverStats = { requests: 0, stored: 0, duplicates: 0, refused: 0, faults: 0 };
  const log = options.log ?? (() => undefined);
  let active = 0;
  let waiters: (() => void)[] = [];

  async function handleReport(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://center.invalid');
    if (url.pathname !== RECEIVER_PATH) {
      await drain(req);
      return answer(res, 404, { accepted: false, error: `no such path; reports go to ${RECEIVER_PATH}` });
    }
    if (req.method !== 'POST') {
      await drain(req);
      res.setHeader('allow', 'POST');
      return answer(res, 405, { accepted: false, error: 'reports are POSTed' });
    }
    stats.requests += 1;
    const fault = faults.take();
    if (fault) stats.faults += 1;
    const boundary = multipartBoundary(req.headers['content-type']);
    if (!boundary) {
      stats.refused += 1;
      await drain(req);
      return answer(res, 415, { accepted: false, error: 'the body must be multipart/form-data with a boundary' });
    }
    const remote = req.socket.remoteAddress ?? '';
    try {
      const received = await receiveReport(req.iterator({ destroyOnReturn: false }), boundary, remote, options, async () => {
        if (!fault) return 'commit';
        if (fault.mode === 'delay') {
          log(`fault: waiting ${fault.delayMs} ms before answering`);
          await sleep(fault.delayMs);
          return 'commit';
        }
        if (fault.mode === 'drop') {
          log('fault: dropping the connection');
          req.socket.destroy();
          return 'abandon';
        }
        log(`fault: answering ${fault.status}`);
        answer(res, fault.status, { accepted: false, error: 'fault injected by the center simulator' });
        return 'abandon';
      });
      if (!received) return;
      const { envelope, duplicate } = received;
      if (duplicate) stats.duplicates += 1;
      else stats.stored += 1;
      log(`report ${envelope.id} ${envelope.kind} ${duplicate ? 'duplicate' : 'stored'} (${envelope.attachments.length} attachments) from ${remote}`);
      answer(res, 200, { id: envelope.id, accepted: true, duplicate });
    } catch (err) {
      stats.refused += 1;
      const status = err instanceof ReceiveError ? err.status : 500;
      const message = err instanceof ReceiveError ? err.message : `the center could not store the report (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
      log(`refused ${status}: ${message}`);
      await drain(req);
      answer(res, status, { accepted: false, error: message }, true);
    }
  }

  return {
    faults,
    stats,
    handle(req, res) {
      active += 1;
      handleReport(req, res)
        .catch(() => {
          if (!res.headersSent) answer(res, 500, { accepted: false, error: 'internal error' }, true);
        })
        .finally(() => {
          active -= 1;
          if (active === 0) {
            const done = waiters;
            waiters = [];
            for (const w of done) w();
          }
        });
    },
    idle() {
      return active === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

/** Removes what a killed center left in incoming/ (never a whole report: those are renamed). */
export async function clearIncoming(store: CenterStore): Promise<void> {
  await fsp.rm(store.path(INCOMING_DIR), { recursive: true, force: true });
  await fsp.mkdir(store.path(INCOMING_DIR), { recursive: true, mode: 0o700 });
}

