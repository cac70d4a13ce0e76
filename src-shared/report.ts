import { z } from 'zod';
import { METHOD_NAMES } from './methods';

/**
 * The report envelope (docs/formats/report.md): what every reporter carries to the maintenance
 * center, whatever the channel. The id is the deduplication key: a resend after a crash or a
 * retry carries the same id, and the center stores it once.
 */
export const REPORT_KINDS = ['test', 'opening', 'alert', 'heartbeat', 'reach-test'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_FORMAT_VERSION = 1;

export const attachmentSchema = z.object({
  name: z.string().min(1).max(255),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AttachmentInfo = z.infer<typeof attachmentSchema>;

export const reportEnvelopeSchema = z.object({
  formatVersion: z.literal(REPORT_FORMAT_VERSION),
  id: z.string().uuid(),
  kind: z.enum(REPORT_KINDS),
  /** when the report was accepted (ISO 8601) */
  createdAt: z.string(),
  method: z.enum(METHOD_NAMES),
  product: z.object({ version: z.string(), reportModuleVersion: z.string() }),
  contract: z.object({
    /** ユーザシステムコード, or OPFILELESS for a key-code opening */
    userSystemCode: z.string(),
    keyCode: z.string().default(''),
  }),
  server: z.object({
    serverName: z.string(),
    hostName: z.string(),
    deviceCode: z.string(),
    serialNumber: z.string(),
    warrantyNumber: z.string(),
  }),
  /** the fault, for kind alert (and the pseudo-failure test) */
  event: z
    .object({
      log: z.string(),
      source: z.string(),
      /** 0x + 8 hex digits */
      eventId: z.string(),
      time: z.string(),
      message: z.string().max(8192),
      /** repeats of the same event suppressed since the last report */
      suppressedCount: z.number().int().min(0).default(0),
      /** the pseudo-failure test (通報テスト from the event-log tree), not a real fault */
      pseudo: z.boolean().default(false),
    })
    .nullable()
    .default(null),
  /** テスト結果送付先: where the center sends the result of a test or opening report */
  resultDestination: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('mail'), address: z.string() }),
      z.object({ kind: z.literal('fax'), number: z.string() }),
    ])
    .nullable()
    .default(null),
  /** the opening information, for kind opening */
  opening: z.record(z.string(), z.unknown()).nullable().default(null),
  attachments: z.array(attachmentSchema).max(16).default([]),
});
export type ReportEnvelope = z.infer<typeof reportEnvelopeSchema>;

/** Envelopes made by checkEnvelope or trustedEnvelope in this process (never changed after). */
const checked = new WeakSet<object>();

/**
 * reportEnvelopeSchema's check, remembering the envelope it returns: the queue and the reporters
 * it is handed to do not check it a second and third time (a manager takes thousands a second).
 * Whoever holds it must not change it: a changed envelope is a new object (a spread), checked again.
 */
export function checkEnvelope(input: unknown): ReturnType<typeof reportEnvelopeSchema.safeParse> {
  const parsed = reportEnvelopeSchema.safeParse(input);
  if (parsed.success) checked.add(parsed.data);
  return parsed;
}

/** The envelope as checkEnvelope checked it before, from its JSON text (the queue's own copy). */
export function trustedEnvelope(json: string): ReportEnvelope {
  const envelope = JSON.parse(json) as ReportEnvelope;
  checked.add(envelope);
  return envelope;
}

/** The envelope as checked: the same object when checkEnvelope or trustedEnvelope made it. */
export function envelopeChecked(input: unknown): ReturnType<typeof reportEnvelopeSchema.safeParse> {
  if (typeof input === 'object' && input !== null && checked.has(input)) return { success: true, data: input as ReportEnvelope };
  return checkEnvelope(input);
}

/**
 * A checked envelope as its JSON text, with the few fields the queue reads to take it. A manager
 * holds this while an agent's report waits for its fsync, not the object trees of the frame's
 * JSON and of the check: those die young, in the collector's cheap young generation, instead of
 * being kept through the wait and promoted by the thousand (docs/operations.md, "Memory").
 */
export interface SealedEnvelope {
  readonly id: string;
  readonly kind: ReportKind;
  readonly method: ReportEnvelope['method'];
  readonly event: { source: string; eventId: string } | null;
  readonly attachments: readonly AttachmentInfo[];
  /** JSON.stringify of the checked envelope */
  readonly text: string;
}

const sealed = new WeakSet<SealedEnvelope>();

/** Seals an envelope that checkEnvelope or trustedEnvelope returned (anything else is refused: a programming error). */
export function sealEnvelope(envelope: ReportEnvelope): SealedEnvelope {
  if (!checked.has(envelope)) throw new Error(`envelope ${String(envelope.id)} was not checked before it was sealed`);
  const out: SealedEnvelope = {
    id: envelope.id,
    kind: envelope.kind,
    method: envelope.method,
    event: envelope.event ? { source: envelope.event.source, eventId: envelope.event.eventId } : null,
    attachments: envelope.attachments.map((a) => ({ name: a.name, size: a.size, sha256: a.sha256 })),
    text: JSON.stringify(envelope),
  };
  sealed.add(out);
  return out;
}

export function isSealed(input: unknown): input is SealedEnvelope {
  return typeof input === 'object' && input !== null && sealed.has(input as SealedEnvelope);
}
