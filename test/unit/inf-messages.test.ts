/**
 * The definition files' messages in Japanese and English: every code a corpus of bad files (and
 * the settings' URL and CA file rules) produces has both texts, fully filled in.
 */
import { chmodSync, chownSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { untrustedToolDiagnostics } from '../../src-main/collect/command-trust';
import { fieldProblem, fieldReason } from '../../src-main/core/field-checks';
import {
  commandReason,
  MAX_DEFINITION_FILE_BYTES,
  parseAdr,
  parseEventIds,
  parseHbi,
  parseLog,
  readDefinitionFile,
  renderDiagnostic,
  renderInf,
  text,
  type InfDiagnostic,
  type InfKind,
  type InfText,
} from '../../src-main/inf';
import { localizeDiagnostic } from '../../src-main/inf/messages';
import { CATALOGS } from '../../src-shared/i18n';
import { infEn } from '../../src-shared/i18n/inf-en';
import { infJa } from '../../src-shared/i18n/inf-ja';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-inf-msg-');
afterAll(() => tmp.remove());

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const PLACEHOLDER = /\{\w+\}/;
const tool = (n: number, body: string) => `[Tool${String(n).padStart(3, '0')}]\nSourceName01=a\nEventID01=*\n${body}`;

/** Bad definition files: between them, every check of the readers. */
const CORPUS: Array<[InfKind, string | Uint8Array]> = [
  // scanner.ts
  ['adr', '[URL1\nURL=x\n'],
  ['adr', '[]\nURL=x\n'],
  ['adr', '[URL1] junk\nURL=https://a/\n[url1]\nURL=https://b/\n'],
  ['adr', '=x\nURL=https://a/\n[URL1]\nno equals here\n=y\nURL="https://a/\nurl=https://b/\n'],
  // adr.ts
  ['adr', ''],
  ['adr', '[URL1]\n[URL2]\n[URL3]\n'],
  ['adr', '[URL1]\nURL=\nProxy=x\n[URL2]\nURL=http://b/\n'],
  ['adr', `[URL1]\nURL=https://a.jp/${'x'.repeat(500)}\n[URL2]\nURL=https://a b/\n`],
  ['adr', '[URL1]\nURL=https://aあ/\n'],
  ['adr', '[URL1]\nURL=https://[/\n'],
  ['adr', '[URL1]\nURL=https://a/\n[URL2]\nURL=https://a/\n'],
  // [Configuration]
  ['log', '[Configuration]\nTimeOut=\nMaxSize=-1\nX=1\n'],
  ['hbi', '[Configuration]\nTimeOut=99999999999\nMaxSize=\n'],
  // SourceNameXX / EventIDXX
  [
    'log',
    '[Tool001]\nSourceName1=x\nSourceNameA=x\nSourceName01=a\nEventID01=*\nSourceName03=b\nEventID03=*\nSourceName07=c\nEventID07=*\nEventID08=*\nSourceName09=d\nSourceName10=\nEventID10=*\nCommand=C:\\a.bat\n',
  ],
  [
    'log',
    '[NoneTrouble]\nSourceName01=a\nEventID01=\nSourceName02=a\nEventID02=0x4000000A,,0x4000000B\nSourceName03=a\nEventID03=0x4000000A,*\nSourceName04=a\nEventID04=0x4A\nSourceName05=a\nEventID05=0x123456789\nSourceName06=a\nEventID06=10\nSourceName07=a\nEventID07=zz\nSourceName08=a\nEventID08=0x4000000A,0x4000000a\nFoo=1\n',
  ],
  // Command: shell syntax, then the other rules
  ['log', ['>', '<', '|', '&', ';', '`', '$(x)', '${x}', '%X%', '^', '!', '$', "'", '*'].map((c, i) => tool(i + 1, `Command=C:\\a${c}b.bat\n`)).join('')],
  [
    'log',
    [
      'Command=C:\\a"b.bat',
      'Command=C:\\x.bat -v',
      'Command=C:\\tools\\',
      'Command=C:\\tools \\x.bat',
      'Command=x.bat',
      'Command=C:x.bat',
      'Command=\\x.bat',
      'Command=C:¥x.bat',
      'Command=C:\\a:b.bat',
    ]
      .map((line, i) => tool(i + 1, `${line}\n`))
      .join(''),
  ],
  // LogFile, Directory, environment variables, unknown keys
  [
    'log',
    '[DefaultTools]\nCommand=C:\\a.bat\nDirectory=C:\\a<b\nLogFile=C:\\a*\nX=1\n' +
      tool(1, 'LogFile=C:\\a.log, C:\\b.log\nDirectory=C:\\a:b\n') +
      tool(2, 'LogFile=C:\\%TEMP%\\x.log\nDirectory=C:\\w\nArguments=x\n'),
  ],
  // AMHTPLOG.INF sections
  ['log', '[DefaultTools]\nCommand=\nLogFile=C:\\x.log\n[ToolX]\n[Foo]\n[Tool002]\nCommand=C:\\a.bat\n[Tool005]\nSourceName01=a\nEventID01=*\n'],
  // AMHTPHBI.INF
  ['hbi', '[Configuration]\n[Other]\n'],
  ['hbi', '[Tools]\n[Schedule]\nX=1\n'],
  ['hbi', '[Tools]\n[Schedule]\nScheduleType=\nScheduleDay=x\nScheduleTime=9\n'],
  ['hbi', '[Tools]\n[Schedule]\nScheduleType=every week\nScheduleDay=7\nScheduleTime=24:00\n'],
  ['hbi', '[Tools]\n[Schedule]\nScheduleType=every month\nScheduleDay=0\nScheduleTime=23:60\n'],
  ['hbi', '[Tools]\n[Schedule]\nScheduleType=every month\nScheduleDay=abc\nScheduleTime=10:00\n'],
  ['hbi', '[Tools]\n[Schedule]\nScheduleType=every week\nScheduleDay=\nScheduleTime=10:00\n'],
  ['hbi', '[Tools]\n[Schedule]\nScheduleType=daily\nScheduleDay=40\nScheduleTime=\n'],
  // The file itself
  ['adr', Buffer.from([0xff, 0xfe, 0x5b, 0x00])],
  ['adr', Buffer.from('[URL1]\n\0\n')],
  ['adr', Buffer.from([0xef, 0xbb, 0xbf, 0x5b, 0xff, 0x0a])],
  ['adr', Buffer.from([0x5b, 0x0a, 0x81, 0x20])],
  ['adr', Buffer.from('[URL1]\n\x01\n')],
  ['adr', Buffer.alloc(MAX_DEFINITION_FILE_BYTES + 1, 0x20)],
];

/** Files that cannot be read at all. */
function unreadableFiles(): string[] {
  const dir = path.join(tmp.dir, 'files');
  mkdirSync(dir, { recursive: true });
  const big = path.join(dir, 'big.inf');
  writeFileSync(big, '');
  truncateSync(big, MAX_DEFINITION_FILE_BYTES + 10);
  const plain = path.join(dir, 'plain');
  writeFileSync(plain, 'x');
  const loop = path.join(dir, 'loop.inf');
  rmSync(loop, { force: true });
  symlinkSync(loop, loop); // ELOOP: cannot be read
  const files = [dir, path.join(dir, 'nowhere', 'AMHTPADR.INF'), big, path.join(plain, 'AMHTPADR.INF'), loop];
  if (process.platform !== 'win32') files.push('/dev/null');
  if (process.getuid?.() !== 0) {
    const locked = path.join(dir, 'locked.inf');
    writeFileSync(locked, '[URL1]\n');
    chmodSync(locked, 0);
    files.push(locked);
  }
  return files;
}

/** The settings' refusals: URL and CA file. */
function fieldCases(): Array<[string, string]> {
  const dir = path.join(tmp.dir, 'ca');
  mkdirSync(dir, { recursive: true });
  const big = path.join(dir, 'big.pem');
  writeFileSync(big, '');
  truncateSync(big, 1024 * 1024 + 1);
  const notPem = path.join(dir, 'not.pem');
  writeFileSync(notPem, 'hello');
  const badPem = path.join(dir, 'bad.pem');
  writeFileSync(badPem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  const cases: Array<[string, string]> = [
    ['methods.express-https.url1', 'http://a/'],
    ['methods.express-https.url2', 'https://a b/'],
    ['methods.manager-express-https.url1', `https://a.jp/${'x'.repeat(500)}`],
    ['methods.express-https.caFile', 'rel.pem'],
    ['methods.express-https.caFile', big],
    ['methods.express-https.caFile', notPem],
    ['methods.express-https.caFile', badPem],
    ['methods.express-https.caFile', path.join(dir, 'none.pem')],
  ];
  if (process.getuid?.() !== 0) {
    const locked = path.join(dir, 'locked.pem');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0);
    cases.push(['methods.manager-express-https.caFile', locked]);
  }
  return cases;
}

/** inf check's refusals of Commands others could rewrite (world-writable; another owner, as root). */
async function untrustedCommands() {
  const dir = path.join(tmp.dir, 'trust');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const writable = path.join(dir, 'writable.sh');
  writeFileSync(writable, '#!/bin/sh\n');
  chmodSync(writable, 0o757);
  const tools = [{ section: 'Tool001', line: 5, command: writable }];
  if (process.getuid?.() === 0) {
    const foreign = path.join(dir, 'foreign.sh');
    writeFileSync(foreign, '#!/bin/sh\n');
    chmodSync(foreign, 0o755);
    chownSync(foreign, 65534, 65534);
    tools.push({ section: 'Tool002', line: 9, command: foreign });
  }
  return untrustedToolDiagnostics('AMHTPLOG.INF', tools);
}

/** Every code in `t`, its nested phrases included. */
function codesOf(t: InfText, into: Set<string>): Set<string> {
  into.add(t.code);
  for (const p of Object.values(t.params)) if (typeof p === 'object') codesOf(p, into);
  return into;
}

async function allDiagnostics(): Promise<InfDiagnostic[]> {
  const parse = { adr: parseAdr, log: parseLog, hbi: parseHbi };
  const out = CORPUS.flatMap(([kind, input]) => parse[kind](typeof input === 'string' ? Buffer.from(input) : input, `AMHTP${kind.toUpperCase()}.INF`).diagnostics);
  for (const file of unreadableFiles()) out.push(...(await readDefinitionFile('adr', file)).diagnostics);
  return out;
}

/** Both languages: filled in, the English one is `english`, the Japanese one is Japanese. */
function expectBothTexts(t: InfText, english: string | null): void {
  const ja = renderInf(t, 'ja');
  const en = renderInf(t, 'en');
  if (english !== null) expect(en, t.code).toBe(english);
  expect(en, `${t.code}: ${en}`).not.toMatch(PLACEHOLDER);
  expect(ja, `${t.code}: ${ja}`).not.toMatch(PLACEHOLDER);
  expect(ja, `${t.code}: ${ja}`).toMatch(JAPANESE);
  expect(ja, t.code).not.toBe(en);
}

describe('every diagnostic in Japanese and English', () => {
  it('a corpus of bad files: each diagnostic renders in both languages, English as its message', async () => {
    const diagnostics = await allDiagnostics();
    expect(diagnostics.length).toBeGreaterThan(100);
    for (const d of diagnostics) {
      expect(d.code).toMatch(/^inf\./);
      expectBothTexts(d, d.message);
      expect(renderDiagnostic(d, 'en')).toBe(d.message);
    }
  });

  it('the corpus, the direct checks and the field rules reach every code of the catalogue', async () => {
    const reached = new Set<string>();
    for (const d of await allDiagnostics()) codesOf(d, reached);
    // Not reachable through a file: a blank EventID list item alone, a line break in a Command.
    const blank = parseEventIds(' ');
    expect('reason' in blank && blank.reason.code).toBe('inf.empty');
    if ('reason' in blank) codesOf(blank.reason, reached);
    const lineBreak = commandReason('C:\\a\nb.bat')!;
    expectBothTexts(lineBreak, null);
    codesOf(lineBreak, reached);
    for (const [key, value] of fieldCases()) codesOf(fieldReason(key, value)!, reached);
    for (const d of await untrustedCommands()) codesOf(d, reached);

    const unreachable = new Set([
      // WHATWG URL never parses an https:// URL without a host.
      'inf.url.noHost',
      // express-report inf check's own words: test/unit/inf-command.test.ts.
      ...Object.keys(infJa).filter((k) => k.startsWith('inf.cli.')),
      // Permission denied cannot be made as root.
      ...(process.getuid?.() === 0 ? ['inf.file.permission', 'inf.ca.permission'] : []),
      // A file growing past the limit while it is read; a folder above a Command vanishing between
      // realpath and stat: races, not files.
      'inf.file.grew',
      'inf.trust.unreadable',
      // Another owner needs root to make (test/integration/command-trust.test.ts).
      ...(process.getuid?.() === 0 ? [] : ['inf.trust.owner']),
    ]);
    const missing = Object.keys(infJa).filter((k) => !reached.has(k) && !unreachable.has(k));
    expect([...unreachable].filter((k) => reached.has(k)), 'listed as unreachable but reached').toEqual([]);
    expect(missing).toEqual([]);
  });

  it('the catalogues: the same keys, the same placeholders, registered in the whole catalogue', () => {
    expect(Object.keys(infEn).sort()).toEqual(Object.keys(infJa).sort());
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, ja] of Object.entries(infJa)) {
      expect(names(infEn[key as keyof typeof infJa]), key).toEqual(names(ja));
      expect(CATALOGS.ja[key as keyof typeof infJa], key).toBe(ja);
      expect(CATALOGS.en[key as keyof typeof infJa], key).toBe(infEn[key as keyof typeof infJa]);
    }
    // A message a user reads is Japanese; only name lists may be all ASCII.
    const ascii = Object.entries(infJa).filter(([, ja]) => !JAPANESE.test(ja)).map(([key]) => key);
    expect(ascii).toEqual(['inf.keys.url']);
  });

  it('a few messages word for word, in the seed’s vocabulary', async () => {
    const [missing] = parseAdr(Buffer.from(''), 'AMHTPADR.INF').diagnostics;
    expect(renderDiagnostic(missing!, 'ja')).toBe('セクション [URL1] がありません。[URL1] を記載し、その URL= に一次通報先(https://…)を記載してください。');
    const [http] = parseAdr(Buffer.from('[URL1]\nURL=http://a/\n'), 'AMHTPADR.INF').diagnostics;
    expect(renderDiagnostic(http!, 'ja')).toBe('[URL1] の URL: https:// で始まる URL を記載してください(http://a/)。');
    const [arg] = parseLog(Buffer.from(tool(1, 'Command=C:\\x.bat -v\n')), 'AMHTPLOG.INF').diagnostics;
    expect(renderDiagnostic(arg!, 'ja')).toBe(
      '[Tool001] の Command: 引数(-v)が指定されています。Command に引数を指定することはできません。引数を記載したバッチファイル等を指定してください。このコマンドは実行しません。',
    );
    const [timeout] = parseHbi(Buffer.from('[Configuration]\nTimeOut=abc\n[Tools]\n[Schedule]\nScheduleType=every month\nScheduleDay=1\nScheduleTime=1:00\n'), 'AMHTPHBI.INF').diagnostics;
    expect(renderDiagnostic(timeout!, 'ja')).toBe(
      '[Configuration] の TimeOut(タイムアウト時間(秒)。0 はタイムアウトしない): 0 以上の整数(数字のみ)を指定してください(abc は指定できません)。既定値 600 を使用します。',
    );
    const [id] = parseLog(Buffer.from('[NoneTrouble]\nSourceName01=atapi\nEventID01=6\n'), 'AMHTPLOG.INF').diagnostics;
    expect(renderDiagnostic(id!, 'ja')).toBe('[NoneTrouble] の EventID01: 6 は 10 進数です。イベント ID は 32 ビットすべてを 16 進数表記で記載してください: 0x00000006。');
  });

  it('localizeDiagnostic: the message in the language, the code kept, the params left out', () => {
    const [d] = parseAdr(Buffer.from('[URL1]\nURL=https://a/\n[URL3]\n'), 'AMHTPADR.INF').diagnostics;
    expect(localizeDiagnostic(d!, 'ja')).toEqual({
      file: 'AMHTPADR.INF',
      line: 3,
      severity: 'warning',
      code: 'inf.adr.unknownSection',
      message: '不明なセクション [URL3] は無視します(AMHTPADR.INF のセクションは [URL1] と [URL2] です)。',
    });
    expect(localizeDiagnostic(d!, 'en').message).toBe(d!.message);
  });

  it('renderInf: nested phrases in the same language; values are not expanded again; unknown placeholders stay', () => {
    const t = text('inf.adr.url', { key: 'URL', section: '{section}', problem: text('inf.empty') });
    expect(renderInf(t, 'en')).toBe('URL in [{section}] is empty');
    expect(renderInf(t, 'ja')).toBe('[{section}] の URL: 値が空です。');
    expect(renderInf(text('inf.adr.url', { key: 'URL' }), 'en')).toBe('URL in [{section}] {problem}');
  });
});

