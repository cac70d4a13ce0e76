import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs, { chmodSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyFileError, parseKeyFile, readKeyFile, type KeyFileContent, type KeyFileErrorCode } from '../../src-main/opening/keyfile';
import { writeKeyFile } from '../../src-main/opening/keyfile-writer';
import { issueKeyFile } from '../center/issue-key-file';
import { tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const tmp = tempDir('er-keyfile-');
let n = 0;
const fresh = (name = 'key.ini') => path.join(tmp.dir, `${++n}-${name}`);

let content: KeyFileContent;
/** A valid key file as UTF-8 text with LF, for editing into bad ones. */
let goodText: string;

beforeAll(async () => {
  const issued = await issueKeyFile({ out: fresh(), dataDir: path.join(tmp.dir, 'center'), encoding: 'utf8', eol: '\n', expires: '2099-12-31' });
  content = issued.content;
  goodText = readFileSync(issued.file, 'utf8');
});
afterAll(() => tmp.remove());

function put(data: string | Uint8Array, name?: string): string {
  const file = fresh(name);
  writeFileSync(file, data);
  return file;
}

/** The refusal of a file (or of bytes), checked to be a KeyFileError of `code`. */
async function refusal(target: string | Uint8Array, code: KeyFileErrorCode, reason: RegExp, now?: Date): Promise<KeyFileError> {
  const file = typeof target === 'string' ? target : put(target);
  let caught: unknown;
  try {
    await readKeyFile(file, now ? { now } : {});
  } catch (err) {
    caught = err;
  }
  expect(caught, 'the file was accepted').toBeInstanceOf(KeyFileError);
  const err = caught as KeyFileError;
  expect(err.reason).toMatch(reason);
  expect(err.code).toBe(code);
  expect(err.file).toBe(file);
  expect(err.reason).toContain(path.basename(file));
  expect(err.reason).not.toContain('\n');
  return err;
}

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
const replace = (from: string | RegExp, to: string): string => {
  const out = goodText.replace(from, to);
  expect(out).not.toBe(goodText);
  return out;
};

describe('reading what the center issues', () => {
  const variants = [
    { encoding: 'sjis', bom: false, eol: '\r\n' },
    { encoding: 'sjis', bom: false, eol: '\n' },
    { encoding: 'utf8', bom: false, eol: '\n' },
    { encoding: 'utf8', bom: false, eol: '\r\n' },
    { encoding: 'utf8', bom: true, eol: '\r\n' },
    { encoding: 'utf8', bom: true, eol: '\n' },
  ] as const;
  for (const v of variants) {
    it(`${v.encoding}${v.bom ? ' with BOM' : ''}, ${v.eol === '\n' ? 'LF' : 'CRLF'}`, async () => {
      const out = fresh();
      const issued = await issueKeyFile({ out, dataDir: path.join(tmp.dir, 'center'), ...v, customerType: 'corporate', serverName: 'SERVER001' });
      const bytes = readFileSync(out);
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(v.bom);
      expect(bytes.includes('\r\n')).toBe(v.eol === '\r\n');
      // Shift_JIS really is Shift_JIS: ﾆﾁﾃﾞﾝ is one byte a character and not valid UTF-8.
      const nichiden = v.encoding === 'sjis' ? iconv.encode('ﾆﾁﾃﾞﾝ ﾀﾛｳ', 'cp932') : Buffer.from('ﾆﾁﾃﾞﾝ ﾀﾛｳ');
      expect(bytes.includes(nichiden)).toBe(true);

      const key = await readKeyFile(out);
      expect(key.userSystemCode).toBe(issued.userSystemCode);
      expect(key.customer).toEqual({
        type: 'corporate',
        nameKana: 'ﾆﾁﾃﾞﾝ ﾀﾛｳ',
        nameKanji: '日電 太郎',
        department: '総務',
        postalCode: '0123456',
        addressKana: 'ﾄｳｷｮｳﾄﾌﾁｭｳｼ',
        addressKanji: '東京都府中市',
        addressDetail: '',
        phone: '0123-45-6789',
        email: 'aaa@bbb.co.jp',
        contactKana: 'ﾆﾁﾃﾞﾝ ﾊﾅｺ',
        contactKanji: '日電 花子',
      });
      expect(key.device).toEqual({ serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999', comment: '' });
      expect(key.dealer.name).toBe('NEC');
      expect(key.destinations.httpsPrimary).toMatch(/^https:\/\//);
      expect(key.extensionSecret).toBe(issued.content.extensionSecret);
      expect(Buffer.from(key.extensionSecret, 'base64').length).toBeGreaterThanOrEqual(32);
      expect(key.expiresAt).toBe(issued.expiresAt);
      expect(key.centerCertificatePem).toBe(issued.content.centerCertificatePem.replace(/\r\n/g, '\n'));
      expect(key.certificate.subject).toContain('CN=Express Report Maintenance Center');
      expect(Date.parse(key.certificate.notAfter)).toBeGreaterThan(Date.now());
    });
  }

  it('an individual customer has no department and no contact', async () => {
    const out = fresh();
    await issueKeyFile({ out, dataDir: path.join(tmp.dir, 'center'), customerType: 'individual', expires: null });
    const key = await readKeyFile(out);
    expect(key.customer.type).toBe('individual');
    expect([key.customer.department, key.customer.contactKana, key.customer.contactKanji]).toEqual(['', '', '']);
    expect(key.expiresAt).toBeNull();
  });
});

describe('values round-trip exactly through the writer and ini', () => {
  const tricky = [
    '日電 太郎',
    'ｱｲｳ ﾊﾝｶｸ',
    'a#b',
    'a;b',
    '#starts',
    ';starts',
    'ends#',
    '"quoted"',
    "'single'",
    '"open',
    'close"',
    'say "hi"',
    'C:\\new\\tab.bat',
    'a\\;b',
    'a\\#b',
    '\\\\server\\share',
    'trailing\\',
    '\\',
    '  leading',
    'trailing  ',
    ' both ',
    '\u3000全角空白\u3000',
    'a=b',
    '=',
    '[bracket',
    '[Section]',
    'true',
    'false',
    'null',
    '"true"',
    '{"json":1}',
    '1;2#3\\4"5\'6=7',
    '髙橋①～∥－―',
  ];
  for (const encoding of ['utf8', 'sjis'] as const) {
    it(`in ${encoding}: ${tricky.length} values in customer, server, option and dealer fields`, () => {
      for (const eol of ['\r\n', '\n'] as const) {
        for (const value of tricky) {
          const given: KeyFileContent = {
            ...content,
            customer: { ...content.customer, nameKanji: value, addressDetail: value, department: value },
            device: { ...content.device, comment: value },
            options: [
              { deviceCode: 'N8103-XXX', serialNumber: '1', comment: value },
              { deviceCode: 'N8103-YYY', serialNumber: '', comment: '' },
            ],
            dealer: { ...content.dealer, salesName: value, seName: value },
          };
          const bytes = writeKeyFile(given, { encoding, eol, bom: encoding === 'utf8' });
          const back = parseKeyFile(bytes, 'tricky.ini');
          expect(back.customer.nameKanji, `${JSON.stringify(value)} (${encoding})`).toBe(value);
          expect(back.customer.addressDetail).toBe(value);
          expect(back.customer.department).toBe(value);
          expect(back.device.comment).toBe(value);
          expect(back.options).toEqual(given.options);
          expect(back.dealer.salesName).toBe(value);
          expect(back.dealer.seName).toBe(value);
        }
      }
    });
  }

  it('a file read back and written again is the same bytes', () => {
    for (const options of [{ encoding: 'sjis' }, { encoding: 'utf8', bom: true, eol: '\n' }] as const) {
      const first = writeKeyFile(content, options);
      const read = parseKeyFile(first, 'again.ini');
      expect(writeKeyFile(read, options).equals(first)).toBe(true);
    }
  });

  it('refuses what a key file cannot carry, naming the section and key', () => {
    const write = (patch: Partial<KeyFileContent['customer']>, encoding: 'utf8' | 'sjis' = 'utf8') => () =>
      writeKeyFile({ ...content, customer: { ...content.customer, ...patch } }, { encoding });
    expect(write({ nameKanji: 'a\tb' })).toThrow(/\[Customer\] NameKanji contains a control character \(U\+0009\)/);
    expect(write({ nameKanji: 'two\nlines' })).toThrow(/\[Customer\] NameKanji contains a control character \(U\+000A\)/);
    expect(write({ nameKanji: 'x\uD800' })).toThrow(/lone surrogate/);
    expect(write({ nameKanji: '𠮷野家' }, 'sjis')).toThrow(/\[Customer\] NameKanji contains 𠮷 \(U\+20BB7\), which Shift_JIS \(CP932\) cannot carry/);
    expect(write({ nameKanji: '波〜' }, 'sjis')).toThrow(/U\+301C/);
    expect(write({ nameKanji: '¥100' }, 'sjis')).toThrow(/U\+00A5/);
    // UTF-8 carries them.
    expect(parseKeyFile(write({ nameKanji: '𠮷野家〜¥' })(), 'u.ini').customer.nameKanji).toBe('𠮷野家〜¥');
    expect(() => writeKeyFile(content, { encoding: 'sjis', bom: true })).toThrow(KeyFileError);
    expect(() => writeKeyFile({ ...content, centerCertificatePem: 'not a certificate' }, { encoding: 'utf8' })).toThrow(/not a PEM certificate/);
    expect(() => writeKeyFile({ ...content, customer: { ...content.customer, nameKanji: 'x'.repeat(201) } }, { encoding: 'utf8' })).toThrow(/NameKanji is longer than 200/);
  });
});

describe('every bad file is a KeyFileError that says what is wrong', () => {
  it('missing file, directory, empty file', async () => {
    await refusal(path.join(tmp.dir, 'no-such.ini'), 'not-found', /does not exist/);
    const dir = fresh('dir');
    mkdirSync(dir);
    await refusal(dir, 'directory', /is a directory/);
    await refusal(new Uint8Array(0), 'empty', /the file is empty/);
    await refusal(Buffer.from(' \r\n\n\t\n'), 'empty', /the file is empty/);
    await refusal(Buffer.from([0xef, 0xbb, 0xbf]), 'empty', /the file is empty/);
    await refusal(Buffer.from('; only a comment\n'), 'missing-section', /no sections/);
  });

  it.skipIf(process.platform === 'win32')('a FIFO is not a regular file (and is not waited on)', async () => {
    const fifo = fresh('fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await refusal(fifo, 'not-a-file', /not a regular file/);
  });

  it('a 50 MB (sparse) file is refused by its size without being opened', async () => {
    const big = fresh('big.ini');
    writeFileSync(big, goodText);
    truncateSync(big, 50 * 1024 * 1024);
    const open = vi.spyOn(fs.promises, 'open');
    try {
      const started = Date.now();
      await refusal(big, 'too-large', /too large \(52428800 bytes; a key file has at most 1048576\)/);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
    const justOver = fresh('over.ini');
    writeFileSync(justOver, goodText);
    truncateSync(justOver, 1024 * 1024 + 1);
    await refusal(justOver, 'too-large', /too large/);
  });

  const isRoot = process.platform !== 'win32' && process.getuid?.() === 0;
  it.runIf(!isRoot && process.platform !== 'win32')('no read permission (chmod 000; not root, so file modes apply to this process)', async () => {
    const locked = put(goodText, 'locked.ini');
    chmodSync(locked, 0o000);
    await refusal(locked, 'no-permission', /locked\.ini: no permission to read the file/);
  });

  // Root ignores file modes: the file is read by a child process started as nobody (65534).
  it.runIf(isRoot)('no read permission (read by a child process running as nobody)', async () => {
    const dir = fresh('perm');
    mkdirSync(dir);
    chmodSync(tmp.dir, 0o711); // nobody may pass through the (0700) temp folder
    chmodSync(dir, 0o755);
    const locked = path.join(dir, 'locked.ini');
    writeFileSync(locked, goodText, { mode: 0o600 });
    const open = path.join(dir, 'open.ini');
    writeFileSync(open, goodText, { mode: 0o644 });
    const script = path.join(dir, 'read-key-file.mts');
    writeFileSync(
      script,
      `import { readKeyFile } from ${JSON.stringify(path.join(ROOT, 'src-main/opening/keyfile.ts'))};\n` +
        `readKeyFile(process.argv[2]).then(\n` +
        `  (k) => console.log(JSON.stringify({ ok: k.userSystemCode })),\n` +
        `  (e) => console.log(JSON.stringify({ name: e.name, code: e.code, reason: e.reason })),\n` +
        `);\n`,
      { mode: 0o644 },
    );
    const asNobody = (file: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, file], {
        cwd: ROOT,
        uid: 65534,
        gid: 65534,
        env: { ...process.env, HOME: dir },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok?: string; name?: string; code?: string; reason?: string };
    };
    // The same child reads a world-readable copy: the refusal below is the permission alone.
    expect(asNobody(open)).toEqual({ ok: content.userSystemCode });
    expect(asNobody(locked)).toEqual({ name: 'KeyFileError', code: 'no-permission', reason: 'locked.ini: no permission to read the file' });
  });

  it('wrong encodings: UTF-16 (with and without BOM), bytes valid in neither UTF-8 nor Shift_JIS, a broken UTF-8 file with BOM, control bytes', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(goodText, 'utf16le')]);
    await refusal(utf16, 'encoding', /wrong encoding: the file is UTF-16/);
    await refusal(Buffer.from([0xfe, 0xff, 0, 0x5b]), 'encoding', /UTF-16/);
    await refusal(Buffer.from(goodText, 'utf16le'), 'encoding', /wrong encoding: NUL byte at offset 1 \(UTF-16 or a binary file\?\)/);
    // 0x81 0x20: a Shift_JIS lead byte followed by a space is neither.
    const sjis = iconv.encode(goodText.replace('Comment=', 'Comment=\uFFFE'), 'cp932');
    const broken = Buffer.from(sjis.toString('latin1').replace('Comment=?', 'Comment=\x81 '), 'latin1');
    const err = await refusal(broken, 'encoding', /line \d+: wrong encoding: neither valid UTF-8 nor valid Shift_JIS \(CP932\)/);
    expect(err.line).toBe(lineOf(goodText, 'Comment='));
    const bomBroken = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(goodText, 'cp932')]);
    await refusal(bomBroken, 'encoding', /starts with a UTF-8 byte order mark but is not valid UTF-8/);
    await refusal(Buffer.from(goodText.replace('SERVER001', 'SERVER\x01')), 'encoding', /control character U\+0001 in UTF-8 text/);
    await refusal(Buffer.concat([iconv.encode(goodText, 'cp932'), Buffer.from([0x80])]), 'encoding', /control character U\+0080 in Shift_JIS text/);
    await refusal(randomBytes(4096), 'encoding', /wrong encoding/);
  });

  it('truncated files: a cut section header, a cut key, a missing tail, a cut certificate', async () => {
    const cutAt = (needle: string, keep: number) => goodText.slice(0, goodText.indexOf(needle) + keep);
    let err = await refusal(Buffer.from(cutAt('[Server]', 4)), 'syntax', /line \d+: a section header is not closed with \] \(truncated\?\)/);
    expect(err.line).toBe(lineOf(goodText, '[Server]'));
    err = await refusal(Buffer.from(cutAt('WarrantyNumber=', 8)), 'syntax', /line \d+: expected a \[Section\] header, a Key=Value line or a ; comment/);
    expect(err.line).toBe(lineOf(goodText, 'WarrantyNumber='));
    await refusal(Buffer.from(cutAt('[Certificate]', 0)), 'missing-section', /no \[Certificate\] section \(the file may be truncated\)/);
    await refusal(Buffer.from(cutAt('[Dealer]', 0)), 'missing-section', /no \[Dealer\] section/);
    const line = goodText.slice(goodText.indexOf('DerBase64='));
    for (const keep of [10, 11, 14, 200, 1001, line.trimEnd().length - 4]) {
      err = await refusal(Buffer.from(cutAt('DerBase64=', keep)), 'certificate', /\[Certificate\] DerBase64 is not (base64|an X\.509 certificate)/);
      expect(err.line).toBe(lineOf(goodText, 'DerBase64='));
    }
  });

  it('no proper prefix of a key file is accepted, and no prefix crashes the reader', () => {
    const bytes = Buffer.from(goodText);
    const whole = Buffer.from(goodText.trimEnd()).length;
    for (let len = 0; len < bytes.length; len++) {
      let outcome: unknown = 'accepted';
      try {
        parseKeyFile(bytes.subarray(0, len), 'prefix.ini');
      } catch (err) {
        outcome = err;
      }
      if (len >= whole) expect(outcome, `prefix of ${len} bytes`).toBe('accepted');
      else expect(outcome, `prefix of ${len} bytes`).toBeInstanceOf(KeyFileError);
    }
  });

  it('no bytes crash the reader: random data, corrupted key files, corrupted certificates', () => {
    const base = [Buffer.from(goodText), iconv.encode(goodText, 'cp932')];
    const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const certAt = goodText.indexOf('DerBase64=') + 10;
    for (let i = 0; i < 1200; i++) {
      let bytes: Buffer;
      if (i < 200) bytes = randomBytes(1 + (i * 37) % 3000);
      else if (i >= 600) {
        // Valid base64 with wrong DER inside: OpenSSL's own errors must not leak out.
        bytes = Buffer.from(goodText);
        for (let flips = 1 + (i % 3); flips > 0; flips--) {
          bytes[certAt + Math.floor(Math.random() * (bytes.indexOf('\n', certAt) - certAt))] = base64.charCodeAt(Math.floor(Math.random() * 64));
        }
      } else {
        bytes = Buffer.from(base[i % 2]!);
        for (let flips = 1 + (i % 5); flips > 0; flips--) bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
      }
      try {
        parseKeyFile(bytes, 'fuzz.ini');
      } catch (err) {
        expect(err, bytes.toString('base64')).toBeInstanceOf(KeyFileError);
        expect((err as KeyFileError).reason).toMatch(/^fuzz\.ini( line \d+)?: \S/);
        // The catch-all ("cannot be parsed") is for what nobody foresaw: every case here is foreseen.
        expect((err as KeyFileError).reason).not.toMatch(/cannot be parsed/);
      }
    }
  });

  it('missing sections and keys name the section, the key and the line', async () => {
    const noServer = goodText.replace(/\[Server\][^[]*/, '');
    await refusal(Buffer.from(noServer), 'missing-section', /no \[Server\] section/);
    const noKana = replace(/NameKana=.*\n/, '');
    const err = await refusal(Buffer.from(noKana), 'missing-key', /line \d+: \[Customer\] has no NameKana$/);
    expect(err.line).toBe(lineOf(goodText, '[Customer]'));
    expect((await refusal(Buffer.from(replace(/ExtensionSecret=.*\n/, '')), 'missing-key', /\[Contract\] has no ExtensionSecret/)).line).toBe(lineOf(goodText, '[Contract]'));
    await refusal(Buffer.from(replace(/WarrantyNumber=.*\n/, '')), 'missing-key', /\[Server\] has no WarrantyNumber/);
    await refusal(Buffer.from(replace(/Type=.*\n/, '')), 'missing-key', /\[Customer\] has no Type/);
    await refusal(Buffer.from(replace('[Customer]', '[customer]')), 'missing-section', /no \[Customer\] section \(found \[customer\]: names are case-sensitive\)/);
    await refusal(Buffer.from(replace('NameKana=', 'namekana=')), 'missing-key', /has no NameKana \(found namekana/);
    // Optional keys may be left out.
    const noOptional = goodText.replace(/^(Department|AddressDetail|ContactKana|ContactKanji|Comment|Sales\w+|Se[A-Z]\w+|ExpiresAt)=.*\n/gm, '');
    const key = parseKeyFile(Buffer.from(noOptional), 'short.ini');
    expect([key.customer.department, key.device.comment, key.expiresAt]).toEqual(['', '', null]);
  });

  it('broken, non-RSA and expired certificates', async () => {
    let err = await refusal(Buffer.from(replace(/DerBase64=.*/, 'DerBase64=not base64!')), 'certificate', /\[Certificate\] DerBase64 is not base64 \(a broken certificate\)/);
    expect(err.line).toBe(lineOf(goodText, 'DerBase64='));
    await refusal(Buffer.from(replace(/DerBase64=.*/, `DerBase64=${Buffer.from('hello, not DER at all').toString('base64')}`)), 'certificate', /is not an X\.509 certificate/);
    await refusal(Buffer.from(replace(/DerBase64=.*/, 'DerBase64=')), 'certificate', /not base64/);
    // A PEM pasted on one line is not the format.
    const pem = content.centerCertificatePem.replace(/\s/g, '');
    await refusal(Buffer.from(replace(/DerBase64=.*/, `DerBase64=${pem}`)), 'certificate', /not base64/);

    // An Ed25519 certificate cannot take an S/MIME envelope (openssl is a real second issuer).
    const edKey = fresh('ed.key');
    const edCert = fresh('ed.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', edKey, '-out', edCert, '-subj', '/CN=ed25519 center', '-days', '30']);
    expect(made.status, made.stderr?.toString()).toBe(0);
    const edDer = readFileSync(edCert, 'utf8').replace(/-----[^-]+-----|\s/g, '');
    await refusal(Buffer.from(replace(/DerBase64=.*/, `DerBase64=${edDer}`)), 'certificate', /\[Certificate\] DerBase64 has an ed25519 key; S\/MIME needs an RSA key/);

    const expired = fresh();
    await issueKeyFile({ out: expired, dataDir: path.join(tmp.dir, 'center'), certDays: -1, encoding: 'utf8' });
    err = await refusal(expired, 'certificate-expired', /line \d+: \[Certificate\] the center certificate expired on \d{4}-\d\d-\d\dT/);
    expect(err.line).toBeGreaterThan(1);
    // The clock is injectable: a valid certificate read far in the future has expired too.
    await refusal(Buffer.from(replace(/ExpiresAt=.*/, 'ExpiresAt=')), 'certificate-expired', /certificate expired/, new Date('2200-01-01T00:00:00Z'));
  });

  it('an expired contract', async () => {
    const err = await refusal(Buffer.from(replace(/ExpiresAt=.*/, 'ExpiresAt=2000-01-31')), 'contract-expired', /\[Contract\] ExpiresAt 2000-01-31: the contract has expired/);
    expect(err.line).toBe(lineOf(goodText, 'ExpiresAt='));
    // The contract runs through its last day.
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(parseKeyFile(Buffer.from(replace(/ExpiresAt=.*/, `ExpiresAt=${iso}`)), 'today.ini', { now: today }).expiresAt).toBe(iso);
  });

  it('syntax that ini would misread is refused with its line', async () => {
    const cases: [string, string | RegExp, string, RegExp][] = [
      ['no =', /PostalCode=.*/, 'PostalCode 0123456', /line \d+: expected a \[Section\] header, a Key=Value line or a ; comment \(truncated\?\)$/],
      ['duplicate key', /PostalCode=.*/, 'PostalCode=0123456\nPostalCode=9999999', /\[Customer\] PostalCode appears twice \(first on line \d+\)/],
      ['duplicate section', '[Dealer]', '[Server]\nComment=x\n\n[Dealer]', /section \[Server\] appears twice/],
      ['key before any section', '[Contract]', 'Stray=1\n[Contract]', /line \d+: a key before the first section header$/],
      ['array key', /Comment=.*/, 'Comment[]=a', /line \d+: this key name is not allowed/],
      ['dotted section', '[Dealer]', '[Dealer.Extra]\nx=1\n[Dealer]', /line \d+: this section name is not allowed \(no dots or backslashes\)$/],
      ['indented header', '[Dealer]', '  [Dealer]', /line \d+: a section header must start at the beginning of the line$/],
      ['= without key', /PostalCode=.*/, 'PostalCode=0123456\n=orphan', /'=' without a key/],
      ['unknown key', /PostalCode=.*/, 'PostalCode=0123456\nPostCode=1', /line \d+: \[Customer\] has a key this program does not know$/],
      ['empty section name', '[Dealer]', '[]\n[Dealer]', /empty section name/],
    ];
    for (const [name, from, to, reason] of cases) {
      const text = replace(from, to);
      const err = await refusal(Buffer.from(text), 'syntax', reason);
      expect(err.line, name).toBeGreaterThan(0);
    }
    // Comments and unknown sections are fine.
    const extra = replace('[Dealer]', '; a comment\n# another\n[CenterNotes]\nAnything=goes\n\n[Dealer]');
    expect(parseKeyFile(Buffer.from(extra), 'extra.ini').dealer.name).toBe('NEC');
  });

  it('bad contract, customer, option and destination values', async () => {
    const cases: [string | RegExp, string, KeyFileErrorCode, RegExp][] = [
      [/FormatVersion=.*/, 'FormatVersion=2', 'bad-value', /\[Contract\] FormatVersion "2" is not supported \(this program reads version 1\)/],
      [/UserSystemCode=.*/, 'UserSystemCode=OPFILELESS', 'bad-value', /OPFILELESS is reserved for the key-code opening/],
      [/UserSystemCode=.*/, 'UserSystemCode=a b', 'bad-value', /\[Contract\] UserSystemCode "a b" is not a user system code/],
      [/UserSystemCode=.*/, 'UserSystemCode=', 'bad-value', /UserSystemCode "" is not a user system code/],
      [/ExpiresAt=.*/, 'ExpiresAt=2025-02-30', 'bad-value', /\[Contract\] ExpiresAt "2025-02-30" is not a date \(YYYY-MM-DD\)/],
      [/ExtensionSecret=.*/, `ExtensionSecret=${Buffer.alloc(16).toString('base64')}`, 'bad-value', /ExtensionSecret is too short \(16 bytes; at least 32\)/],
      [/ExtensionSecret=.*/, 'ExtensionSecret=***', 'bad-value', /ExtensionSecret is not base64/],
      [/Type=.*/, 'Type=company', 'bad-value', /\[Customer\] Type "company" must be individual or corporate/],
      [/NameKanji=.*/, 'NameKanji=a\tb', 'bad-value', /\[Customer\] NameKanji contains a control character \(U\+0009\)/],
      [/NameKanji=.*/, `NameKanji=${'長'.repeat(201)}`, 'bad-value', /NameKanji is longer than 200 characters/],
      ['[Dealer]', '[Option2]\nDeviceCode=N8103-X\n\n[Dealer]', 'missing-section', /no \[Option1\] section although \[Option2\] exists/],
      ['[Dealer]', '[Option01]\nDeviceCode=N8103-X\n\n[Dealer]', 'syntax', /line \d+: option device sections are \[Option1\] … \[Option99\]$/],
      ['[Dealer]', '[Option1]\nComment=x\n\n[Dealer]', 'missing-key', /\[Option1\] has no DeviceCode/],
      [/\[Destinations\][^[]*/, '[Destinations]\nMail=\n\n', 'missing-key', /\[Destinations\] names no destination/],
      [/HttpsUrl1=.*/, 'HttpsUrl1=http://center.example.jp/', 'bad-value', /\[Destinations\] HttpsUrl1 "http:\/\/center\.example\.jp\/" is not an https:\/\/ URL/],
      [/Mail=.*/, 'Mail=center', 'bad-value', /\[Destinations\] Mail "center" is not a mail address/],
      [/Phone1=.*/, 'Phone1=call me', 'bad-value', /\[Destinations\] Phone1 "call me" is not a phone number/],
      [/HttpsUrl1=.*/, 'HttpsUrl1=', 'bad-value', /HttpsUrl2 is set but HttpsUrl1 is not/],
    ];
    for (const [from, to, code, reason] of cases) await refusal(Buffer.from(replace(from, to)), code, reason);
    // Options in order.
    const two = replace('[Dealer]', '[Option1]\nDeviceCode=N8103-A\n\n[Option2]\nDeviceCode=N8103-B\nSerialNumber=2\n\n[Dealer]');
    expect(parseKeyFile(Buffer.from(two), 'two.ini').options).toEqual([
      { deviceCode: 'N8103-A', serialNumber: '', comment: '' },
      { deviceCode: 'N8103-B', serialNumber: '2', comment: '' },
    ]);
  });

  it('hand-written values: JSON in double quotes, literal text in single quotes, escapes, and the words true/false/null as text', () => {
    const text = replace(/Comment=.*/, 'Comment = "C:\\\\temp ; not a comment"').replace(/AddressDetail=.*/, 'AddressDetail=null').replace(/SeName=.*/, 'SeName=a\\;b ; comment');
    const key = parseKeyFile(Buffer.from(text.replace(/SalesName=.*/, "SalesName='123'").replace(/SeDepartment=.*/, `SeDepartment='"x"; y'`)), 'hand.ini');
    expect(key.dealer.salesName).toBe('123');
    expect(key.dealer.seDepartment).toBe('"x"; y');
    expect(key.device.comment).toBe('C:\\temp ; not a comment');
    expect(key.customer.addressDetail).toBe('null');
    expect(key.dealer.seName).toBe('a;b');
  });
});
