import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeDefinitionText, MAX_DEFINITION_FILE_BYTES } from '../../src-main/inf/decode';
import { getEntry, getSection, scanInf, type InfScan } from '../../src-main/inf/scanner';

const F = 'AMHTPLOG.INF';
/** Every diagnostic carries its catalogue key and params besides the English message. */
const coded = { code: expect.stringMatching(/^inf\./), params: expect.any(Object) };
const scan = (text: string | Uint8Array): InfScan => scanInf(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, F);
const value = (s: InfScan, section: string, key: string) => getEntry(getSection(s, section), key)?.value;
/** The diagnostics as `line severity message` strings. */
const diags = (s: { diagnostics: Array<{ line: number; severity: string; message: string }> }) => s.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`);

describe('values are kept exactly', () => {
  it.each([
    ['Command="c:\\new\\tab.bat"', 'c:\\new\\tab.bat', true],
    ['Command=c:\\new\\tab.bat', 'c:\\new\\tab.bat', false],
    ['URL=https://host/x#frag', 'https://host/x#frag', false],
    ['URL=https://host/x;y?a=b&c=d', 'https://host/x;y?a=b&c=d', false],
    ['URL= https://13.13.13.133/Scripts/trsRecvAlert.cgi', 'https://13.13.13.133/Scripts/trsRecvAlert.cgi', false],
    ['URL =\thttps://h/  ', 'https://h/', false],
    ['K=a=b=c', 'a=b=c', false],
    ['K=', '', false],
    ['K=""', '', true],
    ['K="  spaced  "', '  spaced  ', true],
    ['K=""double""', '"double"', true],
    ['K="a ; not a comment # either"', 'a ; not a comment # either', true],
    ['K=\\"x\\"', '\\"x\\"', false],
    ['K=\u3000全角\u3000', '\u3000全角\u3000', false],
    ['K=$HOME %PATH% \\n \\t \\u0041', '$HOME %PATH% \\n \\t \\u0041', false],
  ])('%s → %s', (line, expected, quoted) => {
    const s = scan(`[S]\n${line}\n`);
    expect(s.diagnostics).toEqual([]);
    const entry = getEntry(getSection(s, 'S'), 'K') ?? getEntry(getSection(s, 'S'), 'URL') ?? getEntry(getSection(s, 'S'), 'Command');
    expect(entry).toMatchObject({ value: expected, quoted, line: 2 });
  });

  it('knows the line of every section and value', () => {
    const s = scan('; comment\n\n[URL1]\nURL=https://a/\n\n[URL2]\n  ; indented comment\nURL=https://b/\n');
    expect(getSection(s, 'URL1')?.line).toBe(3);
    expect(getEntry(getSection(s, 'URL1'), 'URL')?.line).toBe(4);
    expect(getSection(s, 'URL2')?.line).toBe(6);
    expect(getEntry(getSection(s, 'URL2'), 'URL')?.line).toBe(8);
  });
});

describe('comments, blank lines and line ends', () => {
  it('a line is a comment when its first non-blank character is ; or #', () => {
    const s = scan('; c1\n# c2\n   ;c3\n\t# c4\n[S]\n;K=commented out\n#K=commented out\nK=v\n');
    expect(s.diagnostics).toEqual([]);
    expect(value(s, 'S', 'K')).toBe('v');
    expect(getEntry(getSection(s, 'S'), 'K')?.line).toBe(8);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s: same lines, same values', (_name, eol) => {
    const s = scan(['[S]', 'A=1', '', 'B="c:\\x"', 'oops', 'C=3'].join(eol) + eol);
    expect(value(s, 'S', 'A')).toBe('1');
    expect(value(s, 'S', 'B')).toBe('c:\\x');
    expect(getEntry(getSection(s, 'S'), 'C')?.line).toBe(6);
    expect(diags(s)).toEqual([expect.stringMatching(/^5 error line without "=": oops/)]);
  });

  it('mixed line ends count each line once', () => {
    const s = scan('[S]\r\nA=1\nB=2\rC=3\r\n');
    expect([getEntry(getSection(s, 'S'), 'A')?.line, getEntry(getSection(s, 'S'), 'B')?.line, getEntry(getSection(s, 'S'), 'C')?.line]).toEqual([2, 3, 4]);
  });

  it('an empty file, or only comments, has no sections and no diagnostics', () => {
    for (const text of ['', '\n\n', '; only a comment\r\n']) {
      const s = scan(text);
      expect(s.sections.size).toBe(0);
      expect(s.diagnostics).toEqual([]);
    }
  });
});

describe('names are case-insensitive (as on Windows)', () => {
  it('sections and keys are found in any case; the written names are kept', () => {
    const s = scan('[configuration]\ntimeout=5\n[TOOL001]\nsourcename01=x\n');
    expect(value(s, 'Configuration', 'TimeOut')).toBe('5');
    expect(getSection(s, 'Tool001')?.name).toBe('TOOL001');
    expect(getEntry(getSection(s, 'tool001'), 'SourceName01')?.key).toBe('sourcename01');
  });

  it('spaces inside the brackets are trimmed', () => {
    expect(getSection(scan('[ URL1 ]\nURL=x\n'), 'URL1')?.line).toBe(1);
  });
});

describe('duplicates are errors, never merged', () => {
  it('a duplicate key: error at its line, the first value is used', () => {
    const s = scan('[URL1]\nURL=https://first/\nurl=https://second/\n');
    expect(value(s, 'URL1', 'URL')).toBe('https://first/');
    expect(diags(s)).toEqual(['3 error duplicate key url in [URL1] (first at line 2); the first one is used']);
  });

  it('a duplicate section: error at its header, its keys are ignored (not merged)', () => {
    const s = scan('[URL1]\nURL=https://a/\n[URL2]\nURL=https://b/\n[url1]\nURL=https://c/\nExtra=1\n');
    expect(value(s, 'URL1', 'URL')).toBe('https://a/');
    expect(value(s, 'URL1', 'Extra')).toBeUndefined();
    expect(value(s, 'URL2', 'URL')).toBe('https://b/');
    expect(diags(s)).toEqual(['5 error duplicate section [url1] (first at line 1); this one and its keys are ignored']);
  });

  it('a duplicate key inside an ignored duplicate section is not reported twice', () => {
    const s = scan('[S]\nK=1\n[S]\nK=2\nK=3\n');
    expect(diags(s)).toEqual(['3 error duplicate section [S] (first at line 1); this one and its keys are ignored']);
  });
});

describe('malformed lines', () => {
  it.each([
    ['oops', 2, 'error', /^line without "=": oops/],
    ['[Broken', 2, 'error', /^malformed section header \[Broken: no closing \]/],
    ['[]', 2, 'error', /^empty section name \[\]/],
    ['[Tool002] ; trailing', 2, 'warning', /^text after the section header \[Tool002\] is ignored: ; trailing/],
    ['=value', 2, 'error', /^key line without a key name in \[S\]: =value/],
    ['K="c:\\Program Files\\x.bat" -v', 2, 'error', /^K in \[S\]: unbalanced double quote in "c:\\Program Files\\x.bat" -v/],
    ['K="c:\\x.bat', 2, 'error', /^K in \[S\]: unbalanced double quote/],
    ['K=c:\\x.bat"', 2, 'error', /^K in \[S\]: unbalanced double quote/],
    ['K="', 2, 'error', /^K in \[S\]: unbalanced double quote/],
  ])('%s', (line, at, severity, message) => {
    const s = scan(`[S]\n${line}\n`);
    expect(s.diagnostics).toEqual([{ file: F, line: at, severity, message: expect.stringMatching(message), ...coded }]);
  });

  it('keys before any section are errors', () => {
    const s = scan('; header\nTimeOut=5\n[Configuration]\nMaxSize=0\n');
    expect(diags(s)).toEqual(['2 error key TimeOut before any [section]; it is ignored']);
    expect(value(s, 'Configuration', 'TimeOut')).toBeUndefined();
  });

  it('keys after a broken header are ignored until the next section', () => {
    const s = scan('[Broken\nK=1\n[S]\nK=2\n');
    expect(diags(s)).toEqual([expect.stringMatching(/^1 error malformed section header/)]);
    expect(value(s, 'S', 'K')).toBe('2');
    expect(s.sections.size).toBe(1);
  });
});

describe('encodings', () => {
  it('UTF-8 with a BOM: the BOM is not part of the first section name', () => {
    const s = scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[URL1]\r\nURL=https://a/\r\n')]));
    expect(s.encoding).toBe('utf-8');
    expect(value(s, 'URL1', 'URL')).toBe('https://a/');
  });

  it('UTF-8 text given as a string may carry a BOM too', () => {
    expect(value(scanInf('\uFEFF[S]\nK=v\n', F), 'S', 'K')).toBe('v');
  });

  it('Shift_JIS: 0x5C second bytes (ソ 表 能) before a quote or a line end are characters, not backslashes', () => {
    const text = '; ソフトウェア能力表\r\n[DefaultTools]\r\nLogFile="C:\\ESM\\ログ\\表"\r\nCommand=C:\\ソフト\\能\r\nDirectory="C:\\表"\r\n';
    const bytes = iconv.encode(text, 'cp932');
    // 表 is 0x95 0x5C: a byte-level reader would see \" here.
    expect(bytes.includes(Buffer.from([0x95, 0x5c, 0x22]))).toBe(true);
    const s = scan(bytes);
    expect(s.encoding).toBe('shift_jis');
    expect(s.diagnostics).toEqual([]);
    expect(value(s, 'DefaultTools', 'LogFile')).toBe('C:\\ESM\\ログ\\表');
    expect(value(s, 'DefaultTools', 'Command')).toBe('C:\\ソフト\\能');
    expect(value(s, 'DefaultTools', 'Directory')).toBe('C:\\表');
    expect(getEntry(getSection(s, 'DefaultTools'), 'Directory')?.line).toBe(5);
  });

  it('Shift_JIS with NEC special characters (①) and IBM extensions (髙)', () => {
    const s = scan(iconv.encode('[S]\r\nK=①髙\r\n', 'cp932'));
    expect(s.encoding).toBe('shift_jis');
    expect(value(s, 'S', 'K')).toBe('①髙');
  });

  it('UTF-8 Japanese stays UTF-8', () => {
    const s = scan('[S]\nK=表示ソフト\n');
    expect(s.encoding).toBe('utf-8');
    expect(value(s, 'S', 'K')).toBe('表示ソフト');
  });

  it.each([
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[S]\r\nK=v\r\n', 'utf16le')]), 1, /UTF-16/],
    ['UTF-16BE with BOM', Buffer.from([0xfe, 0xff, 0, 0x5b]), 1, /UTF-16/],
    ['UTF-16LE without BOM', Buffer.from('[S]\r\nK=v\r\n', 'utf16le'), 1, /NUL byte at offset 1/],
    ['a NUL on line 3', Buffer.from('[S]\nA=1\nB=\u0000\n'), 3, /NUL byte at offset 10/],
    ['invalid UTF-8 and invalid Shift_JIS on line 2', Buffer.concat([Buffer.from('[S]\nK='), Buffer.from([0x81, 0x20]), Buffer.from('\n')]), 2, /neither valid UTF-8 nor valid Shift_JIS/],
    ['a UTF-8 BOM and then Shift_JIS on line 3', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[S]\nA=1\nK='), iconv.encode('表', 'cp932'), Buffer.from('\n')]), 3, /UTF-8 byte order mark but is not valid UTF-8/],
    ['a control character on line 2', Buffer.from('[S]\nK=a\u0007b\n'), 2, /control character U\+0007/],
    ['an escape character', Buffer.from('[S]\r\n\r\nK=\u001b[31m\r\n'), 3, /control character U\+001B/],
  ])('%s: one error with its line, nothing else', (_name, bytes, line, message) => {
    const s = scan(bytes);
    expect(s.encoding).toBeNull();
    expect(s.sections.size).toBe(0);
    expect(s.diagnostics).toEqual([{ file: F, line, severity: 'error', message: expect.stringMatching(message), ...coded }]);
  });

  it('a file over 1 MiB is refused without being parsed', () => {
    const d = decodeDefinitionText(Buffer.alloc(MAX_DEFINITION_FILE_BYTES + 1, 0x20));
    expect(d).toEqual({ ok: false, line: 1, message: expect.stringMatching(/at most 1048576 bytes/), reason: { code: 'inf.file.tooLarge', params: { size: MAX_DEFINITION_FILE_BYTES + 1, max: MAX_DEFINITION_FILE_BYTES } } });
  });

  it('tabs are allowed', () => {
    expect(value(scan('[S]\nK\t=\t"a\tb"\n'), 'S', 'K')).toBe('a\tb');
  });
});

describe('never throws', () => {
  it('random bytes', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(Math.floor(Math.random() * 200));
      const s = scanInf(bytes, F);
      for (const d of s.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('random text from the INI alphabet: every diagnostic line exists in the text', () => {
    const alphabet = ['[', ']', '=', '"', ';', '#', '\\', ' ', '\t', '\r', '\n', '\r\n', 'a', 'K', 'URL1', 'Tool001', '表', 'ソ', '\u3000'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const n = Math.floor(Math.random() * 60);
      for (let j = 0; j < n; j++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
      const encoded = Math.random() < 0.5 ? Buffer.from(text, 'utf8') : iconv.encode(text, 'cp932');
      const s = scanInf(encoded, F);
      const lines = text.split(/\r\n|\r|\n/).length;
      for (const d of s.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.line).toBeLessThanOrEqual(lines);
      }
    }
  });
});
