/**
 * The queue's snapshot file (docs/formats/queue.md): a header record, then an insert record for
 * every report held. Made from the list of entries at the moment a new journal starts (entries
 * are never changed in place: state.ts replaces them) and serialised a chunk at a time while it
 * is written, so a large queue's snapshot is never whole in memory.
 */
import { framePieces } from './framing';
import { recordPieces, SNAPSHOT_FORMAT, type QueueEntry } from './records';

/** About this many bytes of records are made and written at a time. */
const SNAPSHOT_CHUNK_BYTES = 256 * 1024;

/** The snapshot of the given entries, made chunk by chunk as it is written. */
export class Snapshot {
  bytes = 0;

  constructor(
    private readonly entries: QueueEntry[],
    private readonly nextJournal: number,
    private readonly nextSeq: number,
  ) {}

  *chunks(): Generator<Buffer> {
    let frames = [framePieces(recordPieces({ op: 'snapshot', format: SNAPSHOT_FORMAT, nextJournal: this.nextJournal, nextSeq: this.nextSeq }))];
    let size = frames[0]!.length;
    for (const entry of this.entries) {
      const frame = framePieces(recordPieces({ op: 'insert', entry }));
      frames.push(frame);
      size += frame.length;
      if (size >= SNAPSHOT_CHUNK_BYTES) {
        yield this.counted(frames);
        frames = [];
        size = 0;
      }
    }
    if (frames.length > 0) yield this.counted(frames);
  }

  private counted(frames: Buffer[]): Buffer {
    const chunk = Buffer.concat(frames);
    this.bytes += chunk.length;
    return chunk;
  }
}
