/** The collection rules that need no processes: command syntax, archive names, MaxSize selection. */
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src-main/collect/errors';
import { archiveEntryName, selectWithinLimit, type FoundFile } from '../../src-main/collect/scan';
import { commandSyntaxProblem, isAbsoluteFor } from '../../src-main/collect/tools';

describe('commandSyntaxProblem', () => {
  it.each([
    '/usr/local/bin/collect.sh',
    '/opt/tools/with space/run',
    '/opt/(x86)/run~1',
  ])('accepts the POSIX path %s', (cmd) => {
    expect(commandSyntaxProblem(cmd, 'linux')).toBeNull();
  });

  it.each([
    'c:\\xxx\\xxx\\xxx.bat',
    'C:/ESM/tools/collect.exe',
    'C:\\Program Files (x86)\\ESMPRO\\AlertMan\\collect.bat',
    'C:\\PROGRA~2\\ESMPRO\\run.cmd',
    '\\\\server\\share\\tools\\collect.bat',
    'c:\\new\\tab.bat',
  ])('accepts the Windows path %s', (cmd) => {
    expect(commandSyntaxProblem(cmd, 'win32')).toBeNull();
  });

  it.each([
    ['/bin/true; rm -rf /tmp/x', ';'],
    ['/bin/true && rm -rf /tmp/x', '&'],
    ['/bin/true | rm', '|'],
    ['/bin/tool > /tmp/out.log', '>'],
    ['/bin/tool < /etc/passwd', '<'],
    ['/bin/tool $(id)', '$'],
    ['/bin/tool `id`', '`'],
    ['/bin/tool\nrm -rf /', '\\n'],
    ['/bin/tool\rx', '\\r'],
    ['/bin/tool\0x', '\\0'],
    ['/bin/tool *', '*'],
    ['/bin/tool?', '?'],
    ['"/bin/tool"', '"'],
    ["'/bin/tool'", "'"],
    ['c:\\tools\\a.bat & del c:\\x', '&'],
    ['c:\\tools\\a.bat ^& x', '^'],
    ['%SystemRoot%\\system32\\cmd.exe', '%'],
    ['c:\\tools\\a!x!.bat', '!'],
  ])('refuses %j for the metacharacter %s', (cmd, ch) => {
    const problem = commandSyntaxProblem(cmd, cmd.startsWith('c:') || cmd.startsWith('%') ? 'win32' : 'linux');
    expect(problem).toBe(
      `holds the shell metacharacter "${ch}" (a command cannot have arguments or redirection; put them in a batch file)`,
    );
  });

  it.each([
    ['tool.sh', 'linux'],
    ['./tool.sh', 'linux'],
    ['bin/tool', 'linux'],
    ['c:\\tools\\a.bat', 'linux'],
    ['tool.bat', 'win32'],
    ['\\tools\\a.bat', 'win32'],
    ['c:tools\\a.bat', 'win32'],
    ['/tools/a.bat', 'win32'],
  ] as const)('refuses the relative path %s on %s', (cmd, platform) => {
    expect(commandSyntaxProblem(cmd, platform)).toBe('is not an absolute path');
  });

  it('refuses leading or trailing spaces', () => {
    expect(commandSyntaxProblem(' /bin/true', 'linux')).toBe('has leading or trailing spaces');
    expect(commandSyntaxProblem('/bin/true ', 'linux')).toBe('has leading or trailing spaces');
  });

  it('isAbsoluteFor knows drive letters and UNC on Windows', () => {
    expect(isAbsoluteFor('D:\\x', 'win32')).toBe(true);
    expect(isAbsoluteFor('\\\\srv\\share', 'win32')).toBe(true);
    expect(isAbsoluteFor('\\\\', 'win32')).toBe(false);
    expect(isAbsoluteFor('/x', 'darwin')).toBe(true);
  });
});

describe('archiveEntryName', () => {
  it.each([
    ['/var/log/syslog', 'linux', 'var/log/syslog'],
    ['/var//log/./x/../syslog', 'linux', 'var/log/syslog'],
    ['C:\\ESM\\AlertMan\\Work\\log.txt', 'win32', 'C/ESM/AlertMan/Work/log.txt'],
    ['c:/esm/log.txt', 'win32', 'C/esm/log.txt'],
    ['\\\\server\\share\\logs\\a.log', 'win32', 'UNC/server/share/logs/a.log'],
  ] as const)('%s on %s → %s', (p, platform, name) => {
    expect(archiveEntryName(p, platform)).toBe(name);
  });
});

describe('selectWithinLimit', () => {
  const file = (name: string, size: number): FoundFile => ({
    path: `/l/${name}`,
    entryName: `l/${name}`,
    size,
    mtime: new Date(0),
    mode: 0o644,
    dev: 1,
    ino: size,
  });

  it('keeps files in order until one does not fit, then stops', () => {
    const files = [file('a', 40), file('b', 40), file('c', 40), file('d', 1)];
    const r = selectWithinLimit(files, 100);
    expect(r.included.map((f) => f.entryName)).toEqual(['l/a', 'l/b']);
    expect(r.left.map((f) => f.entryName)).toEqual(['l/c', 'l/d']);
    expect(r.includedBytes).toBe(80);
    expect(r.leftBytes).toBe(41);
  });

  it('a total exactly at the limit fits; empty files always fit before the limit is hit', () => {
    expect(selectWithinLimit([file('a', 50), file('b', 0), file('c', 50)], 100).left).toEqual([]);
    expect(selectWithinLimit([file('big', 101), file('small', 1)], 100).included).toEqual([]);
    expect(selectWithinLimit([], 0)).toEqual({ included: [], left: [], includedBytes: 0, leftBytes: 0 });
    expect(selectWithinLimit([file('a', 5)], Infinity).included).toHaveLength(1);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1.0 KiB'],
    [2500, '2.4 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [1.5 * 2 ** 30, '1.50 GiB'],
  ])('%d → %s', (n, s) => {
    expect(formatBytes(n)).toBe(s);
  });
});
