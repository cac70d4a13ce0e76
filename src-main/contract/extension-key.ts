/**
 * The extension key (期限延長キー, seed L1446–1455): what [サービス有効期限の変更] takes to move
 * the contract's end and restart the service. The format is ours; docs/formats/extension-key.md
 * defines it. The center makes keys (`express-center issue-extension-key`); the product checks
 * them offline with the contract's extension secret from the opening key file.
 *
 * 30 symbols of Crockford base32, shown as 6 groups of 5:
 *
 *   version 5 bits | last day 16 | serial 19 | contract tag 20 | HMAC-SHA256 80 | check 2 symbols
 *
 * The two check symbols are a Reed–Solomon code over GF(32): any one or two mistyped or swapped
 * symbols are caught before anything else, so a typo is never mistaken for another contract's key.
 * The contract tag (a hash of the user system code, no secret) then tells another contract's key
 * from an altered one, and the MAC, keyed with the contract's secret, proves the key is genuine.
 *
 * `verifyExtensionKey` never throws: whatever it is given, it answers ok or a reason.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const EXTENSION_KEY_VERSION = 1;
/** Symbols in a key, check symbols included. */
export const EXTENSION_KEY_LENGTH = 30;
export const EXTENSION_KEY_GROUP = 5;
/** The largest issue serial a key carries (19 bits). */
export const EXTENSION_KEY_MAX_SERIAL = 2 ** 19 - 1;
/** The first and last day a key can carry (16 bits of days from 2000-01-01). */
export const EXTENSION_KEY_FIRST_DAY = '2000-01-01';
export const EXTENSION_KEY_LAST_DAY = '2179-06-06';
/** Bytes of HMAC-SHA256 kept in a key (80 bits). */
export const EXTENSION_KEY_MAC_BYTES = 10;
/** The extension secret must decode to at least this many bytes (as the key file demands). */
export const EXTENSION_SECRET_MIN_BYTES = 32;
/** The user system code of a key-code opening (seed L1311–1318): no contract, no extension keys. */
const KEY_CODE_USER_SYSTEM_CODE = 'OPFILELESS';
/** Longer input is refused as malformed before it is looked at. */
const MAX_INPUT_CHARS = 400;

/** Crockford's base32: no I, L, O, U; read case-insensitively, with I and L as 1 and O as 0. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SYMBOL_VALUE: ReadonlyMap<string, number> = new Map([
  ...[...ALPHABET].map((c, i) => [c, i] as const),
  ['O', 0],
  ['I', 1],
  ['L', 1],
]);

const BITS = { version: 5, day: 16, serial: 19, tag: 20, mac: EXTENSION_KEY_MAC_BYTES * 8 } as const;
const DATA_SYMBOLS = (BITS.version + BITS.day + BITS.serial + BITS.tag + BITS.mac) / 5; // 28

const MAC_CONTEXT = 'express-report extension-key 1';
const TAG_CONTEXT = 'express-report contract-tag';
const DAY_MS = 24 * 60 * 60 * 1000;
const EPOCH = Date.UTC(2000, 0, 1);

export interface ExtensionKeyContent {
  userSystemCode: string;
  /** the contract's new last day, YYYY-MM-DD */
  expiresAt: string;
  /** the center's issue number for this contract, 0 … EXTENSION_KEY_MAX_SERIAL */
  serial: number;
}

/** What a key is checked against: the opening's contract (settings `opening`). */
export interface ExtensionKeyContract {
  userSystemCode: string;
  /** base64; empty for a key-code opening */
  extensionSecret: string;
  /** the current last day, or null when the contract states none */
  expiresAt: string | null;
  mode?: 'key-file' | 'key-code';
}

/**
 * Why a key is refused:
 * - `no-contract`: the opening has no contract to check against (a key-code opening, or none);
 * - `format`: not 30 symbols of the key's alphabet, or a format version this program does not know;
 * - `checksum`: mistyped or altered (the check symbols or the MAC do not match);
 * - `other-contract`: a genuine-looking key of another user system code;
 * - `not-later`: the key's last day is not after the current one (e.g. a key entered twice);
 * - `past`: the key's last day is already over.
 */
export const EXTENSION_KEY_REFUSALS = ['no-contract', 'format', 'checksum', 'other-contract', 'not-later', 'past'] as const;
export type ExtensionKeyRefusal = (typeof EXTENSION_KEY_REFUSALS)[number];

export type ExtensionKeyVerdict =
  | { ok: true; expiresAt: string; serial: number }
  /** `expiresAt`: the key's last day, for `not-later` and `past` */
  | { ok: false; reason: ExtensionKeyRefusal; expiresAt?: string };

