import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  commandProblem,
  DEFAULT_TIMEOUT_SECONDS,
  kindFromFileName,
  MAX_TIMEOUT_SECONDS,
  maxSizeBytes,
  parseAdr,
  parseHbi,
  parseLog,
  PROGRAM_MAX_SIZE_KB,
  readAdr,
  readDefinitionFile,
  readHbi,
  readLog,
  renderDiagnostic,
  type InfResult,
} from '../../src-main/inf';
import { SHELL_METACHARACTERS } from '../../src-main/collect/tools';
import { tempDir } from '../helpers/temp';

const FIXTURES = path.resolve(__dirname, '../fixtures/inf');
const tmp = tempDir('er-inf-');
afterAll(() => tmp.remove());

type Diag = [line: number, severity: 'error' | 'warning', message: RegExp];
/** Every diagnostic carries its catalogue key and params besides the English message. */
const coded = { code: expect.stringMatching(/^inf\./), params: expect.any(Object) };
/** Exactly these diagnostics, in line order. */
function expectDiagnostics(r: InfResult<unknown>, expected: Diag[]): void {
  expect(r.diagnostics).toEqual(expected.map(([line, severity, message]) => ({ file: r.file, line, severity, message: expect.stringMatching(message), ...coded })));
  expect(r.ok).toBe(!expected.some(([, s]) => s === 'error'));
}

const adr = (text: string) => parseAdr(Buffer.from(text), 'AMHTPADR.INF');
const log = (text: string) => parseLog(Buffer.from(text), 'AMHTPLOG.INF');
const hbi = (text: string) => parseHbi(Buffer.from(text), 'AMHTPHBI.INF');

