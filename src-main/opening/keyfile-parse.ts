/**
 * The opening key file's text, checked (docs/formats/keyfile.md): its structure, the contract and
 * the center certificate. Reading and decoding the file is keyfile.ts; writing it,
 * keyfile-writer.ts. The customer/device/dealer values come back raw, and the product runs the
 * field rules of src-shared/opening.ts on them afterwards.
 *
 * Values are parsed with npm `ini`. Its traps (RECIPES.md) are guarded: a line scanner of our own
 * refuses what `ini` would silently misread (an unclosed header, a line without `=`, duplicates,
 * dotted section names, `Key[]` arrays) and gives every problem a line number; the writer
 * escapes backslashes so that every value it writes reads back exactly.
 */
import { X509Certificate } from 'node:crypto';
import ini from 'ini';
import { checkField, type Customer, type Dealer, type Device, type OptionDevice } from '../../src-shared/opening';
import { keyFileError, type KeyFileErrorCode, type KeyFileMessage } from './keyfile-error';
import {
  CERTIFICATE_KEY,
  CONTROL,
  CUSTOMER_KEYS,
  DEALER_KEYS,
  hex,
  isKnownKey,
  isKnownSection,
  KNOWN_KEYS,
  OPTION_KEYS,
  OPTION_REQUIRED,
  OPTION_SECTION,
  REQUIRED,
  SECTION_ORDER,
  SERVER_KEYS,
  type FixedSection,
  type KeyFileDestinations,
  type KeyTable,
} from './keyfile-format';

export const KEY_FILE_FORMAT_VERSION = '1';
/** The most option devices (the opening record holds up to 99). */
export const KEY_FILE_MAX_OPTIONS = 99;
const MAX_FIELD_CHARS = 200;
const MAX_CERT_DER_BYTES = 32 * 1024;
const MIN_SECRET_BYTES = 32;
const MAX_SECRET_CHARS = 256;

export interface KeyFile {
  userSystemCode: string;
  /** the last day of the contract (YYYY-MM-DD), or null when the file states none */
  expiresAt: string | null;
  /** base64, as in the file; verifies extension keys */
  extensionSecret: string;
  customer: Customer;
  device: Device;
  options: OptionDevice[];
  dealer: Dealer;
  destinations: KeyFileDestinations;
  centerCertificatePem: string;
  certificate: { subject: string; notAfter: string };
}

/** What the writer needs: the certificate summary is derived from the PEM. */
export type KeyFileContent = Omit<KeyFile, 'certificate'>;

interface ScannedSection {
  name: string;
  line: number;
  /** key → line number */
  keys: Map<string, number>;
  /** key → the text after the first `=`, trimmed */
  rawValues: Map<string, string>;
}

/**
 * Finds sections and keys with their line numbers, reading lines exactly as `ini` does, and
 * refuses what `ini` would misread silently.
 */
function scanLines(text: string, file: string): Map<string, ScannedSection> {
  const sections = new Map<string, ScannedSection>();
  let current: ScannedSection | null = null;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    const n = i + 1;
    const fail = (key: KeyFileMessage, params?: Record<string, string | number>) => keyFileError(file, 'syntax', key, params, n);
    if (!line || /^\s*[;#]/.test(line) || /^\s*$/.test(line)) return;
    const header = /^\[([^\]]*)\]\s*$/.exec(line);
    if (header) {
      const name = ini.unsafe(header[1]!);
      if (name === '') throw fail('keyfile.syntax.emptySectionName');
      if (name.includes('.') || name.includes('\\') || name === '__proto__') throw fail('keyfile.syntax.badSectionName');
      const seen = sections.get(name);
      if (seen) throw isKnownSection(name) ? fail('keyfile.syntax.sectionTwice', { section: name, first: seen.line }) : fail('keyfile.syntax.otherSectionTwice', { first: seen.line });
      current = { name, line: n, keys: new Map(), rawValues: new Map() };
      sections.set(name, current);
      return;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) {
      if (!trimmed.includes(']')) throw fail('keyfile.syntax.headerNotClosed');
      if (line !== line.trimStart()) throw fail('keyfile.syntax.headerIndented');
      throw fail('keyfile.syntax.headerMalformed');
    }
    const entry = /^([^=]+)(=(.*))?$/.exec(line);
    if (!entry) throw fail('keyfile.syntax.noKey');
    const key = ini.unsafe(entry[1]!);
    if (entry[2] === undefined) throw fail('keyfile.syntax.notKeyValue');
    const section = current as ScannedSection | null;
    if (!section) throw fail('keyfile.syntax.keyBeforeSection');
    if (key === '') throw fail('keyfile.syntax.noKey');
    if (key.endsWith('[]') || key === '__proto__') throw fail('keyfile.syntax.keyNotAllowed');
    const seen = section.keys.get(key);
    if (seen !== undefined) {
      throw isKnownKey(section.name, key) ? fail('keyfile.syntax.keyTwice', { section: section.name, key, first: seen }) : fail('keyfile.syntax.otherKeyTwice', { first: seen });
    }
    section.keys.set(key, n);
    section.rawValues.set(key, (entry[3] ?? '').trim());
  });
  return sections;
}

