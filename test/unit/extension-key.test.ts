import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contractTag,
  encodeExtensionKey,
  EXTENSION_KEY_LAST_DAY,
  EXTENSION_KEY_MAX_SERIAL,
  EXTENSION_KEY_REFUSALS,
  normalizeExtensionKey,
  verifyExtensionKey,
  type ExtensionKeyContract,
} from '../../src-main/contract/extension-key';

// Fixed, so that every run checks the same keys.
const SECRET = Buffer.alloc(32, 0x5a).toString('base64');
const OTHER_SECRET = Buffer.alloc(32, 0xa5).toString('base64');
const CODE = 'U2024-0001';
const TODAY = '2026-03-01';
const opening: ExtensionKeyContract = { userSystemCode: CODE, extensionSecret: SECRET, expiresAt: '2026-03-31', mode: 'key-file' };
const KEY = encodeExtensionKey({ userSystemCode: CODE, expiresAt: '2027-03-31', serial: 7 }, SECRET);
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_SHAPE = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/;

/** Every alphabet symbol but the one at `i` (and its look-alikes), in the key's symbols. */
function alterations(key: string): string[] {
  const symbols = key.replace(/-/g, '');
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    for (const c of ALPHABET) if (c !== symbols[i]) out.push(symbols.slice(0, i) + c + symbols.slice(i + 1));
  }
  return out;
}

describe('encodeExtensionKey', () => {
  it('makes 6 groups of 5 Crockford base32 symbols, starting with the format version', () => {
    expect(KEY).toMatch(KEY_SHAPE);
    expect(KEY[0]).toBe('1');
  });
  it('binds the user system code, the last day, the serial and the secret', () => {
    const keys = new Set([
      KEY,
      encodeExtensionKey({ userSystemCode: 'U2024-0002', expiresAt: '2027-03-31', serial: 7 }, SECRET),
      encodeExtensionKey({ userSystemCode: CODE, expiresAt: '2027-04-01', serial: 7 }, SECRET),
      encodeExtensionKey({ userSystemCode: CODE, expiresAt: '2027-03-31', serial: 8 }, SECRET),
      encodeExtensionKey({ userSystemCode: CODE, expiresAt: '2027-03-31', serial: 7 }, OTHER_SECRET),
    ]);
    expect(keys.size).toBe(5);
    expect(encodeExtensionKey({ userSystemCode: CODE, expiresAt: '2027-03-31', serial: 7 }, SECRET)).toBe(KEY);
  });
  it('refuses what the format cannot carry', () => {
    const ok = { userSystemCode: CODE, expiresAt: '2027-03-31', serial: 1 };
    expect(() => encodeExtensionKey({ ...ok, expiresAt: '2027-02-30' }, SECRET)).toThrow(/not a date/);
    expect(() => encodeExtensionKey({ ...ok, expiresAt: '1999-12-31' }, SECRET)).toThrow(/outside/);
    expect(() => encodeExtensionKey({ ...ok, expiresAt: '2179-06-07' }, SECRET)).toThrow(/outside/);
    expect(() => encodeExtensionKey({ ...ok, serial: -1 }, SECRET)).toThrow(/serial/);
    expect(() => encodeExtensionKey({ ...ok, serial: EXTENSION_KEY_MAX_SERIAL + 1 }, SECRET)).toThrow(/serial/);
    expect(() => encodeExtensionKey({ ...ok, serial: 1.5 }, SECRET)).toThrow(/serial/);
    expect(() => encodeExtensionKey(ok, '')).toThrow(/secret/);
    expect(() => encodeExtensionKey(ok, Buffer.alloc(16).toString('base64'))).toThrow(/secret/);
    expect(() => encodeExtensionKey(ok, 'not base64!')).toThrow(/secret/);
    expect(() => encodeExtensionKey({ ...ok, userSystemCode: '' }, SECRET)).toThrow(/user system code/);
  });
});

