import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { infCheckLanguage, infCommand } from '../../src-main/cli/inf-command';
import { tempDir } from '../helpers/temp';

const FIXTURES = path.resolve(__dirname, '../fixtures/inf');
const tmp = tempDir('er-inf-cli-');
afterAll(() => tmp.remove());
let n = 0;
/** A file named `name` in a fresh folder. */
function put(name: string, data: string | Uint8Array): string {
  const file = path.join(tmp.dir, `${++n}-${name}`);
  writeFileSync(file, data);
  return file;
}

/** `inf` with `args` in an English locale (or `env`). */
async function runIn(env: NodeJS.ProcessEnv | undefined, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await infCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env });
  return { code, stdout, stderr };
}
const run = (...args: string[]) => runIn({ LANG: 'en_US.UTF-8' }, args);
const runJa = (...args: string[]) => runIn({ LANG: 'ja_JP.UTF-8' }, args);

describe('express-report inf check', () => {
  it('valid files: exit 0, a summary line only', async () => {
    const files = ['AMHTPADR.INF', 'AMHTPLOG.INF', 'AMHTPHBI.INF'].map((f) => path.join(FIXTURES, 'sjis', f));
    const r = await run('check', ...files);
    expect(r).toEqual({ code: 0, stdout: '3 files checked: 0 errors, 0 warnings\n', stderr: '' });
  });

  it('FILE:LINE: severity: message for each diagnostic, exit 1 on an error', async () => {
    const file = put('AMHTPLOG.INF', '[Tool001]\r\nSourceName01=Disk\r\nEventID01=*\r\nCommand=C:\\x.bat; rm -rf /\r\nArguments=-v\r\n');
    const r = await run('check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      `${file}:4: error: Command in [Tool001] contains a command separator (;); a Command is a plain path, run without a shell: write a batch file that does it and name that file; it is not run`,
      `${file}:5: warning: unknown key Arguments in [Tool001] is ignored (the keys of [Tool001] are Command, LogFile, Directory and SourceNameXX/EventIDXX)`,
      '1 file checked: 1 error, 1 warning',
      '',
    ]);
  });

  it('warnings alone: exit 0', async () => {
    const file = put('amhtpadr.inf', '[URL1]\nURL=https://a/\n[URL3]\n');
    const r = await run('check', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}:3: warning: unknown section [URL3] is ignored (AMHTPADR.INF has [URL1] and [URL2])\n1 file checked: 0 errors, 1 warning\n`);
  });

  it('--json: an array of { file, line, severity, code, message }, nothing else on stdout', async () => {
    const good = path.join(FIXTURES, 'seed/AMHTPADR.INF');
    const bad = put('AMHTPHBI.INF', iconv.encode('; 構成情報\r\n[Schedule]\r\nScheduleType=every week\r\nScheduleDay=7\r\nScheduleTime=25:00\r\n', 'cp932'));
    const r = await run('check', good, bad, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      { file: bad, line: 1, severity: 'warning', code: 'inf.hbi.noTools', message: expect.stringMatching(/^the section \[Tools\] is missing/) },
      { file: bad, line: 4, severity: 'error', code: 'inf.hbi.dayRange', message: 'ScheduleDay in [Schedule] is 7; every week: 0 (Sunday)–6 (Saturday)' },
      { file: bad, line: 5, severity: 'error', code: 'inf.hbi.hour', message: 'ScheduleTime in [Schedule] has the hour 25; the hour is 0–23' },
    ]);
    expect(Object.keys(JSON.parse(r.stdout)[0])).toEqual(['file', 'line', 'severity', 'code', 'message']);
  });

  it('--json with no diagnostics prints []', async () => {
    const r = await run('--json', 'check', path.join(FIXTURES, 'seed/AMHTPADR.INF'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('the kind follows the file name in any case; --kind sets it for other names', async () => {
    const text = '[URL1]\nURL=https://a/\n';
    expect((await run('check', put('AmHtPaDr.InF', text))).code).toBe(0);
    const other = put('destinations.ini', text);
    expect((await run('check', other, '--kind', 'adr')).code).toBe(0);
    // The same text read as a LOG file: unknown section.
    const asLog = await run('check', '--kind=log', other);
    expect(asLog.stdout).toMatch(/:1: warning: unknown section \[URL1\]/);
    // --kind wins over the name.
    const named = put('AMHTPLOG.INF', text);
    expect((await run('check', '--kind', 'adr', named)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('a missing file is an error on line 1, not a usage error', async () => {
    const file = path.join(tmp.dir, 'nowhere', 'AMHTPADR.INF');
    const r = await run('check', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${file}:1: error: cannot read the file: the file does not exist\n1 file checked: 1 error, 0 warnings\n`);
  });

  it('every file is checked, in order', async () => {
    const a = put('AMHTPADR.INF', '[URL1]\nURL=http://a/\n');
    const l = path.join(tmp.dir, `${++n}-AMHTPLOG.INF`);
    copyFileSync(path.join(FIXTURES, 'seed/AMHTPLOG.INF'), l);
    const r = await run('check', a, l, '--json');
    const out = JSON.parse(r.stdout) as Array<{ file: string; line: number }>;
    expect(out[0]).toMatchObject({ file: a, line: 2 });
    expect(out.slice(1).every((d) => d.file === l)).toBe(true);
    expect(out.length).toBe(13);
  });

  it.each<[string, string[], RegExp]>([
    ['no subcommand', [], /missing subcommand: inf check/],
    ['an unknown subcommand', ['lint', 'AMHTPADR.INF'], /unknown subcommand: inf lint/],
    ['no file', ['check'], /name at least one file/],
    ['no file with --json', ['check', '--json'], /name at least one file/],
    ['a bad --kind', ['check', '--kind', 'ini', 'x.inf'], /--kind must be adr, log or hbi, not ini/],
    ['--kind without a value', ['check', 'x.inf', '--kind'], /--kind/],
    ['an unknown option', ['check', '--fix', 'AMHTPADR.INF'], /Unknown option '--fix'/],
    ['a name of no kind', ['check', 'AMHTPADR.INF', 'setup.ini'], /cannot tell the kind of setup.ini from its name .*use --kind adr\|log\|hbi/],
  ])('%s: exit 2, the reason and the usage on stderr', async (_name, args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('--help prints the usage on stdout, exit 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: express-report inf check FILE\.\.\. \[--kind adr\|log\|hbi\] \[--json\]/);
  });
});