// ---------------------------------------------------------------------------------------------
// Dates

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const time = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(s);
}

/** Days from 1970-01-01 of a YYYY-MM-DD date (no time zone: a calendar day), or null. */
export function isoDayNumber(s: unknown): number | null {
  return isIsoDate(s) ? Math.round(Date.parse(`${s}T00:00:00Z`) / DAY_MS) : null;
}

/** The YYYY-MM-DD of a day number from isoDayNumber. */
export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// GF(32) and the two check symbols (Reed–Solomon, generator (x − α)(x − α²), x⁵ + x² + 1)

const GF_EXP: number[] = [];
const GF_LOG: number[] = new Array<number>(32).fill(0);
{
  let x = 1;
  for (let i = 0; i < 31; i++) {
    GF_EXP[i] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 32) x ^= 0b100101;
  }
}
function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : GF_EXP[(GF_LOG[a]! + GF_LOG[b]!) % 31]!;
}
// g(x) = x² + G1·x + G0 with G1 = α + α², G0 = α³
const G1 = GF_EXP[1]! ^ GF_EXP[2]!;
const G0 = GF_EXP[3]!;

function checkSymbols(data: readonly number[]): [number, number] {
  let r1 = 0;
  let r0 = 0;
  for (const s of data) {
    const feedback = s ^ r1;
    r1 = r0 ^ gfMul(feedback, G1);
    r0 = gfMul(feedback, G0);
  }
  return [r1, r0];
}

