/** Lines of a child's output: a splitter for a byte stream, and the first line worth quoting. */

/** The longest line LineSplitter keeps by default; a longer one is dropped whole. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Splits a byte stream into lines: chunks may end anywhere (inside a line or a UTF-8
 * sequence); a line over `maxBytes` is dropped whole, reported once through `onOversize`.
 * A trailing CR is removed and blank lines are skipped.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      this.take(piece);
      if (nl === -1) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.partBytes > 0 || this.skipping) this.finishLine();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    this.partBytes += piece.length;
    if (this.skipping) return;
    if (this.partBytes > this.maxBytes) {
      this.skipping = true;
      this.parts = [];
      return;
    }
    this.parts.push(Buffer.from(piece));
  }

  private finishLine(): void {
    if (this.skipping) this.onOversize(this.partBytes);
    else if (this.partBytes > 0) {
      let line = Buffer.concat(this.parts, this.partBytes).toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() !== '') this.onLine(line);
    }
    this.parts = [];
    this.partBytes = 0;
    this.skipping = false;
  }
}

/** The first non-blank line of `text`, trimmed and cut to 300 characters: what a log line quotes of a tool's stderr. */
export function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}