const clip = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Checks a key file's decoded text (`now` null: no date checks; the writer reads back what it wrote). */
export function parseText(text: string, file: string, now: Date | null): KeyFile {
  if (text.trim() === '') throw keyFileError(file, 'empty', 'keyfile.empty');
  const scanned = scanLines(text, file);
  if (scanned.size === 0) throw keyFileError(file, 'missing-section', 'keyfile.noSections');
  const parsed = ini.decode(text) as Record<string, unknown>;

  // 1. Structure: every section and required key is there.
  const sectionOf = (name: string): ScannedSection => {
    const found = scanned.get(name);
    if (found) return found;
    // A name that differs only in case is the expected name: naming it quotes nothing else.
    const other = [...scanned.keys()].find((s) => s.toLowerCase() === name.toLowerCase());
    throw other ? keyFileError(file, 'missing-section', 'keyfile.missingSectionCase', { section: name, found: other }) : keyFileError(file, 'missing-section', 'keyfile.missingSection', { section: name });
  };
  const requireKeys = (section: ScannedSection, keys: readonly string[]): void => {
    for (const key of keys) {
      if (section.keys.has(key)) continue;
      const other = [...section.keys.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
      throw other
        ? keyFileError(file, 'missing-key', 'keyfile.missingKeyCase', { section: section.name, key, found: other }, section.line)
        : keyFileError(file, 'missing-key', 'keyfile.missingKey', { section: section.name, key }, section.line);
    }
  };
  const refuseUnknown = (section: ScannedSection, known: readonly string[]): void => {
    for (const [key, line] of section.keys) {
      if (!known.includes(key)) throw keyFileError(file, 'syntax', 'keyfile.syntax.unknownKey', { section: section.name }, line);
    }
  };
  const fixed = {} as Record<FixedSection, ScannedSection>;
  for (const name of SECTION_ORDER) {
    const section = sectionOf(name);
    requireKeys(section, REQUIRED[name]);
    refuseUnknown(section, KNOWN_KEYS[name]!);
    fixed[name] = section;
  }
  const optionSections: ScannedSection[] = [];
  for (const section of scanned.values()) {
    if (!section.name.toLowerCase().startsWith('option')) continue;
    const m = OPTION_SECTION.exec(section.name);
    const number = m ? Number(m[1]) : NaN;
    if (!(number >= 1 && number <= KEY_FILE_MAX_OPTIONS)) {
      throw keyFileError(file, 'syntax', 'keyfile.syntax.optionName', { max: KEY_FILE_MAX_OPTIONS }, section.line);
    }
    optionSections[number - 1] = section;
  }
  for (let i = 0; i < optionSections.length; i++) {
    const section = optionSections[i];
    if (!section) {
      throw keyFileError(file, 'missing-section', 'keyfile.missingOption', { n: i + 1, last: optionSections.length });
    }
    requireKeys(section, OPTION_REQUIRED);
    refuseUnknown(section, OPTION_KEYS.map(([k]) => k));
  }

  // 2. Values.
  const value = (section: ScannedSection, key: string, max = MAX_FIELD_CHARS): string => {
    const line = section.keys.get(key);
    if (line === undefined) return '';
    const raw = (parsed[section.name] as Record<string, unknown> | undefined)?.[key];
    // `ini` JSON-parses what is inside single quotes ('123' → 123, '"x"' → x): take it literally.
    const text = section.rawValues.get(key) ?? '';
    const singleQuoted = text.length > 1 && text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : undefined;
    // `ini` turns true/false/null into JSON values; the text is what the file says.
    const v = singleQuoted ?? (typeof raw === 'string' ? raw : typeof raw === 'boolean' || raw === null ? String(raw) : undefined);
    if (v === undefined) throw keyFileError(file, 'syntax', 'keyfile.syntax.notSingleValue', { section: section.name, key }, line);
    const control = CONTROL.exec(v) ?? /[\t\r\n\u2028\u2029]/.exec(v);
    if (control) throw keyFileError(file, 'bad-value', 'keyfile.value.control', { section: section.name, key, char: hex(control[0].charCodeAt(0)) }, line);
    if ([...v].length > max) throw keyFileError(file, 'bad-value', 'keyfile.value.tooLong', { section: section.name, key, max }, line);
    return v;
  };
  // From here on the file has a key file's sections and keys: a reason may quote a value.
  const bad = (section: ScannedSection, key: string, message: KeyFileMessage, params: Record<string, string | number> = {}, code: KeyFileErrorCode = 'bad-value') =>
    keyFileError(file, code, message, { key, ...params }, section.keys.get(key) ?? section.line);
  const page = <F extends string>(section: ScannedSection, table: KeyTable<F>): Record<F, string> => {
    const out = {} as Record<F, string>;
    for (const [key, field] of table) out[field] = value(section, key);
    return out;
  };

  // [Contract]
  const contract = fixed.Contract;
  const version = value(contract, 'FormatVersion');
  if (version !== KEY_FILE_FORMAT_VERSION) throw bad(contract, 'FormatVersion', 'keyfile.value.formatVersion', { value: clip(version), version: KEY_FILE_FORMAT_VERSION });
  const userSystemCode = value(contract, 'UserSystemCode', 64);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(userSystemCode)) throw bad(contract, 'UserSystemCode', 'keyfile.value.userSystemCode', { value: clip(userSystemCode) });
  if (userSystemCode.toUpperCase() === 'OPFILELESS') throw bad(contract, 'UserSystemCode', 'keyfile.value.reserved');
  const expires = value(contract, 'ExpiresAt');
  if (expires !== '' && !isIsoDate(expires)) throw bad(contract, 'ExpiresAt', 'keyfile.value.expiresAt', { value: clip(expires) });
  const extensionSecret = value(contract, 'ExtensionSecret', MAX_SECRET_CHARS);
  const secretBytes = base64Bytes(extensionSecret);
  if (!secretBytes) throw bad(contract, 'ExtensionSecret', 'keyfile.value.secretBase64');
  if (secretBytes.length < MIN_SECRET_BYTES) throw bad(contract, 'ExtensionSecret', 'keyfile.value.secretShort', { bytes: secretBytes.length, min: MIN_SECRET_BYTES });

  // [Customer] [Server] [OptionN] [Dealer]: raw strings, the field rules come later.
  const type = value(fixed.Customer, 'Type');
  if (type !== 'individual' && type !== 'corporate') throw bad(fixed.Customer, 'Type', 'keyfile.value.type', { value: clip(type) });
  const customer: Customer = { type, ...page(fixed.Customer, CUSTOMER_KEYS) };
  const device: Device = page(fixed.Server, SERVER_KEYS);
  const options: OptionDevice[] = optionSections.map((s) => page(s, OPTION_KEYS));
  const dealer: Dealer = page(fixed.Dealer, DEALER_KEYS);

  // [Destinations]: no field rules elsewhere, so checked here.
  const dst = fixed.Destinations;
  const destinations: KeyFileDestinations = {
    mail: value(dst, 'Mail', 255),
    httpsPrimary: value(dst, 'HttpsUrl1', 500),
    httpsSecondary: value(dst, 'HttpsUrl2', 500),
    phonePrimary: value(dst, 'Phone1', 64),
    phoneSecondary: value(dst, 'Phone2', 64),
  };
  if (!destinations.mail && !destinations.httpsPrimary && !destinations.phonePrimary) {
    throw keyFileError(file, 'missing-key', 'keyfile.value.noDestination', undefined, dst.line);
  }
  if (destinations.mail && checkField('mail', { kind: 'email', max: 255, required: false }, destinations.mail)) throw bad(dst, 'Mail', 'keyfile.value.mail', { value: clip(destinations.mail) });
  for (const key of ['HttpsUrl1', 'HttpsUrl2'] as const) {
    const url = key === 'HttpsUrl1' ? destinations.httpsPrimary : destinations.httpsSecondary;
    if (url && !isHttpsUrl(url)) throw bad(dst, key, 'keyfile.value.url', { value: clip(url) });
  }
  for (const key of ['Phone1', 'Phone2'] as const) {
    const phone = key === 'Phone1' ? destinations.phonePrimary : destinations.phoneSecondary;
    if (phone && checkField(key, { kind: 'phone', max: 64, required: false }, phone)) throw bad(dst, key, 'keyfile.value.phone', { value: clip(phone) });
  }
  if (destinations.httpsSecondary && !destinations.httpsPrimary) throw bad(dst, 'HttpsUrl2', 'keyfile.value.secondaryOnly', { primary: 'HttpsUrl1' });
  if (destinations.phoneSecondary && !destinations.phonePrimary) throw bad(dst, 'Phone2', 'keyfile.value.secondaryOnly', { primary: 'Phone1' });

  // [Certificate]
  const certSection = fixed.Certificate;
  const der = base64Bytes(value(certSection, CERTIFICATE_KEY, Math.ceil(MAX_CERT_DER_BYTES / 3) * 4));
  if (!der || der.length === 0) throw bad(certSection, CERTIFICATE_KEY, 'keyfile.cert.base64', {}, 'certificate');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw bad(certSection, CERTIFICATE_KEY, 'keyfile.cert.x509', {}, 'certificate');
  }
  let keyType: string | undefined;
  let pem: string;
  let subject: string;
  let notAfter: Date;
  try {
    keyType = x509.publicKey.asymmetricKeyType;
    pem = x509.toString();
    subject = x509.subject.split('\n').join(', ');
    notAfter = new Date(x509.validTo);
  } catch {
    throw bad(certSection, CERTIFICATE_KEY, 'keyfile.cert.broken', {}, 'certificate');
  }
  if (keyType !== 'rsa') throw bad(certSection, CERTIFICATE_KEY, 'keyfile.cert.keyType', { type: keyType ?? 'unknown' }, 'certificate');
  if (Number.isNaN(notAfter.getTime())) throw bad(certSection, CERTIFICATE_KEY, 'keyfile.cert.noExpiry', {}, 'certificate');

  // 3. Dates, last: a structurally sound file that is simply out of date says so.
  if (now) {
    if (expires !== '' && expires < localDate(now)) throw bad(contract, 'ExpiresAt', 'keyfile.contractExpired', { date: expires }, 'contract-expired');
    if (notAfter.getTime() < now.getTime()) {
      throw keyFileError(file, 'certificate-expired', 'keyfile.certExpired', { date: notAfter.toISOString() }, certSection.keys.get(CERTIFICATE_KEY));
    }
  }

  return {
    userSystemCode,
    expiresAt: expires === '' ? null : expires,
    extensionSecret,
    customer,
    device,
    options,
    dealer,
    destinations,
    centerCertificatePem: pem,
    certificate: { subject, notAfter: notAfter.toISOString() },
  };
}

function base64Bytes(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? bytes : null;
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function isHttpsUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol === 'https:' && url.hostname !== '' && !/\s/.test(s);
  } catch {
    return false;
  }
}

/** The calendar date of `now` on this machine, YYYY-MM-DD: the contract runs through its last day. */
function localDate(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
