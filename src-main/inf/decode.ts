/**
 * Text decoding for hand-written definition files (AMHTPADR.INF, AMHTPLOG.INF, AMHTPHBI.INF).
 *
 * Same approach as the key file reader (src-main/opening/keyfile.ts): strict UTF-8 first (a
 * BOM is optional and dropped), else Windows code page 932 (Shift_JIS with the NEC and IBM
 * extensions). The whole file is decoded before any parsing, so a Shift_JIS second byte 0x5C
 * (表, ソ, 能 …) can never be mistaken for a backslash or split a line. Unlike the key file
 * reader this never throws: a file that is not text comes back as a problem with a line.
 */
import iconv from 'iconv-lite';
import { english, text as reasonText, type InfText } from './messages';

export type TextEncoding = 'utf-8' | 'shift_jis';

export type DecodedText =
  | { ok: true; text: string; encoding: TextEncoding; bom: boolean }
  | { ok: false; line: number; message: string; reason: InfText };

/** Definition files are a few hundred bytes; anything over this is not one. */
export const MAX_DEFINITION_FILE_BYTES = 1024 * 1024;

// C0 controls other than TAB, LF, CR; DEL; C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** 1-based line of a character offset (CRLF, LF or a lone CR end a line). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) line++;
  }
  return line;
}

/** 1-based line of a byte offset, counting LF and lone CR bytes (both are ASCII in UTF-8 and CP932). */
function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) line++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  return line;
}

const u = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** A decoding failure on `line`: the coded reason and its English message. */
function failure(line: number, reason: InfText): DecodedText {
  return { ok: false, line, message: english(reason), reason };
}

/** Decode a definition file's bytes as UTF-8 (BOM optional) or Shift_JIS (CP932). */
export function decodeDefinitionText(bytes: Uint8Array): DecodedText {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length > MAX_DEFINITION_FILE_BYTES) {
    return failure(1, reasonText('inf.file.tooLarge', { size: b.length, max: MAX_DEFINITION_FILE_BYTES }));
  }
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    return failure(1, reasonText('inf.file.utf16'));
  }
  const nul = b.indexOf(0);
  if (nul >= 0) {
    return failure(lineAtByte(b, nul), reasonText('inf.file.nul', { offset: nul }));
  }
  const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  let text: string;
  let encoding: TextEncoding;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b); // drops a UTF-8 BOM
    encoding = 'utf-8';
  } catch {
    if (bom) {
      // Find the first bad sequence for the line number.
      const loose = new TextDecoder('utf-8').decode(b);
      return failure(lineAt(loose, loose.indexOf('\uFFFD')), reasonText('inf.file.badUtf8Bom'));
    }
    text = iconv.decode(b, 'cp932');
    encoding = 'shift_jis';
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) return failure(lineAt(text, bad), reasonText('inf.file.badEncoding'));
  }
  const control = CONTROL.exec(text);
  if (control) {
    return failure(lineAt(text, control.index), reasonText('inf.file.control', { char: u(control[0].charCodeAt(0)) }));
  }
  return { ok: true, text, encoding, bom };
}