describe('express-report inf check in Japanese (LANG=ja_JP.UTF-8)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('diagnostics, severities and the summary in Japanese; the same exit status', async () => {
    const file = put('AMHTPLOG.INF', '[Tool001]\r\nSourceName01=Disk\r\nEventID01=*\r\nCommand=C:\\x.bat; rm -rf /\r\nArguments=-v\r\n');
    const r = await runJa('check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      `${file}:4: エラー: [Tool001] の Command: コマンドの区切り(;)が含まれています。Command はシェルを介さずに実行するパスです。その処理はバッチファイル等に記載し、そのファイルを指定してください。このコマンドは実行しません。`,
      `${file}:5: 警告: [Tool001] の不明なキー Arguments は無視します([Tool001] のキーは Command、LogFile、Directory と SourceNameXX/EventIDXX です)。`,
      '1 個のファイルを検査しました: エラー 1 件、警告 1 件',
      '',
    ]);
    const ok = await runJa('check', ...['AMHTPADR.INF', 'AMHTPLOG.INF', 'AMHTPHBI.INF'].map((f) => path.join(FIXTURES, 'sjis', f)));
    expect(ok).toEqual({ code: 0, stdout: '3 個のファイルを検査しました: エラー 0 件、警告 0 件\n', stderr: '' });
  });

  it('--json: the message in Japanese, with its code', async () => {
    const bad = put('AMHTPHBI.INF', iconv.encode('[Tools]\r\n[Schedule]\r\nScheduleType=every week\r\nScheduleDay=7\r\nScheduleTime=10:00\r\n', 'cp932'));
    const missing = path.join(tmp.dir, 'nowhere', 'AMHTPADR.INF');
    const r = await runJa('check', bad, missing, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      { file: bad, line: 4, severity: 'error', code: 'inf.hbi.dayRange', message: '[Schedule] の ScheduleDay が 7 です。指定できる値は every week(毎週)のとき 0(日曜日)~6(土曜日) です。' },
      { file: missing, line: 1, severity: 'error', code: 'inf.file.notFound', message: 'ファイルを読み込めません。ファイルが存在しません。' },
    ]);
  });

  it('follows LC_ALL, LC_MESSAGES and LANG from the environment; English unless Japanese', async () => {
    vi.stubEnv('LC_ALL', '');
    vi.stubEnv('LC_MESSAGES', '');
    vi.stubEnv('LANG', 'ja_JP.UTF-8');
    const file = put('amhtpadr.inf', '[URL1]\nURL=https://a/\n[URL3]\n');
    const ja = await runIn(undefined, ['check', file]);
    expect(ja.stdout).toBe(
      `${file}:3: 警告: 不明なセクション [URL3] は無視します(AMHTPADR.INF のセクションは [URL1] と [URL2] です)。\n1 個のファイルを検査しました: エラー 0 件、警告 1 件\n`,
    );
    vi.stubEnv('LC_ALL', 'C.UTF-8');
    expect((await runIn(undefined, ['check', file])).stdout).toMatch(/: warning: unknown section \[URL3\] is ignored/);

    expect(infCheckLanguage({ LANG: 'ja_JP.UTF-8' }, 'linux')).toBe('ja');
    expect(infCheckLanguage({ LANG: 'ja' }, 'linux')).toBe('ja');
    expect(infCheckLanguage({ LC_ALL: 'en_US.UTF-8', LANG: 'ja_JP.UTF-8' }, 'linux')).toBe('en');
    expect(infCheckLanguage({ LC_MESSAGES: 'ja_JP.eucJP', LANG: 'en_US.UTF-8' }, 'linux')).toBe('ja');
    expect(infCheckLanguage({}, 'linux')).toBe('en');
    expect(infCheckLanguage({ LANG: 'C' }, 'linux')).toBe('en');
    expect(infCheckLanguage({ LANG: 'jam_JM' }, 'linux')).toBe('en');
  });

  it('usage errors stay English, like the rest of the command line', async () => {
    const r = await runJa('check');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/name at least one file/);
  });
});
