/**
 * Faults whose logs are being collected (docs/formats/queue.md, "Collecting"). A fault is made
 * durable here — one file per report, `<data dir>/collecting/<report id>.json`, written
 * atomically (fsync'd) — before its AMHTPLOG.INF tools start, and the file is removed only after
 * the report (with its archive) is in the queue. So a crash, a power cut or a stop that outlasts
 * the stop timeout while the tools run loses nothing: at the next opening of the queue every file
 * left here is a report that was not accepted (or was, just before the crash: the queue has its
 * id) and it is accepted without its archive, saying why.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { reportEnvelopeSchema, type ReportEnvelope } from '../../src-shared/report';
import type { MethodName } from '../../src-shared/methods';
import { writeFileAtomic } from '../lib/atomic-file';
import type { FaultEvent } from '../events/fault-event';

const RECORD_VERSION = 1;

export interface CollectingRecord {
  /** the report as it will be accepted, without its archive */
  envelope: ReportEnvelope;
  /** when the collection began (ISO 8601) */
  startedAt: string;
}

export interface CollectingFound {
  record: CollectingRecord | null;
  file: string;
  /** why the file cannot be read (then it is set aside as `<file>.bad`) */
  problem?: string;
}

/**
 * The report id of a fault read from an event log: the same entry gives the same id (a journal
 * re-read after a crash is refused by the queue as a duplicate, not reported twice); an event
 * without a place in its log (the pseudo-failure test, report:event) gets a random one.
 */
export function eventReportId(method: MethodName, event: FaultEvent): string | undefined {
  if (!event.recordId) return undefined;
  const hex = createHash('sha256').update(JSON.stringify([method, event.log, event.source, event.eventId, event.time, event.recordId])).digest('hex');
  // An RFC 4122 name-based (version 5 layout) UUID, so the envelope's uuid check holds.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class CollectingStore {
  constructor(readonly dir: string) {}

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** Durable when it resolves. */
  async write(record: CollectingRecord): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.fileOf(record.envelope.id), JSON.stringify({ version: RECORD_VERSION, ...record }) + '\n', 0o600);
  }

  async has(id: string): Promise<boolean> {
    return fsp.access(this.fileOf(id)).then(
      () => true,
      () => false,
    );
  }

  async remove(id: string): Promise<void> {
    await fsp.rm(this.fileOf(id), { force: true });
  }

  /** Every record left here, oldest first; a file that is not one is set aside (never deleted). */
  async list(): Promise<CollectingFound[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    const found: CollectingFound[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(this.dir, name);
      const text = await fsp.readFile(file, 'utf8').catch((err: unknown) => err as Error);
      const record = typeof text === 'string' ? parseRecord(text) : null;
      if (record) found.push({ record, file });
      else {
        const problem = typeof text === 'string' ? 'not a collecting record' : text.message;
        await fsp.rename(file, `${file}.bad`).catch(() => undefined);
        found.push({ record: null, file, problem });
      }
    }
    return found.sort((a, b) => (a.record?.startedAt ?? '').localeCompare(b.record?.startedAt ?? ''));
  }
}

function parseRecord(text: string): CollectingRecord | null {
  try {
    const data = JSON.parse(text) as Record<string, unknown>;
    if (data.version !== RECORD_VERSION || typeof data.startedAt !== 'string') return null;
    const envelope = reportEnvelopeSchema.safeParse(data.envelope);
    return envelope.success ? { envelope: envelope.data, startedAt: data.startedAt } : null;
  } catch {
    return null;
  }
}
