/**
 * Path rules for Command, Directory and LogFile (seed lines 2947–2950, 2959–2961, 3040–3043,
 * 3080): absolute paths; a Command has no arguments and no redirection. The files are written
 * for Windows, but the product also runs elsewhere, so both Windows paths (`C:\…`, UNC
 * `\\server\share\…`) and POSIX paths (`/…`) are accepted on any host. Each check returns
 * null when the value is fine, else the reason (a phrase that follows the key's name): the
 * `…Reason` functions as a coded text (messages.ts), the `…Problem` ones in English.
 */
import { english, text, type InfText } from './messages';

export type PathStyle = 'windows-drive' | 'unc' | 'posix';

export function pathStyle(p: string): PathStyle | null {
  if (/^[A-Za-z]:[\\/]/.test(p)) return 'windows-drive';
  if (/^[\\/]{2}[^\\/]+[\\/][^\\/]+/.test(p)) return 'unc'; // \\server\share or //server/share
  if (p.startsWith('/') && !p.startsWith('//')) return 'posix';
  return null;
}

/** Characters Windows forbids in a file name (besides `\` and `/`, and `:` after the drive). */
const WINDOWS_FORBIDDEN = /[<>"|?*]/;

/** Why `p` is not an absolute path (a Directory, a LogFile, a Command), or null; in English. */
export function absolutePathProblem(p: string): string | null {
  const reason = absolutePathReason(p);
  return reason && english(reason);
}

/** Why `p` is not an absolute path (a Directory, a LogFile, a Command), or null. */
export function absolutePathReason(p: string): InfText | null {
  return notAbsolute(p) ?? windowsNameProblem(p);
}

/** Why `p` does not start like an absolute path, or null. */
function notAbsolute(p: string): InfText | null {
  if (p === '') return text('inf.empty');
  const yen = /[¥￥]/.exec(p);
  if (yen) return text('inf.path.yen', { char: yen[0], code: `U+${yen[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` });
  if (pathStyle(p)) return null;
  if (/^[A-Za-z]:/.test(p)) return text('inf.path.driveNoSlash');
  if (p.startsWith('\\') || p.startsWith('//')) return text('inf.path.singleBackslash');
  return text('inf.path.notAbsolute');
}

/** Characters a Windows path cannot hold (checked for C:\… and UNC paths only), or null. */
function windowsNameProblem(p: string): InfText | null {
  const style = pathStyle(p);
  if (style === null || style === 'posix') return null;
  const rest = p.slice(2); // after the drive letter and colon, or after the UNC's \\
  const bad = WINDOWS_FORBIDDEN.exec(rest);
  if (bad) {
    const c = bad[0];
    return c === '*' || c === '?' ? text('inf.path.wildcard', { char: c }) : text('inf.path.forbidden', { char: c });
  }
  if (rest.includes(':')) return text('inf.path.colon');
  return null;
}

/**
 * What a shell (sh, or cmd.exe, which Windows needs to run a .bat) would read as more than a
 * path: redirection, pipes, lists, substitution, expansion, quoting, wildcards. The same set
 * the collector refuses at run time (src-main/collect/tools.ts SHELL_METACHARACTERS), so a
 * Command the checker accepts is never refused for its characters later.
 */
const SHELL_SYNTAX: Array<[RegExp, InfText]> = [
  [/>/, text('inf.shell.redirection', { char: '>' })],
  [/</, text('inf.shell.redirection', { char: '<' })],
  [/\|/, text('inf.shell.pipe')],
  [/&/, text('inf.shell.separator', { char: '&' })],
  [/;/, text('inf.shell.separator', { char: ';' })],
  [/`/, text('inf.shell.commandSubstitution', { chars: '`' })],
  [/\$\(/, text('inf.shell.commandSubstitution', { chars: '$(' })],
  [/\$\{/, text('inf.shell.variableSubstitution')],
  [/[\r\n]/, text('inf.shell.lineBreak')],
  [/%/, text('inf.shell.percent')],
  [/\^/, text('inf.shell.caret')],
  [/!/, text('inf.shell.bang')],
  [/\$/, text('inf.shell.dollar')],
  [/'/, text('inf.shell.singleQuote')],
  [/[*?]/, text('inf.shell.wildcard')],
];

/** Names that end a program path; anything written after them is an argument. */
const PROGRAM_SUFFIX = /\.(bat|cmd|exe|com|ps1|vbs|js|wsf|sh|py|pl)(?=[ \t])/i;

/**
 * Why `command` is not a plain absolute path to a program, or null. A path may contain spaces
 * (`C:\Program Files\…`), so an argument is recognised as: a word after a space that starts
 * with `-` or `/` or is itself an absolute path, or anything after a program name ending in
 * .bat/.cmd/.exe/.com/.ps1/.vbs/.js/.wsf/.sh/.py/.pl. The seed (2948, 3080): put arguments and
 * redirection in a batch file and name that. In English; commandReason gives the coded text.
 */
export function commandProblem(command: string): string | null {
  const reason = commandReason(command);
  return reason && english(reason);
}

/** Why `command` is not a plain absolute path to a program (see commandProblem), or null. */
export function commandReason(command: string): InfText | null {
  for (const [re, what] of SHELL_SYNTAX) {
    if (re.test(command)) return text('inf.command.shell', { what });
  }
  if (command.includes('"')) return text('inf.command.doubleQuote');
  const absolute = notAbsolute(command);
  if (absolute) return absolute;
  const words = command.split(/[ \t]+/);
  const argument = words.slice(1).find((w) => w.startsWith('-') || w.startsWith('/') || pathStyle(w) !== null);
  const suffix = PROGRAM_SUFFIX.exec(command);
  if (argument !== undefined || suffix) {
    const extra = argument ?? command.slice(suffix!.index + suffix![0].length).trim();
    return text('inf.command.argument', { argument: extra });
  }
  const name = windowsNameProblem(command);
  if (name) return name;
  if (/[\\/]$/.test(command)) return text('inf.command.folder');
  if (/[ \t]$/.test(command) || /[ \t][\\/]|[\\/][ \t]/.test(command)) return text('inf.command.trailingSpace');
  return null;
}

/** %NAME% in a path: taken literally, never expanded. */
export function environmentVariableIn(p: string): string | null {
  const m = /%[A-Za-z_][A-Za-z0-9_()]*%/.exec(p);
  return m ? m[0] : null;
}