/** True when the word is a codeword: it vanishes at α and α². */
function checkSymbolsMatch(word: readonly number[]): boolean {
  for (const root of [GF_EXP[1]!, GF_EXP[2]!]) {
    let value = 0;
    for (const s of word) value = gfMul(value, root) ^ s;
    if (value !== 0) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Parts of a key

function strictBase64(s: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? bytes : null;
}

function secretBytes(secretBase64: unknown): Buffer | null {
  if (typeof secretBase64 !== 'string' || secretBase64 === '' || secretBase64.length > 1024) return null;
  const bytes = strictBase64(secretBase64);
  return bytes && bytes.length >= EXTENSION_SECRET_MIN_BYTES ? bytes : null;
}

/** The 20-bit contract tag of a user system code (public: a hash, no secret). */
export function contractTag(userSystemCode: string): number {
  const digest = createHash('sha256').update(`${TAG_CONTEXT}\n${userSystemCode}`, 'utf8').digest();
  return digest.readUIntBE(0, 3) >>> 4;
}

function mac(secret: Buffer, content: ExtensionKeyContent): Buffer {
  return createHmac('sha256', secret)
    .update(`${MAC_CONTEXT}\n${content.userSystemCode}\n${content.expiresAt}\n${content.serial}`, 'utf8')
    .digest()
    .subarray(0, EXTENSION_KEY_MAC_BYTES);
}

function toSymbols(value: bigint, count: number): number[] {
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(Number((value >> BigInt(i * 5)) & 31n));
  return out;
}

function fromSymbols(symbols: readonly number[]): bigint {
  let value = 0n;
  for (const s of symbols) value = (value << 5n) | BigInt(s);
  return value;
}

function group(symbols: readonly number[]): string {
  const text = symbols.map((s) => ALPHABET[s]).join('');
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += EXTENSION_KEY_GROUP) groups.push(text.slice(i, i + EXTENSION_KEY_GROUP));
  return groups.join('-');
}

/**
 * The symbols of a typed key, or null when it is not 30 symbols of the alphabet. Accepts lower
 * case, full-width characters (NFKC), white space and any kind of hyphen or dash between symbols
 * (ー and − included, as Japanese input methods type them), and O, I, L for 0, 1, 1.
 */
function keySymbols(input: string): number[] | null {
  if (input.length > MAX_INPUT_CHARS) return null;
  const text = input
    .normalize('NFKC')
    .replace(/[\s\-_\u2010-\u2015\u2212\u30FC\uFF70]/gu, '')
    .toUpperCase();
  if (text.length !== EXTENSION_KEY_LENGTH) return null;
  const symbols: number[] = [];
  for (const c of text) {
    const v = SYMBOL_VALUE.get(c);
    if (v === undefined) return null;
    symbols.push(v);
  }
  return symbols;
}

/** The canonical spelling (upper case, 6 groups of 5) of a typed key, or null when malformed. */
export function normalizeExtensionKey(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const symbols = keySymbols(input);
  return symbols ? group(symbols) : null;
}

// ---------------------------------------------------------------------------------------------
// The center's side

/** Makes a key (the center). Throws on a date, serial or secret the format cannot carry. */
export function encodeExtensionKey(content: ExtensionKeyContent, secretBase64: string): string {
  const { userSystemCode, expiresAt, serial } = content;
  if (typeof userSystemCode !== 'string' || userSystemCode === '') throw new RangeError('extension key: no user system code');
  const day = isoDayNumber(expiresAt);
  if (day === null) throw new RangeError(`extension key: not a date (YYYY-MM-DD): ${String(expiresAt)}`);
  const offset = day - EPOCH / DAY_MS;
  if (offset < 0 || offset >= 2 ** BITS.day) {
    throw new RangeError(`extension key: ${expiresAt} is outside ${EXTENSION_KEY_FIRST_DAY} … ${EXTENSION_KEY_LAST_DAY}`);
  }
  if (!Number.isInteger(serial) || serial < 0 || serial > EXTENSION_KEY_MAX_SERIAL) {
    throw new RangeError(`extension key: the serial must be a whole number 0 … ${EXTENSION_KEY_MAX_SERIAL}`);
  }
  const secret = secretBytes(secretBase64);
  if (!secret) throw new RangeError(`extension key: the extension secret must be base64 of at least ${EXTENSION_SECRET_MIN_BYTES} bytes`);

  let value = BigInt(EXTENSION_KEY_VERSION);
  value = (value << BigInt(BITS.day)) | BigInt(offset);
  value = (value << BigInt(BITS.serial)) | BigInt(serial);
  value = (value << BigInt(BITS.tag)) | BigInt(contractTag(userSystemCode));
  value = (value << BigInt(BITS.mac)) | BigInt(`0x${mac(secret, content).toString('hex')}`);
  const data = toSymbols(value, DATA_SYMBOLS);
  return group([...data, ...checkSymbols(data)]);
}

// ---------------------------------------------------------------------------------------------
// The product's side

/**
 * Checks a typed key against the opening's contract. `today` is the local calendar day
 * (YYYY-MM-DD). The checks run in this order: a contract to check against, the key's form, its
 * check symbols and format version, the contract tag, the MAC, then the dates: the new last day
 * must be after the current one (when there is one) and not before today. Never throws.
 */
export function verifyExtensionKey(key: unknown, opening: ExtensionKeyContract | null | undefined, today: string): ExtensionKeyVerdict {
  if (typeof opening !== 'object' || opening === null) return { ok: false, reason: 'no-contract' };
  const { userSystemCode, extensionSecret, expiresAt: current, mode } = opening as Partial<ExtensionKeyContract>;
  const secret = mode === 'key-code' ? null : secretBytes(extensionSecret);
  if (!secret || typeof userSystemCode !== 'string' || userSystemCode === '' || userSystemCode.toUpperCase() === KEY_CODE_USER_SYSTEM_CODE) {
    return { ok: false, reason: 'no-contract' };
  }

  if (typeof key !== 'string') return { ok: false, reason: 'format' };
  const symbols = keySymbols(key);
  if (!symbols) return { ok: false, reason: 'format' };
  if (!checkSymbolsMatch(symbols)) return { ok: false, reason: 'checksum' };

  let value = fromSymbols(symbols.slice(0, DATA_SYMBOLS));
  const take = (bits: number): bigint => {
    const part = value & ((1n << BigInt(bits)) - 1n);
    value >>= BigInt(bits);
    return part;
  };
  const macBits = take(BITS.mac);
  const tag = Number(take(BITS.tag));
  const serial = Number(take(BITS.serial));
  const offset = Number(take(BITS.day));
  const version = Number(take(BITS.version));
  if (version !== EXTENSION_KEY_VERSION) return { ok: false, reason: 'format' };
  if (tag !== contractTag(userSystemCode)) return { ok: false, reason: 'other-contract' };

  const expiresAt = isoDateOfDay(EPOCH / DAY_MS + offset);
  const expected = mac(secret, { userSystemCode, expiresAt, serial });
  const given = Buffer.from(macBits.toString(16).padStart(EXTENSION_KEY_MAC_BYTES * 2, '0'), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'checksum' };

  if (isIsoDate(current) && expiresAt <= current) return { ok: false, reason: 'not-later', expiresAt };
  if (typeof today === 'string' && isIsoDate(today) && expiresAt < today) return { ok: false, reason: 'past', expiresAt };
  return { ok: true, expiresAt, serial };
}