describe('AMHTPADR.INF', () => {
  it("the seed's example (2860–2863), with its space after =", async () => {
    const r = await readAdr(path.join(FIXTURES, 'seed/AMHTPADR.INF'));
    expectDiagnostics(r, []);
    expect(r.value).toEqual({ url1: 'https://13.13.13.133/Scripts/trsRecvAlert.cgi', url2: 'https://13.13.13.155:8443/cgi-bin/trsRecvAlert.cgi' });
    expect(r.encoding).toBe('utf-8');
  });

  it('the same as Shift_JIS with CRLF and a Japanese comment', async () => {
    const r = await readAdr(path.join(FIXTURES, 'sjis/AMHTPADR.INF'));
    expectDiagnostics(r, []);
    expect(r.encoding).toBe('shift_jis');
    expect(r.value.url2).toBe('https://13.13.13.155:8443/cgi-bin/trsRecvAlert.cgi');
  });

  it('[URL2] is optional; a URL keeps its #fragment and ;', () => {
    const r = adr('[URL1]\nURL=https://h/x;y#frag\n');
    expectDiagnostics(r, []);
    expect(r.value).toEqual({ url1: 'https://h/x;y#frag', url2: null });
  });

  it('an empty URL in [URL2] means no secondary destination', () => {
    const r = adr('[URL1]\nURL=https://a/\n[URL2]\nURL=\n');
    expectDiagnostics(r, []);
    expect(r.value.url2).toBeNull();
  });

  it('the URL may be exactly 500 characters', () => {
    const url = `https://h/${'a'.repeat(490)}`;
    expect(url).toHaveLength(500);
    expectDiagnostics(adr(`[URL1]\nURL=${url}\n`), []);
  });

  it('case-insensitive names, quotes', () => {
    const r = adr('[url1]\nurl="https://a/"\n[Url2]\nUrl = "HTTPS://B/"\n');
    expectDiagnostics(r, []);
    expect(r.value).toEqual({ url1: 'https://a/', url2: 'HTTPS://B/' });
  });

  it.each<[string, string, Diag[]]>([
    ['no [URL1]', '[URL2]\nURL=https://b/\n', [[1, 'error', /^the section \[URL1\] is missing/]]],
    ['an empty file', '', [[1, 'error', /^the section \[URL1\] is missing/]]],
    ['no URL= in [URL1]: the section line', '; c\n[URL1]\nURI=https://a/\n', [[2, 'error', /^URL in \[URL1\] is missing/], [3, 'warning', /^unknown key URI in \[URL1\] is ignored \(the keys of \[URL1\] are URL\)/]]],
    ['an empty URL in [URL1]', '[URL1]\nURL=\n', [[2, 'error', /^URL in \[URL1\] is empty: the primary destination is required/]]],
    ['501 characters', `[URL1]\nURL=https://h/${'a'.repeat(491)}\n`, [[2, 'error', /^URL in \[URL1\] is 501 characters; at most 500/]]],
    ['http://', '[URL1]\nURL=http://h/x\n', [[2, 'error', /^URL in \[URL1\] must start with https:\/\//]]],
    ['no scheme', '[URL1]\nURL=13.13.13.133/Scripts/trsRecvAlert.cgi\n', [[2, 'error', /must start with https:\/\//]]],
    ['a space inside', '[URL1]\nURL="https://h/a b"\n', [[2, 'error', /^URL in \[URL1\] contains a space; write half-width letters, digits and symbols only/]]],
    ['full-width characters', '[URL1]\nURL=https://ｈｏｓｔ/\n', [[2, 'error', /contains ｈ \(U\+FF48\); write half-width/]]],
    ['not a URL', '[URL1]\nURL=https://[::1/\n', [[2, 'error', /^URL in \[URL1\] is not a valid URL/]]],
    ['a bad [URL2]', '[URL1]\nURL=https://a/\n[URL2]\nURL=ftp://b/\n', [[4, 'error', /^URL in \[URL2\] must start with https:\/\//]]],
    ['[URL2] without URL=', '[URL1]\nURL=https://a/\n[URL2]\n', [[3, 'warning', /^\[URL2\] has no URL=; there is no secondary destination/]]],
    ['the same URL twice', '[URL1]\nURL=https://a/\n[URL2]\nURL=https://a/\n', [[4, 'warning', /is the same as the primary destination/]]],
    ['an unknown section', '[URL1]\nURL=https://a/\n[URL3]\nURL=https://c/\n', [[3, 'warning', /^unknown section \[URL3\] is ignored/]]],
    ['a duplicate URL key', '[URL1]\nURL=https://a/\nURL=https://b/\n', [[3, 'error', /^duplicate key URL in \[URL1\] \(first at line 2\)/]]],
  ])('%s', (_name, text, expected) => {
    const r = adr(text);
    expectDiagnostics(r, expected);
    if (!r.ok && expected.some(([line]) => line <= 2)) expect(r.value.url1).toBe('');
  });

  it('a refused [URL2] is not used', () => {
    expect(adr('[URL1]\nURL=https://a/\n[URL2]\nURL=http://b/\n').value).toEqual({ url1: 'https://a/', url2: null });
  });
});

const TOOL = '[Tool001]\nSourceName01=Disk\nEventID01=0xC0000007\n';

describe('AMHTPLOG.INF', () => {
  it('a realistic file in Shift_JIS with CRLF', async () => {
    const r = await readLog(path.join(FIXTURES, 'sjis/AMHTPLOG.INF'));
    expectDiagnostics(r, []);
    expect(r.encoding).toBe('shift_jis');
    expect(r.value).toEqual({
      timeoutSeconds: 600,
      maxSizeKB: 0,
      maxSizeBytes: PROGRAM_MAX_SIZE_KB * 1024,
      defaultTools: {
        section: 'DefaultTools',
        line: 7,
        command: 'C:\\ESM\\AlertMan\\Work\\WebReprt\\ソフト\\collect.bat',
        logFiles: ['C:\\ESM\\ログ\\表'],
        directory: 'C:\\ESM\\AlertMan\\Work\\WebReprt',
        matchers: [],
      },
      noneTrouble: [
        { source: 'ESMCommonService', eventIds: [0x40000065, 0x40000066], number: 1, line: 13 },
        { source: '*', eventIds: [0x00000001], number: 2, line: 15 },
      ],
      tools: [
        {
          section: 'Tool001',
          line: 18,
          command: 'C:\\Program Files\\ESMPRO\\ツール\\能力表.bat',
          logFiles: ['C:\\Program Files\\ESMPRO\\ログ'],
          directory: 'C:\\Program Files\\ESMPRO\\ツール',
          matchers: [
            { source: 'Disk', eventIds: [0xc0000007], number: 1, line: 20 },
            { source: 'ESMStorageService', eventIds: '*', number: 2, line: 22 },
          ],
        },
        {
          section: 'Tool002',
          line: 28,
          command: '\\\\logserver\\share\\collect.cmd',
          logFiles: ['\\\\logserver\\share\\out\\'],
          directory: null,
          matchers: [{ source: '*', eventIds: [0x80000001, 0xc0000007], number: 1, line: 29 }],
        },
      ],
    });
  });

  it("the seed's template (2894–2939) as written: each placeholder at its line", async () => {
    const r = await readLog(path.join(FIXTURES, 'seed/AMHTPLOG.INF'));
    expectDiagnostics(r, [
      [2, 'error', /^TimeOut in \[Configuration\] .*must be an integer of 0 or more \(digits only\), not xxxx; the default 600 is used/],
      [6, 'error', /^LogFile in \[DefaultTools\] is not an absolute path/],
      [10, 'error', /^EventID01 in \[NoneTrouble\] has xxxxx, which is not an event id/],
      [12, 'error', /^EventID02 in \[NoneTrouble\] has xxxxx/],
      [15, 'error', /^EventID01 in \[Tool001\] has xxxxx/],
      [16, 'error', /^Command in \[Tool001\] is not an absolute path: ¥ \(U\+00A5\) is not a path separator; write \\/],
      [17, 'error', /^LogFile in \[Tool001\] is not an absolute path: ¥/],
      [18, 'error', /^Directory in \[Tool001\] is not an absolute path: ¥/],
      [21, 'error', /^EventID01 in \[Tool002\] has xxxxx/],
      [22, 'error', /^Command in \[Tool002\]/],
      [23, 'error', /^LogFile in \[Tool002\]/],
      [24, 'error', /^Directory in \[Tool002\]/],
    ]);
    // What is refused is left out: no command from a refused line ever runs.
    expect(r.value.timeoutSeconds).toBe(DEFAULT_TIMEOUT_SECONDS);
    expect(r.value.defaultTools).toMatchObject({ command: 'c:\\xxx\\xxx\\xxx.bat', logFiles: [], directory: 'c:\\xxx\\xxx' });
    expect(r.value.noneTrouble).toEqual([]);
    expect(r.value.tools.map((t) => [t.command, t.logFiles, t.directory, t.matchers])).toEqual([
      [null, [], null, []],
      [null, [], null, []],
    ]);
  });

  it('an empty file: the defaults, no tools, no diagnostics', () => {
    const r = log('');
    expectDiagnostics(r, []);
    expect(r.value).toEqual({ timeoutSeconds: 600, maxSizeKB: 0, maxSizeBytes: 700 * 1024 * 1024, defaultTools: null, noneTrouble: [], tools: [] });
  });

  describe('[Configuration]', () => {
    it.each<[string, number, number]>([
      ['TimeOut=0\nMaxSize=0', 0, 0],
      ['Timeout=1\nmaxsize=1', 1, 1],
      ['TimeOut= 0600 \nMaxSize=102400', 600, 102400],
      [`TimeOut=${MAX_TIMEOUT_SECONDS}\nMaxSize=4294967295`, MAX_TIMEOUT_SECONDS, 4294967295],
    ])('%s', (body, timeout, max) => {
      const r = log(`[Configuration]\n${body}\n`);
      expectDiagnostics(r, []);
      expect(r.value).toMatchObject({ timeoutSeconds: timeout, maxSizeKB: max, maxSizeBytes: maxSizeBytes(max) });
    });

    it('MaxSize=0 is the program limit, 700 MiB; other values are KB', () => {
      expect(maxSizeBytes(0)).toBe(700 * 1024 * 1024);
      expect(maxSizeBytes(1)).toBe(1024);
    });

    it.each<[string, Diag]>([
      ['TimeOut=-1', [2, 'error', /^TimeOut in \[Configuration\] \(seconds; 0 = no time limit\) must be an integer of 0 or more \(digits only\), not -1; the default 600 is used/]],
      ['TimeOut=1.5', [2, 'error', /not 1\.5/]],
      ['TimeOut=10s', [2, 'error', /not 10s/]],
      ['TimeOut=0x10', [2, 'error', /not 0x10/]],
      ['TimeOut=', [2, 'error', /^TimeOut in \[Configuration\] .* is empty; write an integer of 0 or more, or leave the key out for the default/]],
      [`TimeOut=${MAX_TIMEOUT_SECONDS + 1}`, [2, 'error', /is 2147484; the largest value is 2147483/]],
      ['TimeOut=99999999999999999999999', [2, 'error', /the largest value is 2147483/]],
      ['MaxSize=-5', [2, 'error', /^MaxSize in \[Configuration\] \(KB; 0 = the program's limit, 716800 KB\) must be an integer .*not -5; the default 0 is used/]],
      ['MaxSize=4294967296', [2, 'error', /^MaxSize .*the largest value is 4294967295/]],
      ['MaxSize=1GB', [2, 'error', /^MaxSize .*not 1GB/]],
      ['Retry=3', [2, 'warning', /^unknown key Retry in \[Configuration\] is ignored \(the keys of \[Configuration\] are TimeOut and MaxSize\)/]],
    ])('%s', (line, diag) => {
      const r = log(`[Configuration]\n${line}\n`);
      expectDiagnostics(r, [diag]);
      expect(r.value.timeoutSeconds).toBe(600);
      expect(r.value.maxSizeKB).toBe(0);
    });
  });

  describe('Command, LogFile, Directory', () => {
    it.each([
      'C:\\tools\\collect.bat',
      'c:/tools/collect.bat',
      'C:\\Program Files\\ESMPRO\\collect tool.exe',
      'C:\\ESM\\AlertMan\\Work\\WebReprt\\collect',
      '\\\\server\\share\\collect.cmd',
      '//server/share/collect.cmd',
      '/opt/nec/esm/collect.sh',
      '/opt/my tools/collect',
      'C:\\tools\\v1.2\\collect.bat',
      'C:\\new\\tab.bat',
    ])('Command=%s is accepted as written', (command) => {
      const r = log(`[DefaultTools]\nCommand="${command}"\n`);
      expectDiagnostics(r, []);
      expect(r.value.defaultTools?.command).toBe(command);
    });

    it.each<[string, RegExp]>([
      ['C:\\x.bat; rm -rf /', /contains a command separator \(;\); a Command is a plain path, run without a shell/],
      ['/bin/sh -c "rm -rf /"', /contains a double quote/],
      ['C:\\x.bat > C:\\out.txt', /contains redirection \(>\)/],
      ['C:\\x.bat >> C:\\out.txt', /contains redirection \(>\)/],
      ['C:\\x.bat 2>&1', /contains redirection \(>\)/],
      ['C:\\x.bat < C:\\in.txt', /contains redirection \(<\)/],
      ['C:\\x.bat | more', /contains a pipe \(\|\)/],
      ['C:\\x.bat & C:\\y.bat', /contains a command separator \(&\)/],
      ['C:\\x.bat && del C:\\y', /contains a command separator \(&\)/],
      ['/bin/echo `id`', /contains command substitution \(`\)/],
      ['/bin/echo $(id)', /contains command substitution \(\$\(\)/],
      ['/bin/echo ${HOME}', /contains variable substitution/],
      ['C:\\tools\\collect.bat -all', /has an argument \(-all\); a Command cannot take arguments/],
      ['C:\\tools\\collect.bat /all', /has an argument \(\/all\)/],
      ['C:\\tools\\collect.exe C:\\out', /has an argument \(C:\\out\)/],
      ['C:\\tools\\collect.bat all', /has an argument \(all\)/],
      ['/usr/bin/collect -v', /has an argument \(-v\)/],
      ['/usr/bin/collect /tmp/out', /has an argument \(\/tmp\/out\)/],
      ['collect.bat', /is not an absolute path: write C:\\…, \\\\server\\share\\… or \/…/],
      ['tools\\collect.bat', /is not an absolute path/],
      ['\\tools\\collect.bat', /a path starting with a single \\ has no drive/],
      ['C:collect.bat', /write a \\ after the drive letter/],
      ['c:¥xxx¥xxx.bat', /¥ \(U\+00A5\) is not a path separator/],
      ['c:￥xxx￥xxx.bat', /￥ \(U\+FFE5\) is not a path separator/],
      ['C:\\tools\\', /ends with a path separator: name a program, not a folder/],
      ['C:\\tools\\col*.bat', /contains a wildcard \(\* or \?\)/],
      ['C:\\tools\\collect?.bat', /contains a wildcard/],
      ['C:\\%TOOLS%\\collect.bat', /contains % \(cmd.exe, which runs a .bat, would expand %NAME%\)/],
      ['C:\\100%\\collect.bat', /contains %/],
      ['C:\\tools\\a^b.bat', /contains \^ \(the cmd.exe escape character\)/],
      ['C:\\tools\\wow!.bat', /contains ! \(cmd.exe delayed expansion\)/],
      ['C:\\$Recycle.Bin\\x.bat', /contains \$ \(shell expansion\)/],
      ["C:\\Users\\O'Brien\\x.bat", /contains a single quote/],
      ['C:\\tools\\a:b.bat', /contains ":" after the drive letter/],
      ['C:\\tools \\x.bat', /has a space at the end of a path component/],
    ])('Command=%s is refused and never run', (command, message) => {
      const text = `[DefaultTools]\nCommand=${command}\n${TOOL}Command=${command}\n`;
      const r = log(text);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([
        { file: 'AMHTPLOG.INF', line: 2, severity: 'error', message: expect.stringMatching(new RegExp(`^Command in \\[DefaultTools\\] .*${message.source}.*; it is not run$`)), ...coded },
        { file: 'AMHTPLOG.INF', line: 6, severity: 'error', message: expect.stringMatching(new RegExp(`^Command in \\[Tool001\\] .*${message.source}`)), ...coded },
      ]);
      expect(r.value.defaultTools).toBeNull();
      expect(r.value.tools[0]?.command).toBeNull();
    });

    it('a quoted Command followed by an argument is an unbalanced quote and is not run', () => {
      const r = log('[DefaultTools]\nCommand="C:\\Program Files\\x.bat" -v\n');
      expect(r.diagnostics.map((d) => [d.line, d.severity])).toEqual([
        [2, 'error'],
        [2, 'error'],
      ]);
      expect(r.diagnostics[0]?.message).toMatch(/unbalanced double quote/);
      expect(r.value.defaultTools).toBeNull();
    });

    it.each<[string, string, RegExp]>([
      ['LogFile', 'logs\\x.log', /^LogFile in \[Tool001\] is not an absolute path.*; it is not collected$/],
      ['LogFile', 'C:\\logs\\*.log', /^LogFile in \[Tool001\] contains the wildcard \*; name a file or a folder/],
      ['LogFile', 'C:\\a.log,C:\\b.log', /^LogFile in \[Tool001\] names more than one path; LogFile is one file or folder/],
      ['LogFile', 'C:\\a.log, \\\\srv\\s\\b.log', /names more than one path/],
      ['LogFile', 'C:\\a<b.log', /contains <, which a Windows path cannot contain/],
      ['Directory', 'work', /^Directory in \[Tool001\] is not an absolute path.*; the Command runs in its own folder$/],
      ['Directory', 'c:¥work', /^Directory in \[Tool001\] is not an absolute path: ¥/],
    ])('%s=%s', (key, path_, message) => {
      const r = log(`${TOOL}Command=C:\\x.bat\n${key}="${path_}"\n`);
      expectDiagnostics(r, [[5, 'error', message]]);
      expect(r.value.tools[0]).toMatchObject({ command: 'C:\\x.bat', logFiles: [], directory: null });
    });

    it('LogFile is one path: a file, a folder (with a trailing separator or not), UNC or POSIX; a comma inside a name is fine', () => {
      for (const p of ['C:\\logs\\app.log', 'C:\\logs', 'C:\\logs\\', '\\\\srv\\share\\logs', '/var/log/nec/', 'C:\\logs\\a,b.log', 'C:\\ログ\\表']) {
        const r = log(`${TOOL}LogFile="${p}"\n`);
        expectDiagnostics(r, []);
        expect(r.value.tools[0]?.logFiles).toEqual([p]);
      }
    });

    it('a second LogFile line is a duplicate key, not a second file', () => {
      const r = log(`${TOOL}LogFile=C:\\a.log\nLogFile=C:\\b.log\n`);
      expectDiagnostics(r, [[5, 'error', /^duplicate key LogFile in \[Tool001\] \(first at line 4\); the first one is used/]]);
      expect(r.value.tools[0]?.logFiles).toEqual(['C:\\a.log']);
    });

    it('%VAR% is not expanded: an error in a Command, a warning in LogFile and Directory (the path as written)', () => {
      const r = log(`${TOOL}Command=C:\\%TOOLS%\\collect.bat\nLogFile=C:\\%LOGS%\nDirectory=C:\\%WORK%\n`);
      expectDiagnostics(r, [
        [4, 'error', /^Command in \[Tool001\] contains % /],
        [5, 'warning', /^LogFile in \[Tool001\] contains %LOGS%: environment variables are not expanded, the path is taken as written/],
        [6, 'warning', /^Directory in \[Tool001\] contains %WORK%/],
      ]);
      expect(r.value.tools[0]).toMatchObject({ command: null, logFiles: ['C:\\%LOGS%'], directory: 'C:\\%WORK%' });
    });

    it('LogFile and Directory may hold characters a Command may not', () => {
      const r = log(`${TOOL}Command=C:\\x.bat\nLogFile=C:\\R&D\\O'Brien\\$logs!\nDirectory=C:\\a;b\n`);
      expectDiagnostics(r, []);
      expect(r.value.tools[0]).toMatchObject({ logFiles: ["C:\\R&D\\O'Brien\\$logs!"], directory: 'C:\\a;b' });
    });

    it('every character the collector refuses at run time is refused by the checker', () => {
      const chars = SHELL_METACHARACTERS.source.replace(/^\[|\]$/g, '').replace(/\\r|\\n|\\0/g, '').replace(/\\/g, '').split('');
      expect(chars.length).toBeGreaterThan(10);
      for (const c of [...chars, '\r', '\n']) {
        const problem = commandProblem(`C:\\tools\\a${c}b.bat`);
        expect(problem, `character ${JSON.stringify(c)}`).not.toBeNull();
        expect(SHELL_METACHARACTERS.test(`C:\\a${c}`)).toBe(true);
      }
    });

    it('Directory without a Command is unused', () => {
      expectDiagnostics(log(`${TOOL}LogFile=C:\\l\nDirectory=C:\\work\n`), [[5, 'warning', /^Directory in \[Tool001\] is not used: the section has no Command/]]);
    });

    it('unknown keys in a tool section', () => {
      expectDiagnostics(log(`${TOOL}Command=C:\\x.bat\nArguments=-v\n`), [
        [5, 'warning', /^unknown key Arguments in \[Tool001\] is ignored \(the keys of \[Tool001\] are Command, LogFile, Directory and SourceNameXX\/EventIDXX\)/],
      ]);
      expectDiagnostics(log('[DefaultTools]\nCommand=C:\\x.bat\nSourceName01=Disk\nEventID01=*\n'), [
        [3, 'warning', /^unknown key SourceName01 in \[DefaultTools\] is ignored \(the keys of \[DefaultTools\] are Command, LogFile and Directory\)/],
        [4, 'warning', /^unknown key EventID01 in \[DefaultTools\]/],
      ]);
    });
  });

  describe('[DefaultTools]', () => {
    it('with a Command it is used for events no tool names', () => {
      const r = log('[DefaultTools]\nCommand=C:\\x.bat\nLogFile=C:\\logs\nDirectory=C:\\work\n');
      expectDiagnostics(r, []);
      expect(r.value.defaultTools).toEqual({ section: 'DefaultTools', line: 1, command: 'C:\\x.bat', logFiles: ['C:\\logs'], directory: 'C:\\work', matchers: [] });
    });

    it.each(['[DefaultTools]\nLogFile=C:\\logs\n', '[DefaultTools]\nCommand=\nLogFile=C:\\logs\n', '[DefaultTools]\nCommand=""\nLogFile=C:\\logs\n'])(
      'without a Command (%j) it is not used (seed 2968), with a warning at the section',
      (text) => {
        const r = log(text);
        expectDiagnostics(r, [[1, 'warning', /^\[DefaultTools\] has no Command, so it is not used: only events a \[ToolYYY\] names are collected, and its LogFile is not/]]);
        expect(r.value.defaultTools).toBeNull();
      },
    );

    it('an empty [DefaultTools] is simply not used', () => {
      const r = log('[DefaultTools]\n');
      expectDiagnostics(r, []);
      expect(r.value.defaultTools).toBeNull();
    });
  });

  describe('SourceNameXX / EventIDXX', () => {
    it.each<[string, '*' | number[]]>([
      ['*', '*'],
      ['0x00000000', [0]],
      ['0xFFFFFFFF', [0xffffffff]],
      ['0xc0000007', [0xc0000007]],
      ['0X4000000A', [0x4000000a]],
      ['0x40000065,0x40000066', [0x40000065, 0x40000066]],
      ['0x40000065 , 0x40000066 ,0x40000067', [0x40000065, 0x40000066, 0x40000067]],
    ])('EventID01=%s', (ids, expected) => {
      const r = log(`[NoneTrouble]\nSourceName01=Disk\nEventID01=${ids}\n`);
      expectDiagnostics(r, []);
      expect(r.value.noneTrouble).toEqual([{ source: 'Disk', eventIds: expected, number: 1, line: 2 }]);
    });

    it.each<[string, RegExp]>([
      ['', /^EventID01 in \[NoneTrouble\] is empty; write event ids as 0x \+ 8 hex digits/],
      ['1234', /has 1234, a decimal number; write event ids in hexadecimal with all 32 bits: 0x000004D2/],
      ['0x4D2', /has 0x4D2 with 3 hex digits; write all 32 bits as 0x \+ 8 hex digits \(0x000004D2\)/],
      ['0x1234567890', /has 0x1234567890 with 10 hex digits; an event id is 32 bits/],
      ['0xC000000G', /has 0xC000000G, which is not an event id/],
      ['0x40000065,', /has an empty item \(item 2 of 2: a comma too many\?\)/],
      ['0x40000065,,0x40000066', /has an empty item \(item 2 of 3/],
      ['*,0x40000065', /\* stands alone: write EventIDXX=\* for every id/],
      ['0x40000065 0x40000066', /has 0x40000065 0x40000066, which is not an event id/],
      ['0x40000065;0x40000066', /which is not an event id/],
    ])('EventID01=%s is refused at its line; the pair is left out', (ids, message) => {
      const r = log(`[NoneTrouble]\nSourceName01=Disk\nEventID01=${ids}\nSourceName02=Other\nEventID02=*\n`);
      expectDiagnostics(r, [[3, 'error', message]]);
      expect(r.value.noneTrouble.map((m) => m.source)).toEqual(['Other']);
    });

    it('a repeated id is a warning', () => {
      expectDiagnostics(log('[NoneTrouble]\nSourceName01=Disk\nEventID01=0x40000065,0x40000065\n'), [[3, 'warning', /^EventID01 in \[NoneTrouble\] lists 0x40000065 more than once/]]);
    });

    it('SourceName * is every source; an empty SourceName is refused', () => {
      expect(log('[NoneTrouble]\nSourceName01="*"\nEventID01=*\n').value.noneTrouble).toEqual([{ source: '*', eventIds: '*', number: 1, line: 2 }]);
      expectDiagnostics(log('[NoneTrouble]\nSourceName01=\nEventID01=*\n'), [[2, 'error', /^SourceName01 in \[NoneTrouble\] is empty; write an event source name, or \* for every source/]]);
    });

    it('pairs: a SourceName without its EventID and the reverse are errors at their own line', () => {
      const r = log('[Tool001]\nSourceName01=Disk\nEventID02=*\nSourceName03=Net\nEventID03=*\nCommand=C:\\x.bat\n');
      expectDiagnostics(r, [
        [2, 'error', /^SourceName01 in \[Tool001\] has no EventID01: write the pair SourceName01 and EventID01/],
        [3, 'error', /^EventID02 in \[Tool001\] has no SourceName02/],
      ]);
      expect(r.value.tools[0]?.matchers).toEqual([{ source: 'Net', eventIds: '*', number: 3, line: 4 }]);
    });

    it('XX is 01–99, two digits', () => {
      const r = log('[NoneTrouble]\nSourceName1=Disk\nEventID1=*\nSourceName00=A\nEventID100=*\nSourceName99=Z\nEventID99=*\nSourceNameAB=x\n');
      expectDiagnostics(r, [
        [2, 'error', /^SourceName1 in \[NoneTrouble\]: the number after SourceName must be two digits 01–99 \(SourceName01\?\); the key is ignored/],
        [3, 'error', /^EventID1 in \[NoneTrouble\]: the number after EventID must be two digits 01–99 \(EventID01\?\)/],
        [4, 'error', /^SourceName00 in \[NoneTrouble\]: the number after SourceName must be two digits 01–99; the key/],
        [5, 'error', /^EventID100 in \[NoneTrouble\]: the number/],
        [6, 'warning', /^SourceName99\/EventID99 in \[NoneTrouble\] follow a gap \(no 01–98\)/],
        [8, 'error', /^SourceNameAB in \[NoneTrouble\]: the number/],
      ]);
      expect(r.value.noneTrouble).toEqual([{ source: 'Z', eventIds: '*', number: 99, line: 6 }]);
    });

    it('numbers out of order are used in number order; a gap is a warning', () => {
      const r = log('[NoneTrouble]\nSourceName02=B\nEventID02=*\nSourceName01=A\nEventID01=*\nEventID04=*\nSourceName04=D\n');
      expectDiagnostics(r, [[6, 'warning', /^SourceName04\/EventID04 in \[NoneTrouble\] follow a gap \(no 03\); the seed numbers the pairs consecutively from 01; the pair is used/]]);
      expect(r.value.noneTrouble.map((m) => m.source)).toEqual(['A', 'B', 'D']);
    });

    it('other keys in [NoneTrouble] are warnings', () => {
      expectDiagnostics(log('[NoneTrouble]\nCommand=C:\\x.bat\n'), [[2, 'warning', /^unknown key Command in \[NoneTrouble\] is ignored \(the keys of \[NoneTrouble\] are SourceNameXX and EventIDXX\)/]]);
    });
  });

  describe('[Tool001]–[Tool999]', () => {
    it('tools in number order, whatever the file order; a gap is a warning', () => {
      const t = (n: string) => `[Tool${n}]\nSourceName01=S${n}\nEventID01=*\nCommand=C:\\t${n}.bat\n`;
      const r = log(t('002') + t('001') + t('999'));
      expectDiagnostics(r, [[9, 'warning', /^\[Tool999\] follows a gap \(no \[Tool003\]–\[Tool998\]\); the seed numbers tools consecutively from Tool001; it is used/]]);
      expect(r.value.tools.map((x) => [x.section, x.line, x.command])).toEqual([
        ['Tool001', 5, 'C:\\t001.bat'],
        ['Tool002', 1, 'C:\\t002.bat'],
        ['Tool999', 9, 'C:\\t999.bat'],
      ]);
    });

    it.each(['Tool000', 'Tool1', 'Tool01', 'Tool1000', 'Tool 001', 'ToolABC', 'Tools'])('[%s] is not a tool section: error, ignored', (name) => {
      const r = log(`[${name}]\nSourceName01=Disk\nEventID01=*\nCommand=C:\\x.bat\n`);
      expectDiagnostics(r, [[1, 'error', new RegExp(`^\\[${name}\\] is not a tool section: tools are \\[Tool001\\]–\\[Tool999\\] \\(three digits\\); it is ignored`)]]);
      expect(r.value.tools).toEqual([]);
    });

    it('a tool that names no event never runs; one without Command and LogFile collects nothing', () => {
      expectDiagnostics(log('[Tool001]\nCommand=C:\\x.bat\n'), [[1, 'warning', /^\[Tool001\] names no event \(no SourceNameXX\/EventIDXX pair\): it never runs/]]);
      expectDiagnostics(log('[Tool001]\nSourceName01=Disk\nEventID01=*\n'), [[1, 'warning', /^\[Tool001\] has neither Command nor LogFile: it collects nothing/]]);
    });

    it('a tool with only a LogFile collects it', () => {
      const r = log(`${TOOL}LogFile=C:\\logs\n`);
      expectDiagnostics(r, []);
      expect(r.value.tools[0]).toMatchObject({ command: null, logFiles: ['C:\\logs'] });
    });

    it('unknown sections are warnings', () => {
      expectDiagnostics(log('[Schedule]\nScheduleType=every week\n'), [[1, 'warning', /^unknown section \[Schedule\] is ignored \(AMHTPLOG.INF has \[Configuration\], \[DefaultTools\], \[NoneTrouble\] and \[Tool001\]–\[Tool999\]\)/]]);
    });
  });
});

describe('AMHTPHBI.INF', () => {
  const valid = '[Configuration]\nTimeOut=600\nMaxSize=0\n[Tools]\nCommand="C:\\x.bat"\nLogFile="C:\\logs"\nDirectory="C:\\work"\n[Schedule]\nScheduleType=every month\nScheduleDay=1\nScheduleTime=03:00\n';

  it('a realistic file in Shift_JIS with CRLF', async () => {
    const r = await readHbi(path.join(FIXTURES, 'sjis/AMHTPHBI.INF'));
    expectDiagnostics(r, []);
    expect(r.value).toEqual({
      timeoutSeconds: 1200,
      maxSizeKB: 102400,
      maxSizeBytes: 102400 * 1024,
      tools: {
        section: 'Tools',
        line: 6,
        command: 'C:\\ESM\\AlertMan\\Work\\WebReprt\\ソフト\\構成情報.bat',
        logFiles: ['C:\\ESM\\構成情報\\表'],
        directory: 'C:\\ESM\\AlertMan\\Work\\WebReprt',
        matchers: [],
      },
      schedule: { type: 'month', day: 1 },
      time: { hour: 3, minute: 0 },
    });
  });

  it("the seed's template (2998–3031) as written", async () => {
    const r = await readHbi(path.join(FIXTURES, 'seed/AMHTPHBI.INF'));
    expectDiagnostics(r, [
      [2, 'error', /^TimeOut in \[Configuration\] .*not xxxx/],
      [5, 'error', /^Command in \[Tools\] contains % \(cmd.exe, which runs a .bat, would expand %NAME%\)/],
      [6, 'warning', /^LogFile in \[Tools\] contains %xxx%/],
      [7, 'warning', /^Directory in \[Tools\] contains %xxx%/],
      [10, 'error', /^ScheduleDay in \[Schedule\] must be a number \(every month: a day 1–31\), not xx/],
      [11, 'error', /^ScheduleTime in \[Schedule\] must be HH:MM \(hour 0–23, minute 0–59\), not xx:xx/],
    ]);
    expect(r.value.schedule).toBeNull();
    expect(r.value.time).toBeNull();
  });

  it('valid', () => {
    const r = hbi(valid);
    expectDiagnostics(r, []);
    expect(r.value).toMatchObject({ schedule: { type: 'month', day: 1 }, time: { hour: 3, minute: 0 }, tools: { command: 'C:\\x.bat', logFiles: ['C:\\logs'], directory: 'C:\\work' } });
  });

  it('an empty Command runs no tool (seed 3017); the LogFile is still collected', () => {
    const r = hbi(valid.replace('Command="C:\\x.bat"', 'Command=""').replace('Directory="C:\\work"\n', ''));
    expectDiagnostics(r, []);
    expect(r.value.tools).toMatchObject({ command: null, logFiles: ['C:\\logs'], directory: null });
  });

  it('the Command rules apply to [Tools]', () => {
    const r = hbi(valid.replace('Command="C:\\x.bat"', 'Command=C:\\x.bat > C:\\out.txt'));
    expectDiagnostics(r, [[5, 'error', /^Command in \[Tools\] contains redirection \(>\)/]]);
    expect(r.value.tools.command).toBeNull();
  });

  it.each<[string, string, { type: 'month' | 'week'; day: number }]>([
    ['every month', '1', { type: 'month', day: 1 }],
    ['every month', '31', { type: 'month', day: 31 }],
    ['every month', '01', { type: 'month', day: 1 }],
    ['Every Month', '15', { type: 'month', day: 15 }],
    ['"every week"', '0', { type: 'week', day: 0 }],
    ['every  week', '6', { type: 'week', day: 6 }],
  ])('ScheduleType=%s ScheduleDay=%s', (type, day, expected) => {
    const r = hbi(valid.replace('ScheduleType=every month', `ScheduleType=${type}`).replace('ScheduleDay=1', `ScheduleDay=${day}`));
    expectDiagnostics(r, []);
    expect(r.value.schedule).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['every month', '0', /^ScheduleDay in \[Schedule\] is 0; every month: a day 1–31/],
    ['every month', '32', /^ScheduleDay in \[Schedule\] is 32; every month: a day 1–31/],
    ['every week', '7', /^ScheduleDay in \[Schedule\] is 7; every week: 0 \(Sunday\)–6 \(Saturday\)/],
    ['every week', '-1', /^ScheduleDay in \[Schedule\] must be a number \(every week: 0 \(Sunday\)–6 \(Saturday\)\), not -1/],
    ['every month', '', /^ScheduleDay in \[Schedule\] must be a number .*not \(empty\)/],
    ['every month', '1st', /not 1st/],
    ['every month', '100', /must be a number/],
  ])('ScheduleType=%s ScheduleDay=%s is refused', (type, day, message) => {
    const r = hbi(valid.replace('ScheduleType=every month', `ScheduleType=${type}`).replace('ScheduleDay=1', `ScheduleDay=${day}`));
    expectDiagnostics(r, [[10, 'error', message]]);
    expect(r.value.schedule).toBeNull();
    expect(r.value.time).toEqual({ hour: 3, minute: 0 });
  });

  it.each(['every day', 'monthly', 'everymonth', ''])('ScheduleType=%s is refused; ScheduleDay is checked against 0–31', (type) => {
    const r = hbi(valid.replace('ScheduleType=every month', `ScheduleType=${type}`).replace('ScheduleDay=1', 'ScheduleDay=40'));
    expectDiagnostics(r, [
      [9, 'error', /^ScheduleType in \[Schedule\] must be every month or every week, not /],
      [10, 'error', /^ScheduleDay in \[Schedule\] is 40; 1–31 \(every month\) or 0–6 \(every week\)/],
    ]);
    expect(r.value.schedule).toBeNull();
  });

  it.each<[string, { hour: number; minute: number }]>([
    ['00:00', { hour: 0, minute: 0 }],
    ['23:59', { hour: 23, minute: 59 }],
    ['9:05', { hour: 9, minute: 5 }],
    ['09:05', { hour: 9, minute: 5 }],
  ])('ScheduleTime=%s', (time, expected) => {
    const r = hbi(valid.replace('ScheduleTime=03:00', `ScheduleTime=${time}`));
    expectDiagnostics(r, []);
    expect(r.value.time).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['24:00', /^ScheduleTime in \[Schedule\] has the hour 24; the hour is 0–23/],
    ['12:60', /^ScheduleTime in \[Schedule\] has the minute 60; the minute is 0–59/],
    ['12:5', /must be HH:MM \(hour 0–23, minute 0–59\), not 12:5/],
    ['1200', /not 1200/],
    ['12:00:00', /not 12:00:00/],
    ['午前3:00', /not 午前3:00/],
    ['', /not \(empty\)/],
  ])('ScheduleTime=%s is refused', (time, message) => {
    const r = hbi(valid.replace('ScheduleTime=03:00', `ScheduleTime=${time}`));
    expectDiagnostics(r, [[11, 'error', message]]);
    expect(r.value.time).toBeNull();
    expect(r.value.schedule).toEqual({ type: 'month', day: 1 });
  });

  it('[Schedule] and its keys are required: the section line, or line 1', () => {
    expectDiagnostics(hbi('[Tools]\nCommand=\n'), [[1, 'error', /^the section \[Schedule\] is missing: write \[Schedule\] with ScheduleType, ScheduleDay and ScheduleTime/]]);
    expectDiagnostics(hbi('[Tools]\nCommand=\n\n[Schedule]\nWhen=always\n'), [
      [4, 'error', /^ScheduleType in \[Schedule\] is missing/],
      [4, 'error', /^ScheduleDay in \[Schedule\] is missing/],
      [4, 'error', /^ScheduleTime in \[Schedule\] is missing/],
      [5, 'warning', /^unknown key When in \[Schedule\] is ignored/],
    ]);
  });

  it('[Tools] missing is a warning; unknown sections and matcher keys in [Tools] are warnings', () => {
    const schedule = '[Schedule]\nScheduleType=every week\nScheduleDay=0\nScheduleTime=0:00\n';
    expectDiagnostics(hbi(schedule), [[1, 'warning', /^the section \[Tools\] is missing: the configuration report runs no tool and collects no log file/]]);
    expectDiagnostics(hbi(`[Tools]\nCommand=C:\\x.bat\nSourceName01=Disk\n[Tool001]\n${schedule}`), [
      [3, 'warning', /^unknown key SourceName01 in \[Tools\]/],
      [4, 'warning', /^unknown section \[Tool001\] is ignored \(AMHTPHBI.INF has \[Configuration\], \[Tools\] and \[Schedule\]\)/],
    ]);
  });

  it('[Configuration] rules as in AMHTPLOG.INF', () => {
    const r = hbi(valid.replace('TimeOut=600', 'TimeOut=0').replace('MaxSize=0', 'MaxSize=abc'));
    expectDiagnostics(r, [[3, 'error', /^MaxSize in \[Configuration\] .*not abc; the default 0 is used/]]);
    expect(r.value).toMatchObject({ timeoutSeconds: 0, maxSizeKB: 0 });
  });
});

describe('files', () => {
  it('a missing file, a folder, an unreadable file, an oversized file: one error on line 1', async () => {
    const dir = path.join(tmp.dir, 'files');
    mkdirSync(dir);
    const big = path.join(dir, 'big.inf');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x20));
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing.inf'), /^cannot read the file: the file does not exist/],
      [dir, /^cannot read the file: it is a folder/],
      [big, /^the file is 1048577 bytes; a definition file is at most 1048576 bytes/],
    ];
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.inf');
      writeFileSync(locked, '[URL1]\n');
      chmodSync(locked, 0);
      cases.push([locked, /^cannot read the file: permission denied/]);
    }
    for (const [file, message] of cases) {
      for (const kind of ['adr', 'log', 'hbi'] as const) {
        const r = await readDefinitionFile(kind, file);
        expect(r.diagnostics).toEqual([{ file, line: 1, severity: 'error', message: expect.stringMatching(message), ...coded }]);
        expect(r.encoding).toBeNull();
        expect(r.ok).toBe(false);
      }
    }
  });

  it('the kind from the file name', () => {
    expect(kindFromFileName('C:\\ESM\\AlertMan\\Work\\WebReprt\\AMHTPADR.INF')).toBe('adr');
    expect(kindFromFileName('/x/amhtplog.inf')).toBe('log');
    expect(kindFromFileName('AmHtPhBi.InF.bak')).toBe('hbi');
    expect(kindFromFileName('/x/definition.ini')).toBeNull();
    expect(kindFromFileName('AMHTPADR-AMHTPLOG.INF')).toBeNull();
  });
});

describe('never throws', () => {
  const sources = ['seed/AMHTPADR.INF', 'seed/AMHTPLOG.INF', 'seed/AMHTPHBI.INF', 'sjis/AMHTPADR.INF', 'sjis/AMHTPLOG.INF', 'sjis/AMHTPHBI.INF'].map((f) =>
    readFileSync(path.join(FIXTURES, f)),
  );
  const parsers = [parseAdr, parseLog, parseHbi];

  it('random bytes, every reader', () => {
    for (let i = 0; i < 1500; i++) {
      const bytes = randomBytes(Math.floor(Math.random() * 300));
      for (const parse of parsers) {
        const r = parse(bytes, 'f');
        expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'error'));
      }
    }
  });

  it('mutated valid files: deleted, duplicated and swapped lines, flipped bytes, inserted syntax', () => {
    const snippets = ['[', ']', '=', '"', ';', ',', '*', '0x', '\\', '¥', '\r\n', '\n', '[Tool001]', 'SourceName01=', 'EventID01=', 'Command=', 'ScheduleDay=', ':', '99999999999'];
    const pick = <T>(a: T[]): T => a[Math.floor(Math.random() * a.length)]!;
    for (let i = 0; i < 1500; i++) {
      const source = pick(sources);
      const text = iconv.decode(source, 'cp932');
      const lines = text.split(/\r\n|\n/);
      for (let m = 0; m < 1 + Math.floor(Math.random() * 4); m++) {
        const at = Math.floor(Math.random() * lines.length);
        const op = Math.floor(Math.random() * 4);
        if (op === 0) lines.splice(at, 1);
        else if (op === 1) lines.splice(at, 0, lines[at] ?? '');
        else if (op === 2) lines.splice(at, 1, pick(lines), lines[at] ?? '');
        else {
          const l = lines[at] ?? '';
          const pos = Math.floor(Math.random() * (l.length + 1));
          lines[at] = l.slice(0, pos) + pick(snippets) + l.slice(pos);
        }
      }
      let bytes: Buffer = Math.random() < 0.5 ? Buffer.from(lines.join('\r\n')) : iconv.encode(lines.join('\n'), 'cp932');
      if (Math.random() < 0.2 && bytes.length > 0) {
        bytes = Buffer.from(bytes);
        bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
      }
      // Lines as the file has them (inserted snippets and flipped bytes may add line ends;
      // 0x0A and 0x0D are never a Shift_JIS second byte).
      let lineCount = 1;
      for (let b = 0; b < bytes.length; b++) if (bytes[b] === 0x0a || (bytes[b] === 0x0d && bytes[b + 1] !== 0x0a)) lineCount++;
      for (const parse of parsers) {
        const r = parse(bytes, 'f');
        for (const d of r.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.message.length).toBeGreaterThan(0);
          expect(renderDiagnostic(d, 'ja')).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
        }
        // A refused Command is never in the value.
        const value = r.value as { tools?: unknown; defaultTools?: unknown };
        const tools = [value.defaultTools, ...(Array.isArray(value.tools) ? value.tools : [value.tools])].filter(Boolean) as Array<{ command: string | null }>;
        for (const t of tools) if (t.command !== null) expect(t.command).not.toMatch(SHELL_METACHARACTERS);
      }
    }
  });
});
