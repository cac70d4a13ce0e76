/**
 * A pending report's insert record is framed from pieces (its envelope's JSON text is written as
 * it is, never joined into one string with the rest of the record) and the queue takes an
 * envelope sealed by the relay's receive service without checking it again. Both must give the
 * record the queue reads back, whatever the strings in the report hold.
 */
import { describe, expect, it } from 'vitest';
import { framePieces, frameText, scanFrames } from '../../src-main/queue/framing';
import { recordPieces, recordSchema, type QueueEntry } from '../../src-main/queue/records';
import { ReportQueue } from '../../src-main/queue/report-queue';
import { checkEnvelope, isSealed, sealEnvelope } from '../../src-shared/report';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

function entryOf(detail: string): QueueEntry {
  const envelope = sampleEnvelope('alert');
  envelope.server = { ...envelope.server, serverName: 'ＳＶ-"envelope":null\\' };
  return {
    seq: 3,
    id: envelope.id,
    kind: 'alert',
    method: envelope.method,
    lane: envelope.method,
    from: { userSystemCode: 'OPFILELESS', serverName: '"envelope":null', address: '127.0.0.1' },
    acceptedAt: 1,
    state: 'retrying',
    attempts: 1,
    firstAttemptAt: 1,
    lastAttemptAt: 1,
    nextAttemptAt: 2,
    settledAt: null,
    destination: 'https://center.example/',
    lastError: { channel: 'https', step: 'tls', detail, destination: 'https://center.example/', retryable: true },
    failure: null,
    event: { source: '"envelope":null', eventId: '0x1' },
    pin: null,
    singleAttempt: false,
    envelope: JSON.stringify(checkEnvelope(envelope).data),
    attachments: [],
  };
}

function readBack(frame: Buffer): unknown {
  const payloads: Buffer[] = [];
  expect(scanFrames(frame, (p) => payloads.push(Buffer.from(p)))).toEqual([]);
  expect(payloads).toHaveLength(1);
  return JSON.parse(payloads[0]!.toString('utf8'));
}

describe('insert records framed from pieces', () => {
  it.each(['plain', '"envelope":null in the detail', 'ü日本語 and a "quote" and a \\ backslash'])('read back as the same entry, with the envelope as an object (%s)', (detail) => {
    const entry = entryOf(detail);
    const pieces = recordPieces({ op: 'insert', entry });
    expect(pieces).toContain(entry.envelope);
    const json = readBack(framePieces(pieces));
    const parsed = recordSchema.parse(json);
    expect(parsed.op).toBe('insert');
    if (parsed.op !== 'insert') return;
    expect(parsed.entry.lastError?.detail).toBe(detail);
    expect(parsed.entry.from?.serverName).toBe('"envelope":null');
    expect(JSON.stringify(parsed.entry.envelope)).toBe(entry.envelope);
    // The same bytes as framing the joined text.
    expect(framePieces(pieces).equals(frameText(pieces.join('')))).toBe(true);
  });

  it('a record without an envelope (delivered, or an update) is one piece', () => {
    expect(recordPieces({ op: 'insert', entry: { ...entryOf('x'), envelope: null } })).toHaveLength(1);
    expect(recordPieces({ op: 'update', id: entryOf('x').id, set: { attempts: 2 } })).toHaveLength(1);
  });
});

describe('sealed envelopes', () => {
  it('only a checked envelope can be sealed', () => {
    const raw = sampleEnvelope('alert');
    expect(() => sealEnvelope(raw)).toThrow(/not checked/);
    const sealed = sealEnvelope(checkEnvelope(raw).data!);
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed({ ...sealed })).toBe(false);
    expect(JSON.parse(sealed.text)).toEqual(checkEnvelope(raw).data);
  });

  it('the queue takes a sealed envelope as it is; a forged one is checked, and refused', async () => {
    const dir = tempDir('sealed-');
    const queue = await ReportQueue.open({ dir: dir.dir, scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' }), reportersFor: () => [] });
    try {
      const event = { log: 'System', source: 'disk', eventId: '0xC0000001', time: new Date().toISOString(), message: 'm', suppressedCount: 0, pseudo: false };
      const envelope = checkEnvelope({ ...sampleEnvelope('alert'), event }).data!;
      const item = await queue.accept(sealEnvelope(envelope));
      expect(item.id).toBe(envelope.id);
      expect(item.event).toEqual({ source: 'disk', eventId: '0xC0000001' });
      // A second accept of the same id, sealed or not, is the stored report.
      expect((await queue.accept(envelope)).seq).toBe(item.seq);
      // A forged "sealed" object is checked like any input, and refused.
      await expect(queue.accept({ ...sealEnvelope(envelope), id: 'x' } as never)).rejects.toThrow(/invalid/);
    } finally {
      await queue.close();
      dir.remove();
    }
  });
});
