/**
 * What a dial-up call carries (docs/formats/dialup.md "Payload"): one byte string, the report
 * as a container compressed with raw deflate (level 9):
 *
 *   "ERDU1\n" | JSON line { envelope, attachments: [{ name, size, sha256 }] } "\n" | the attachments' bytes, in order
 *
 * The same report always compresses to the same bytes, so a transfer broken off by a lost
 * carrier resumes on the next call where the center's copy ends (the hello's sha256 says
 * whether the copy is of these bytes). Used by the product and by the center's modem.
 */
import { createHash } from 'node:crypto';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { reportEnvelopeSchema, type ReportEnvelope } from '../../../src-shared/report';
import type { OutgoingReport } from '../reporter';

export const PAYLOAD_MAGIC = 'ERDU1\n';
/** the most a dial-up payload may hold, compressed or not (a modem line is slow: 16 MiB is ~80 min at 33.6 kbit/s) */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export interface Payload {
  /** the compressed bytes sent in the data frames */
  bytes: Buffer;
  sha256: string;
  /** the container's size before compression */
  rawSize: number;
}

async function readAll(open: () => NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of open()) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) throw new Error(`the report is larger than a dial-up call carries (${MAX_PAYLOAD_BYTES} bytes)`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** The report as the container, compressed. Throws when an attachment differs from the envelope's. */
export async function buildPayload(report: OutgoingReport): Promise<Payload> {
  const parts: Buffer[] = [];
  const header = { envelope: report.envelope, attachments: report.attachments.map(({ name, size, sha256 }) => ({ name, size, sha256 })) };
  parts.push(Buffer.from(PAYLOAD_MAGIC + JSON.stringify(header) + '\n', 'utf8'));
  let total = parts[0]!.length;
  for (const a of report.attachments) {
    const data = await readAll(a.open, MAX_PAYLOAD_BYTES - total);
    const digest = createHash('sha256').update(data).digest('hex');
    if (data.length !== a.size || digest !== a.sha256) throw new Error(`the attachment ${a.name} differs from the envelope's (size or sha256)`);
    parts.push(data);
    total += data.length;
  }
  const raw = Buffer.concat(parts);
  const bytes = deflateRawSync(raw, { level: 9, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY });
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rawSize: raw.length };
}

export interface OpenedPayload {
  envelope: ReportEnvelope;
  attachments: { name: string; size: number; sha256: string; data: Buffer }[];
}

/** The center's side: the report out of the compressed bytes, every digest checked. Throws with the reason. */
export function openPayload(bytes: Buffer): OpenedPayload {
  let raw: Buffer;
  try {
    raw = inflateRawSync(bytes, { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch (err) {
    throw new Error(`the payload does not inflate (${(err as Error).message})`, { cause: err });
  }
  if (raw.subarray(0, PAYLOAD_MAGIC.length).toString('latin1') !== PAYLOAD_MAGIC) throw new Error('the payload does not start with ERDU1');
  const end = raw.indexOf(0x0a, PAYLOAD_MAGIC.length);
  if (end < 0) throw new Error('the payload has no header line');
  let header: { envelope?: unknown; attachments?: unknown };
  try {
    header = JSON.parse(raw.subarray(PAYLOAD_MAGIC.length, end).toString('utf8')) as typeof header;
  } catch (err) {
    throw new Error('the payload header is not JSON', { cause: err });
  }
  const parsed = reportEnvelopeSchema.safeParse(header.envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the envelope is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
  }
  const envelope = parsed.data;
  let at = end + 1;
  const attachments: OpenedPayload['attachments'] = [];
  for (const declared of envelope.attachments) {
    const data = raw.subarray(at, at + declared.size);
    at += declared.size;
    if (data.length !== declared.size) throw new Error(`attachment ${declared.name} is cut short`);
    if (createHash('sha256').update(data).digest('hex') !== declared.sha256) throw new Error(`attachment ${declared.name} does not match its sha256`);
    attachments.push({ ...declared, data: Buffer.from(data) });
  }
  if (at !== raw.length) throw new Error(`the payload holds ${raw.length - at} bytes after the attachments`);
  return { envelope, attachments };
}
