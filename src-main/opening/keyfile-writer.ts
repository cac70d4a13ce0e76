/**
 * The opening key file's writer (the center's tool, test/center/issue-key-file.ts): every value
 * it writes reads back exactly through the product's reader. Its refusals are plain English
 * KeyFileErrors: they are the issuer's, not the user's.
 */
import { X509Certificate } from 'node:crypto';
import iconv from 'iconv-lite';
import ini from 'ini';
import { KEY_FILE_FORMAT_VERSION, parseText, type KeyFileContent } from './keyfile-parse';
import { KeyFileError } from './keyfile-error';
import { CERTIFICATE_KEY, CONTROL, CUSTOMER_KEYS, DEALER_KEYS, DESTINATION_KEYS, hex, OPTION_KEYS, SERVER_KEYS, type KeyTable } from './keyfile-format';

export interface WriteKeyFileOptions {
  encoding: 'utf8' | 'sjis';
  /** UTF-8 only */
  bom?: boolean;
  /** default CRLF (the file is opened on Windows) */
  eol?: '\r\n' | '\n';
}

const WRITER = '(key file being written)';

/**
 * The bytes of a key file. Every value is checked to read back exactly (Japanese text, `;`, `#`,
 * quotes, backslashes, edge spaces); values no key file can carry — control characters, lone
 * surrogates, characters outside Shift_JIS for an `sjis` file — are refused with a KeyFileError.
 */
export function writeKeyFile(content: KeyFileContent, options: WriteKeyFileOptions): Buffer {
  const { encoding, bom = false, eol = '\r\n' } = options;
  if (bom && encoding !== 'utf8') throw new KeyFileError(WRITER, 'unwritable', 'a byte order mark is for UTF-8 only');
  let der: string;
  try {
    der = new X509Certificate(content.centerCertificatePem).raw.toString('base64');
  } catch {
    throw new KeyFileError(WRITER, 'certificate', '[Certificate] the center certificate is not a PEM certificate');
  }
  const sections = toSections(content, der);
  for (const [section, values] of Object.entries(sections)) {
    for (const [key, v] of Object.entries(values)) {
      const problem = unwritable(v, encoding);
      if (problem) throw new KeyFileError(WRITER, 'unwritable', `[${section}] ${key} ${problem}`);
    }
  }
  const escaped = Object.fromEntries(Object.entries(sections).map(([name, values]) => [name, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeForIni(v)]))]));
  const header = `; Express Report Service opening key file (開局キーファイル), format version ${KEY_FILE_FORMAT_VERSION}\n; docs/formats/keyfile.md\n`;
  const text = (header + ini.encode(escaped, { platform: 'linux' })).replace(/\n/g, eol);

  // Belt and braces: the written text must read back to exactly what was given.
  const back = parseText(text, WRITER, null);
  const reread = toSections(back, new X509Certificate(back.centerCertificatePem).raw.toString('base64'));
  for (const [section, values] of Object.entries(sections)) {
    for (const [key, v] of Object.entries(values)) {
      if (reread[section]?.[key] !== v) throw new KeyFileError(WRITER, 'unwritable', `[${section}] ${key} does not read back as written`);
    }
  }

  if (encoding === 'sjis') return iconv.encode(text, 'cp932');
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** The sections and keys of a key file, in the order they are written. */
function toSections(content: KeyFileContent, der: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {
    Contract: {
      FormatVersion: KEY_FILE_FORMAT_VERSION,
      UserSystemCode: content.userSystemCode,
      ExpiresAt: content.expiresAt ?? '',
      ExtensionSecret: content.extensionSecret,
    },
    Customer: { Type: content.customer.type, ...keyed(CUSTOMER_KEYS, content.customer) },
    Server: keyed(SERVER_KEYS, content.device),
  };
  content.options.forEach((option, i) => (sections[`Option${i + 1}`] = keyed(OPTION_KEYS, option)));
  sections.Dealer = keyed(DEALER_KEYS, content.dealer);
  sections.Destinations = keyed(DESTINATION_KEYS, content.destinations);
  // Last, so that a file cut short anywhere is refused (a missing section or a broken certificate).
  sections.Certificate = { [CERTIFICATE_KEY]: der };
  return sections;
}

function keyed<F extends string>(table: KeyTable<F>, values: Readonly<Record<F, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of table) out[key] = values[field] ?? '';
  return out;
}

function unwritable(v: unknown, encoding: 'utf8' | 'sjis'): string | null {
  if (typeof v !== 'string') return 'is not a string';
  const control = CONTROL.exec(v) ?? /[\t\r\n\u2028\u2029]/.exec(v);
  if (control) return `contains a control character (${hex(control[0].charCodeAt(0))}), which a key file cannot carry`;
  const lone = /[\uD800-\uDFFF]/u.exec(v);
  if (lone) return `contains a lone surrogate (${hex(lone[0].charCodeAt(0))})`;
  if (encoding === 'sjis') {
    for (const ch of v) {
      if (iconv.decode(iconv.encode(ch, 'cp932'), 'cp932') !== ch) return `contains ${ch} (${hex(ch.codePointAt(0)!)}), which Shift_JIS (CP932) cannot carry`;
    }
  }
  return null;
}

/**
 * `ini` escapes `;` and `#` in a value it leaves unquoted but not `\`, while its reader takes
 * `\\`, `\;` and `\#` as escapes: double the backslashes of such a value. A value `ini` quotes
 * (edge spaces, `=`, a leading `[`, surrounding quotes) is JSON and needs nothing.
 */
function escapeForIni(v: string): string {
  return ini.safe(v) === JSON.stringify(v) ? v : v.replace(/\\/g, '\\\\');
}
