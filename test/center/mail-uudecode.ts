/**
 * A strict uudecoder for the center's mail receiver (docs/formats/mail.md): the body of an
 * `x-uuencode` part is `begin MODE NAME`, data lines each led by its length character
 * ((n & 63) + 32, 0 written as a backtick or a space), a zero-length line, `end`. Anything else —
 * a missing begin or end, a character outside the alphabet, a line whose length does not match
 * its length character, data after `end` — is refused with the line number, never guessed at.
 */

export class UudecodeError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `uuencode line ${line}: ${message}` : `uuencode: ${message}`);
    this.name = 'UudecodeError';
  }
}

export interface Uudecoded {
  /** the file name of the begin line */
  name: string;
  /** the octal mode of the begin line, as written */
  mode: string;
  data: Buffer;
}

/** The 6-bit value of one uuencode character; backtick and space both stand for 0. */
function sextet(code: number): number {
  if (code === 0x60) return 0;
  if (code < 0x20 || code > 0x5f) return -1;
  return code - 0x20;
}

/** Decodes a whole uuencoded body (bytes as received; line ends CRLF or LF). */
export function uudecode(body: Buffer): Uudecoded {
  const lines = body.toString('latin1').split(/\r?\n/);
  let at = 0;
  while (at < lines.length && lines[at]!.trim() === '') at += 1;
  if (at >= lines.length) throw new UudecodeError(0, 'the part is empty (no begin line)');
  const begin = /^begin ([0-7]{3,4}) (.+)$/.exec(lines[at]!);
  if (!begin) throw new UudecodeError(at + 1, `expected "begin MODE NAME", found ${JSON.stringify(lines[at]!.slice(0, 40))}`);
  // The name is the rest of the line as bytes; the product writes it in UTF-8.
  const name = Buffer.from(begin[2]!, 'latin1').toString('utf8');
  const chunks: Buffer[] = [];
  let ended = false;
  for (at += 1; at < lines.length; at += 1) {
    const line = lines[at]!;
    const number = at + 1;
    if (line.length === 0) throw new UudecodeError(number, 'an empty line inside the data (a zero-length line is a backtick)');
    const length = sextet(line.charCodeAt(0));
    if (length < 0) throw new UudecodeError(number, `the length character ${JSON.stringify(line[0])} is not a uuencode character`);
    if (length === 0) {
      if (line.length !== 1) throw new UudecodeError(number, 'the zero-length line has characters after its length character');
      const end = lines[at + 1];
      if (end !== 'end') throw new UudecodeError(number + 1, `expected "end" after the zero-length line, found ${JSON.stringify((end ?? '').slice(0, 40))}`);
      ended = true;
      at += 2;
      break;
    }
    const expected = Math.ceil(length / 3) * 4;
    const encoded = line.length - 1;
    if (encoded !== expected) throw new UudecodeError(number, `${length} bytes take ${expected} characters, the line has ${encoded}`);
    const out = Buffer.alloc(Math.ceil(length / 3) * 3);
    for (let i = 0, o = 0; i < expected; i += 4, o += 3) {
      const s: number[] = [];
      for (let k = 0; k < 4; k += 1) {
        const v = sextet(line.charCodeAt(1 + i + k));
        if (v < 0) throw new UudecodeError(number, `character ${i + k + 2} (${JSON.stringify(line[1 + i + k])}) is not a uuencode character`);
        s.push(v);
      }
      out[o] = ((s[0]! << 2) | (s[1]! >> 4)) & 0xff;
      out[o + 1] = ((s[1]! << 4) | (s[2]! >> 2)) & 0xff;
      out[o + 2] = ((s[2]! << 6) | s[3]!) & 0xff;
    }
    chunks.push(out.subarray(0, length));
  }
  if (!ended) throw new UudecodeError(0, 'the data ends without a zero-length line and "end"');
  for (; at < lines.length; at += 1) {
    if (lines[at]!.trim() !== '') throw new UudecodeError(at + 1, 'data after "end"');
  }
  return { name, mode: begin[1]!, data: Buffer.concat(chunks) };
}
