/**
 * uuencode, as sharutils `uudecode` reads it (docs/formats/mail.md): `begin 644 NAME`, then lines
 * of at most 45 bytes each, led by the line's length as a character and written four characters
 * per three bytes, each character `(value & 63) + 32` with zero written as a backtick (never a
 * space, which mail systems strip at line ends); then a backtick line (length zero) and `end`.
 * No maintained package writes this (the npm one writes spaces and no begin/end).
 */

const LINE_BYTES = 45;

function char(value: number): string {
  const v = value & 63;
  return v === 0 ? '`' : String.fromCharCode(v + 32);
}

/** The name as it may stand after `begin 644`: one line, no control characters. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const cleaned = name.replace(/[\x00-\x1f\x7f]/g, '_').trim();
  return cleaned === '' ? 'report.bin' : cleaned;
}

/** The uuencoded text of `data` under `name`, with CRLF line ends. */
export function uuencode(data: Uint8Array, name: string, mode = '644'): string {
  const lines: string[] = [`begin ${mode} ${safeName(name)}`];
  for (let at = 0; at < data.length; at += LINE_BYTES) {
    const chunk = data.subarray(at, Math.min(at + LINE_BYTES, data.length));
    let line = char(chunk.length);
    for (let i = 0; i < chunk.length; i += 3) {
      const a = chunk[i]!;
      const b = i + 1 < chunk.length ? chunk[i + 1]! : 0;
      const c = i + 2 < chunk.length ? chunk[i + 2]! : 0;
      line += char(a >> 2) + char(((a << 4) | (b >> 4)) & 63) + char(((b << 2) | (c >> 6)) & 63) + char(c & 63);
    }
    lines.push(line);
  }
  lines.push('`', 'end', '');
  return lines.join('\r\n');
}
