import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { infCommand } from '../../src-main/cli/inf-command';
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

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await infCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

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

  it('--json: an array of { file, line, severity, message }, nothing else on stdout', async () => {
    const good = path.join(FIXTURES, 'seed/AMHTPADR.INF');
    const bad = put('AMHTPHBI.INF', iconv.encode('; 構成情報\r\n[Schedule]\r\nScheduleType=every week\r\nScheduleDay=7\r\nScheduleTime=25:00\r\n', 'cp932'));
    const r = await run('check', good, bad, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      { file: bad, line: 1, severity: 'warning', message: expect.stringMatching(/^the section \[Tools\] is missing/) },
      { file: bad, line: 4, severity: 'error', message: 'ScheduleDay in [Schedule] is 7; every week: 0 (Sunday)–6 (Saturday)' },
      { file: bad, line: 5, severity: 'error', message: 'ScheduleTime in [Schedule] has the hour 25; the hour is 0–23' },
    ]);
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