describe('the settings’ URL and CA file rules in Japanese and English', () => {
  it('each refusal in both languages; English unless told', () => {
    for (const [key, value] of fieldCases()) {
      const reason = fieldReason(key, value);
      expect(reason, `${key}=${value}`).not.toBeNull();
      expectBothTexts(reason!, fieldProblem(key, value));
      expect(fieldProblem(key, value, 'en')).toBe(fieldProblem(key, value));
      expect(fieldProblem(key, value, 'ja')).toBe(renderInf(reason!, 'ja'));
    }
  });

  it('word for word', () => {
    expect(fieldProblem('methods.express-https.url1', 'http://a/', 'ja')).toBe('URL の指定が正しくありません。https:// で始まる URL を記載してください(http://a/)。');
    expect(fieldProblem('methods.express-https.url1', 'http://a/', 'en')).toBe('the URL must start with https:// (http://a/)');
    const none = path.join(tmp.dir, 'none.pem');
    expect(fieldProblem('methods.express-https.caFile', none, 'ja')).toBe(`CA ファイル ${none} を使用できません。ファイルが存在しません。`);
    expect(fieldProblem('methods.express-https.caFile', none, 'en')).toBe(`${none} does not exist`);
    expect(fieldProblem('methods.express-https.caFile', 'ca.pem', 'en')).toBe('ca.pem is not an absolute path: give the absolute path of a PEM file of CA certificates');
  });

  it('an empty value, another key or a good URL: no problem', () => {
    expect(fieldProblem('methods.express-https.url1', '', 'ja')).toBeNull();
    expect(fieldProblem('methods.express-https.url1', 'https://center.example.jp/x', 'ja')).toBeNull();
    expect(fieldProblem('methods.express.smtpHost', 'http://a/', 'ja')).toBeNull();
    expect(fieldProblem('methods.express-https.url1', 5, 'ja')).toBeNull();
  });
});