describe('verifyExtensionKey', () => {
  it('accepts the key of the contract and gives its last day and serial', () => {
    expect(verifyExtensionKey(KEY, opening, TODAY)).toEqual({ ok: true, expiresAt: '2027-03-31', serial: 7 });
  });

  it('round-trips the ends of the range and random contents', () => {
    for (const [expiresAt, serial] of [['2000-01-01', 0], [EXTENSION_KEY_LAST_DAY, EXTENSION_KEY_MAX_SERIAL], ['2028-02-29', 123456]] as const) {
      const key = encodeExtensionKey({ userSystemCode: CODE, expiresAt, serial }, SECRET);
      expect(verifyExtensionKey(key, { ...opening, expiresAt: null }, '2000-01-01')).toEqual({ ok: true, expiresAt, serial });
    }
    for (let i = 0; i < 200; i++) {
      const secret = randomBytes(32 + (i % 8)).toString('base64');
      const code = `C${randomBytes(4).toString('hex')}-${i}`;
      const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 50_000) * 86_400_000).toISOString().slice(0, 10);
      const serial = Math.floor(Math.random() * (EXTENSION_KEY_MAX_SERIAL + 1));
      const key = encodeExtensionKey({ userSystemCode: code, expiresAt: day, serial }, secret);
      expect(key).toMatch(KEY_SHAPE);
      expect(verifyExtensionKey(key, { userSystemCode: code, extensionSecret: secret, expiresAt: '2025-12-31' }, '2026-01-01')).toEqual({
        ok: true,
        expiresAt: day,
        serial,
      });
    }
  });

  it('accepts lower case, spaces, no separators, full-width characters, Japanese dashes and O/I/L look-alikes', () => {
    const plain = KEY.replace(/-/g, '');
    const fullWidth = [...KEY].map((c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('');
    const variants = [
      KEY.toLowerCase(),
      plain,
      KEY.replace(/-/g, ' '),
      `  ${KEY.replace(/-/g, '　')}  `,
      fullWidth,
      fullWidth.toLowerCase(),
      KEY.replace(/-/g, 'ー'),
      KEY.replace(/-/g, '−'),
      KEY.replace(/-/g, '‐'),
      plain.replace(/(.)/g, '$1 '),
      `\t${KEY}\r\n`,
      KEY.replace(/0/g, 'O').replace(/1/g, 'l'),
      KEY.replace(/1/g, 'I').toLowerCase(),
    ];
    for (const v of variants) expect(verifyExtensionKey(v, opening, TODAY), JSON.stringify(v)).toMatchObject({ ok: true, expiresAt: '2027-03-31' });
    expect(normalizeExtensionKey(fullWidth.toLowerCase())).toBe(KEY);
  });

  it('refuses a key altered at any symbol as altered (checksum), never accepts it, never calls it another contract’s', () => {
    const reasons = new Set<string>();
    for (const altered of alterations(KEY)) {
      const verdict = verifyExtensionKey(altered, opening, TODAY);
      expect(verdict.ok, altered).toBe(false);
      if (!verdict.ok) {
        expect(['checksum', 'format'], altered).toContain(verdict.reason);
        reasons.add(verdict.reason);
      }
    }
    // Any two symbols changed are caught by the check symbols too, e.g. two neighbours swapped.
    const symbols = KEY.replace(/-/g, '');
    for (let i = 0; i + 1 < symbols.length; i++) {
      if (symbols[i] === symbols[i + 1]) continue;
      const swapped = symbols.slice(0, i) + symbols[i + 1] + symbols[i] + symbols.slice(i + 2);
      expect(verifyExtensionKey(swapped, opening, TODAY)).toEqual({ ok: false, reason: 'checksum' });
    }
    expect([...reasons]).toEqual(['checksum']);
  });

  it('refuses keys of the wrong length or with other characters as malformed', () => {
    for (const bad of ['', '   ', KEY.slice(0, -1), `${KEY}0`, `${KEY}-00000`, KEY.replace(/.$/, 'U'), KEY.replace(/^./, '!'), KEY.replace(/-/g, '/'), 'hello', `key: ${KEY}`, 'x'.repeat(10_000)]) {
      expect(verifyExtensionKey(bad, opening, TODAY), bad.slice(0, 50)).toEqual({ ok: false, reason: 'format' });
    }
  });

  it('refuses a key with a format version it does not know as malformed', () => {
    // A hand-made version-2 word with valid check symbols: change the version symbol and fix the checks.
    const symbols = KEY.replace(/-/g, '').split('');
    symbols[0] = '2';
    const candidates = [];
    for (const a of ALPHABET) for (const b of ALPHABET) candidates.push(symbols.slice(0, 28).join('') + a + b);
    const valid = candidates.map((c) => verifyExtensionKey(c, opening, TODAY)).filter((v) => !v.ok && v.reason !== 'checksum');
    expect(valid).toEqual([{ ok: false, reason: 'format' }]);
  });

  it('tells another contract’s key apart from an altered one', () => {
    const other = encodeExtensionKey({ userSystemCode: 'U2024-0002', expiresAt: '2027-03-31', serial: 7 }, OTHER_SECRET);
    expect(verifyExtensionKey(other, opening, TODAY)).toEqual({ ok: false, reason: 'other-contract' });
    // same secret, other code: still another contract's key
    const sameSecret = encodeExtensionKey({ userSystemCode: 'U2024-0002', expiresAt: '2027-03-31', serial: 7 }, SECRET);
    expect(verifyExtensionKey(sameSecret, opening, TODAY)).toEqual({ ok: false, reason: 'other-contract' });
    // the right code but made with another secret (a forgery, or a contract issued again elsewhere)
    const forged = encodeExtensionKey({ userSystemCode: CODE, expiresAt: '2027-03-31', serial: 7 }, OTHER_SECRET);
    expect(verifyExtensionKey(forged, opening, TODAY)).toEqual({ ok: false, reason: 'checksum' });
    expect(contractTag(CODE)).not.toBe(contractTag('U2024-0002'));
  });

  it('refuses a new last day that is not after the current one, or already past', () => {
    const at = (expiresAt: string) => encodeExtensionKey({ userSystemCode: CODE, expiresAt, serial: 1 }, SECRET);
    expect(verifyExtensionKey(at('2026-03-31'), opening, TODAY)).toEqual({ ok: false, reason: 'not-later', expiresAt: '2026-03-31' });
    expect(verifyExtensionKey(at('2025-12-31'), opening, TODAY)).toEqual({ ok: false, reason: 'not-later', expiresAt: '2025-12-31' });
    expect(verifyExtensionKey(at('2026-04-01'), opening, TODAY)).toMatchObject({ ok: true, expiresAt: '2026-04-01' });
    // the same key entered again after it was applied
    expect(verifyExtensionKey(KEY, { ...opening, expiresAt: '2027-03-31' }, TODAY)).toEqual({ ok: false, reason: 'not-later', expiresAt: '2027-03-31' });
    // a contract that ended long ago: a key whose day is later than the old end but already over
    const lapsed = { ...opening, expiresAt: '2024-03-31' };
    expect(verifyExtensionKey(at('2025-03-31'), lapsed, TODAY)).toEqual({ ok: false, reason: 'past', expiresAt: '2025-03-31' });
    expect(verifyExtensionKey(at('2026-02-28'), lapsed, TODAY)).toEqual({ ok: false, reason: 'past', expiresAt: '2026-02-28' });
    // today is still inside the new term
    expect(verifyExtensionKey(at(TODAY), lapsed, TODAY)).toMatchObject({ ok: true, expiresAt: TODAY });
    // a contract without an end takes any key that is not past
    expect(verifyExtensionKey(at('2026-04-01'), { ...opening, expiresAt: null }, TODAY)).toMatchObject({ ok: true });
    expect(verifyExtensionKey(at('2026-02-01'), { ...opening, expiresAt: null }, TODAY)).toMatchObject({ ok: false, reason: 'past' });
  });

  it('says extension keys do not apply to a key-code opening or without an opening', () => {
    const keyCode = { userSystemCode: 'OPFILELESS', extensionSecret: '', expiresAt: null, mode: 'key-code' as const };
    expect(verifyExtensionKey(KEY, keyCode, TODAY)).toEqual({ ok: false, reason: 'no-contract' });
    expect(verifyExtensionKey('garbage', keyCode, TODAY)).toEqual({ ok: false, reason: 'no-contract' });
    expect(verifyExtensionKey(KEY, { ...keyCode, extensionSecret: SECRET }, TODAY)).toEqual({ ok: false, reason: 'no-contract' });
    expect(verifyExtensionKey(KEY, { ...opening, extensionSecret: '' }, TODAY)).toEqual({ ok: false, reason: 'no-contract' });
    expect(verifyExtensionKey(KEY, { ...opening, extensionSecret: 'broken=base64' }, TODAY)).toEqual({ ok: false, reason: 'no-contract' });
    expect(verifyExtensionKey(KEY, null, TODAY)).toEqual({ ok: false, reason: 'no-contract' });
  });

  it('never throws, whatever it is given (2,000 random strings and odd values)', () => {
    const pools = [
      ALPHABET + ALPHABET.toLowerCase() + '-  ',
      '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_ \u3000ー－０１２ＡＢＣａｂｃ①ℹ\u0000\uffff\ud800\udc00😀ßǅﬀ',
    ];
    for (let i = 0; i < 2000; i++) {
      const pool = pools[i % 2]!;
      const length = i % 3 === 0 ? 30 + (i % 7) : Math.floor(Math.random() * 60);
      let s = '';
      for (let j = 0; j < length; j++) s += pool[Math.floor(Math.random() * pool.length)];
      if (i % 5 === 0) s = String.fromCharCode(...randomBytes(length * 2)); // arbitrary UTF-16 code units
      const verdict = verifyExtensionKey(s, opening, TODAY);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(EXTENSION_KEY_REFUSALS).toContain(verdict.reason);
    }
    const odd: unknown[] = [undefined, null, 42, {}, [], Symbol('k'), { toString: () => KEY }, new String(KEY)];
    for (const value of odd) expect(() => verifyExtensionKey(value, opening, TODAY)).not.toThrow();
    const oddOpenings: unknown[] = [undefined, 'x', 0, {}, { userSystemCode: 5, extensionSecret: SECRET }, { userSystemCode: CODE, extensionSecret: 7 }, { userSystemCode: CODE, extensionSecret: SECRET, expiresAt: 12 }];
    for (const o of oddOpenings) expect(() => verifyExtensionKey(KEY, o as ExtensionKeyContract, TODAY)).not.toThrow();
    expect(verifyExtensionKey(KEY, { userSystemCode: CODE, extensionSecret: SECRET, expiresAt: 12 } as unknown as ExtensionKeyContract, TODAY)).toMatchObject({ ok: true });
    expect(() => verifyExtensionKey(KEY, opening, undefined as unknown as string)).not.toThrow();
  });
});

describe('docs/formats/extension-key.md', () => {
  it('matches the test vector', () => {
    const secret = Buffer.from([...Array(32).keys()]).toString('base64');
    expect(secret).toBe('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=');
    const key = encodeExtensionKey({ userSystemCode: 'U827385804', expiresAt: '2028-11-24', serial: 1 }, secret);
    expect(key).toBe('154XG-0016J-JGT9B-B68A3-C9G84-DJR7D');
    expect(contractTag('U827385804')).toBe(0x34a50);
    expect(verifyExtensionKey(key, { userSystemCode: 'U827385804', extensionSecret: secret, expiresAt: '2027-11-24' }, '2027-11-01')).toEqual({
      ok: true,
      expiresAt: '2028-11-24',
      serial: 1,
    });
  });
});
