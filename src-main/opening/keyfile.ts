/**
 * The opening key file (開局キーファイル): the reader. The format is ours (the seed does not
 * publish NEC's); docs/formats/keyfile.md defines it. This file reads the bytes (bounded, a
 * regular file only) and decodes them; keyfile-parse.ts checks the text, keyfile-writer.ts
 * writes a file.
 */
import iconv from 'iconv-lite';
import { readRegularFile } from '../platform/bounded-file';
import { KeyFileError, keyFileError, type KeyFileMessage } from './keyfile-error';
import { CONTROL, hex } from './keyfile-format';
import { parseText, type KeyFile } from './keyfile-parse';

export { KeyFileError, type KeyFileErrorCode, type KeyFileMessage, type KeyFileText } from './keyfile-error';
export type { KeyFileDestinations } from './keyfile-format';
export type { KeyFile, KeyFileContent } from './keyfile-parse';

/** Larger files are refused before they are read. */
export const KEY_FILE_MAX_BYTES = 1024 * 1024;

/**
 * Reads and checks a key file. Every problem — I/O, size, encoding, syntax, a missing section or
 * key, a broken or expired certificate, an expired contract — is a KeyFileError; nothing else is
 * thrown for bad input.
 */
export async function readKeyFile(file: string, options: { now?: Date } = {}): Promise<KeyFile> {
  const bytes = await readBounded(file);
  return parseKeyFile(bytes, file, options);
}

/** Checks the bytes of a key file; `file` names it in errors. */
export function parseKeyFile(bytes: Uint8Array, file: string, options: { now?: Date } = {}): KeyFile {
  try {
    const text = decodeKeyFile(bytes, file);
    return parseText(text, file, options.now ?? new Date());
  } catch (err) {
    if (err instanceof KeyFileError) throw err;
    // A parser must never crash the caller: anything unforeseen is still a refused file.
    throw keyFileError(file, 'syntax', 'keyfile.unparsable');
  }
}

async function readBounded(file: string): Promise<Buffer> {
  if (typeof file !== 'string' || file === '' || file.includes('\0')) throw keyFileError(String(file), 'not-found', 'keyfile.noFileName');
  // Only a regular file, never more than the limit, and nothing blocks (a FIFO, /dev/zero).
  const read = await readRegularFile(file, KEY_FILE_MAX_BYTES);
  if (read.ok) {
    if (read.bytes.length === 0) throw keyFileError(file, 'empty', 'keyfile.empty');
    return read.bytes;
  }
  switch (read.problem) {
    case 'not-found':
      throw read.code === 'ENOTDIR' ? keyFileError(file, 'not-found', 'keyfile.notFoundPath') : keyFileError(file, 'not-found', 'keyfile.notFound');
    case 'no-permission':
      throw keyFileError(file, 'no-permission', 'keyfile.noPermission');
    case 'directory':
      throw keyFileError(file, 'directory', 'keyfile.directory');
    case 'not-a-file':
      throw keyFileError(file, 'not-a-file', 'keyfile.notRegular');
    case 'too-large':
      throw read.size === undefined
        ? keyFileError(file, 'too-large', 'keyfile.tooLargeGrew', { max: KEY_FILE_MAX_BYTES })
        : keyFileError(file, 'too-large', 'keyfile.tooLarge', { size: read.size, max: KEY_FILE_MAX_BYTES });
    default:
      throw keyFileError(file, 'io', 'keyfile.io', { code: read.code ?? 'I/O' });
  }
}

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
};

/** UTF-8 (BOM optional), else CP932; anything else (UTF-16, binary) is refused. */
function decodeKeyFile(bytes: Uint8Array, file: string): string {
  const fail = (key: KeyFileMessage, params?: Record<string, string | number>, line?: number) => keyFileError(file, 'encoding', key, params, line);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length === 0) throw keyFileError(file, 'empty', 'keyfile.empty');
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    throw fail('keyfile.encoding.utf16');
  }
  const nul = b.indexOf(0);
  if (nul >= 0) throw fail('keyfile.encoding.nul', { offset: nul });
  let text: string;
  let encoding: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b); // drops a UTF-8 BOM
    encoding = 'UTF-8';
  } catch {
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) throw fail('keyfile.encoding.badBom');
    text = iconv.decode(b, 'cp932');
    encoding = 'Shift_JIS';
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) throw fail('keyfile.encoding.neither', undefined, lineAt(text, bad));
  }
  const control = CONTROL.exec(text);
  if (control) {
    throw fail('keyfile.encoding.control', { char: hex(control[0].charCodeAt(0)), encoding }, lineAt(text, control.index));
  }
  return text;
}
