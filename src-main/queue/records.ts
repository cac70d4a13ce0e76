/**
 * What the queue keeps for each report, and the records of its journal and snapshot
 * (docs/formats/queue.md). Every record read from disk is checked with these schemas; one that
 * does not pass is set aside, never trusted.
 */
import { z } from 'zod';
import { isStepOf, type DeliveryStep } from '../channels/steps';
import { METHOD_NAMES } from '../../src-shared/methods';
import { REPORT_KINDS, reportEnvelopeSchema } from '../../src-shared/report';

/** The states a report is stored in; `sending` exists only in memory while an attempt runs. */
export const STORED_STATES = ['queued', 'retrying', 'delivered', 'failed'] as const;
export type StoredState = (typeof STORED_STATES)[number];
export type QueueState = StoredState | 'sending';

/** An attachment file inside the queue folder: `attachments/<report id>-<NN>`. */
export const ATTACHMENT_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d{2}$/;
/** The largest attachment kept inline in the journal; larger ones are files. */
export const MAX_INLINE_BYTES = 64 * 1024;

export const queuedAttachmentSchema = z.union([
  z.object({ file: z.string().regex(ATTACHMENT_FILE) }).strict(),
  z.object({ data: z.base64().max(Math.ceil(MAX_INLINE_BYTES / 3) * 4) }).strict(),
]);
export type QueuedAttachment = z.infer<typeof queuedAttachmentSchema>;

/**
 * The last failure as stored: the channel and step are strings, checked against the lists in
 * channels/steps.ts when read back. Records written before failures named their channel have no
 * `channel`: every one of them came from the HTTPS reporter or the queue's own HTTPS-era steps, so
 * they read as 'https' with their step kept. A step the channel does not know (a newer version's,
 * say) reads as 'protocol' with its detail kept: the report stays in the history, never set aside.
 */
export const lastErrorSchema = z
  .object({
    channel: z.string().optional(),
    step: z.string(),
    detail: z.string(),
    destination: z.string(),
    retryable: z.boolean(),
    status: z.number().int().optional(),
  })
  .transform(({ channel, step, ...rest }): { channel: string; step: DeliveryStep; detail: string; destination: string; retryable: boolean; status?: number } => {
    const named = channel || 'https';
    return { channel: named, step: isStepOf(named, step) ? step : 'protocol', ...rest };
  });
export type LastError = z.infer<typeof lastErrorSchema>;

const time = z.number().int().min(0);

const entryFields = z.object({
  id: z.string().uuid(),
  /** acceptance order */
  seq: z.number().int().min(0),
  kind: z.enum(REPORT_KINDS),
  method: z.enum(METHOD_NAMES),
  /**
   * the method the report is delivered, scheduled and limited as (docs/formats/queue.md, Lanes):
   * the envelope's method unless accepted into another lane (the manager forwards an agent's
   * report on its own method); absent in records written before lanes
   */
  lane: z.enum(METHOD_NAMES).optional(),
  /** the agent a manager received the report from (docs/formats/relay.md); absent for the machine's own reports */
  from: z.object({ userSystemCode: z.string().max(64), serverName: z.string().max(255), address: z.string().max(100) }).nullable().optional(),
  /** ms since the epoch, as are all times here */
  acceptedAt: time,
  state: z.enum(STORED_STATES),
  attempts: z.number().int().min(0),
  firstAttemptAt: time.nullable(),
  lastAttemptAt: time.nullable(),
  /** when a pending report is tried next; null once settled */
  nextAttemptAt: time.nullable(),
  settledAt: time.nullable(),
  /** the destination delivered to, or the last one tried */
  destination: z.string().nullable(),
  lastError: lastErrorSchema.nullable(),
  /** why a failed report failed for good */
  failure: z.enum(['permanent', 'retry-limit', 'no-destination', 'single-attempt']).nullable(),
  /** the fault, for the history view */
  event: z.object({ source: z.string(), eventId: z.string() }).nullable(),
  /** only this destination (1 primary, 2 secondary): a test or opening report to the one chosen in the window */
  pin: z.number().int().min(1).max(2).nullable().default(null),
  /** one round only, never retried: the window showed its outcome (test and opening reports) */
  singleAttempt: z.boolean().default(false),
  /** what is sent; dropped once delivered (the history keeps the rest) */
  envelope: reportEnvelopeSchema.nullable(),
  /** by position, as the envelope lists them; emptied once delivered */
  attachments: z.array(queuedAttachmentSchema).max(16),
});

/** An entry as read: `lane` is always there (the envelope's method for an old record). */
export const queueEntrySchema = entryFields.transform((entry) => ({ ...entry, lane: entry.lane ?? entry.method }));
/** An entry as written in a record and read back: the envelope parsed and checked. */
export type StoredEntry = z.output<typeof queueEntrySchema>;

/**
 * An entry as the queue holds it in memory: the envelope as its JSON text — checked when it was
 * accepted or read back — and parsed only when it is sent. A pending report costs its bytes,
 * not a tree of objects for the collector to trace, and a snapshot copies the text as it is.
 */
export type QueueEntry = Omit<StoredEntry, 'envelope'> & { envelope: string | null };

/** The fields an update may change (never `lane`). */
export const entryPatchSchema = entryFields
  .pick({
    state: true,
    attempts: true,
    firstAttemptAt: true,
    lastAttemptAt: true,
    nextAttemptAt: true,
    settledAt: true,
    destination: true,
    lastError: true,
    failure: true,
  })
  .partial()
  .strict();
export type EntryPatch = z.infer<typeof entryPatchSchema>;

export const SNAPSHOT_FORMAT = 1;

export const recordSchema = z.discriminatedUnion('op', [
  /** the first record of a snapshot: it holds every journal below `nextJournal` */
  z.object({ op: z.literal('snapshot'), format: z.literal(SNAPSHOT_FORMAT), nextJournal: z.number().int().min(1), nextSeq: z.number().int().min(0) }),
  z.object({ op: z.literal('insert'), entry: queueEntrySchema }),
  z.object({ op: z.literal('update'), id: z.string().uuid(), set: entryPatchSchema }),
]);
export type QueueRecord = z.infer<typeof recordSchema>;

/** A record as the queue applies and writes it: an insert carries the entry as held in memory. */
export type HeldRecord = Exclude<QueueRecord, { op: 'insert' }> | { op: 'insert'; entry: QueueEntry };

/** The entry as held in memory (see QueueEntry). */
export function heldEntry(entry: StoredEntry): QueueEntry {
  return { ...entry, envelope: entry.envelope === null ? null : JSON.stringify(entry.envelope) };
}

export function heldRecord(record: QueueRecord): HeldRecord {
  return record.op === 'insert' ? { op: 'insert', entry: heldEntry(record.entry) } : record;
}

const NULL_ENVELOPE = '"envelope":null';

/**
 * The record's JSON as recordSchema reads it, as pieces that joined are that JSON: a held
 * envelope's text is one piece, as it is, never copied into one string with the rest.
 */
export function recordPieces(record: HeldRecord): string[] {
  if (record.op !== 'insert' || record.entry.envelope === null) return [JSON.stringify(record)];
  const head = JSON.stringify({ op: 'insert', entry: { ...record.entry, envelope: null } });
  // The entry's own key: every string value before it is JSON-escaped, so cannot hold `"envelope":null`.
  const at = head.indexOf(NULL_ENVELOPE) + NULL_ENVELOPE.length - 'null'.length;
  return [head.slice(0, at), record.entry.envelope, head.slice(at + 'null'.length)];
}

export function isPending(state: StoredState): boolean {
  return state === 'queued' || state === 'retrying';
}
