/**
 * Path rules for Command, Directory and LogFile (seed lines 2947–2950, 2959–2961, 3040–3043,
 * 3080): absolute paths; a Command has no arguments and no redirection. The files are written
 * for Windows, but the product also runs elsewhere, so both Windows paths (`C:\…`, UNC
 * `\\server\share\…`) and POSIX paths (`/…`) are accepted on any host. Each check returns
 * null when the value is fine, else the reason (a phrase that follows the key's name).
 */

export type PathStyle = 'windows-drive' | 'unc' | 'posix';

export function pathStyle(p: string): PathStyle | null {
  if (/^[A-Za-z]:[\\/]/.test(p)) return 'windows-drive';
  if (/^[\\/]{2}[^\\/]+[\\/][^\\/]+/.test(p)) return 'unc'; // \\server\share or //server/share
  if (p.startsWith('/') && !p.startsWith('//')) return 'posix';
  return null;
}

/** Characters Windows forbids in a file name (besides `\` and `/`, and `:` after the drive). */
const WINDOWS_FORBIDDEN = /[<>"|?*]/;

/** Why `p` is not an absolute path (a Directory, a LogFile, a Command), or null. */
export function absolutePathProblem(p: string): string | null {
  return notAbsolute(p) ?? windowsNameProblem(p);
}

/** Why `p` does not start like an absolute path, or null. */
function notAbsolute(p: string): string | null {
  if (p === '') return 'is empty';
  if (/[¥￥]/.test(p)) return `is not an absolute path: ${yenHint(p)}`;
  if (pathStyle(p)) return null;
  if (/^[A-Za-z]:/.test(p)) return 'is not an absolute path: write a \\ after the drive letter (C:\\…)';
  if (p.startsWith('\\') || p.startsWith('//')) return 'is not an absolute path: a UNC path is \\\\server\\share\\…; a path starting with a single \\ has no drive';
  return 'is not an absolute path: write C:\\…, \\\\server\\share\\… or /…';
}

/** Characters a Windows path cannot hold (checked for C:\… and UNC paths only), or null. */
function windowsNameProblem(p: string): string | null {
  const style = pathStyle(p);
  if (style === null || style === 'posix') return null;
  const rest = p.slice(2); // after the drive letter and colon, or after the UNC's \\
  const bad = WINDOWS_FORBIDDEN.exec(rest);
  if (bad) {
    const c = bad[0];
    return c === '*' || c === '?' ? `contains the wildcard ${c}; name a file or a folder (a folder is collected with everything in it)` : `contains ${c}, which a Windows path cannot contain`;
  }
  if (rest.includes(':')) return 'contains ":" after the drive letter, which a Windows path cannot contain';
  return null;
}

function yenHint(p: string): string {
  const c = /[¥￥]/.exec(p)![0];
  return `${c} (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) is not a path separator; write \\ (Japanese fonts show the backslash as ¥)`;
}

/**
 * What a shell (sh, or cmd.exe, which Windows needs to run a .bat) would read as more than a
 * path: redirection, pipes, lists, substitution, expansion, quoting, wildcards. The same set
 * the collector refuses at run time (src-main/collect/tools.ts SHELL_METACHARACTERS), so a
 * Command the checker accepts is never refused for its characters later.
 */
const SHELL_SYNTAX: Array<[RegExp, string]> = [
  [/>/, 'redirection (>)'],
  [/</, 'redirection (<)'],
  [/\|/, 'a pipe (|)'],
  [/&/, 'a command separator (&)'],
  [/;/, 'a command separator (;)'],
  [/`/, 'command substitution (`)'],
  [/\$\(/, 'command substitution ($()'],
  [/\$\{/, 'variable substitution (${)'],
  [/[\r\n]/, 'a line break'],
  [/%/, '% (cmd.exe, which runs a .bat, would expand %NAME%)'],
  [/\^/, '^ (the cmd.exe escape character)'],
  [/!/, '! (cmd.exe delayed expansion)'],
  [/\$/, '$ (shell expansion)'],
  [/'/, "a single quote (')"],
  [/[*?]/, 'a wildcard (* or ?)'],
];

/** Names that end a program path; anything written after them is an argument. */
const PROGRAM_SUFFIX = /\.(bat|cmd|exe|com|ps1|vbs|js|wsf|sh|py|pl)(?=[ \t])/i;

/**
 * Why `command` is not a plain absolute path to a program, or null. A path may contain spaces
 * (`C:\Program Files\…`), so an argument is recognised as: a word after a space that starts
 * with `-` or `/` or is itself an absolute path, or anything after a program name ending in
 * .bat/.cmd/.exe/.com/.ps1/.vbs/.js/.wsf/.sh/.py/.pl. The seed (2948, 3080): put arguments and
 * redirection in a batch file and name that.
 */
export function commandProblem(command: string): string | null {
  for (const [re, what] of SHELL_SYNTAX) {
    if (re.test(command)) return `contains ${what}; a Command is a plain path, run without a shell: write a batch file that does it and name that file`;
  }
  if (command.includes('"')) return 'contains a double quote; write the whole path in one pair of quotes and put arguments in a batch file';
  const absolute = notAbsolute(command);
  if (absolute) return absolute;
  const words = command.split(/[ \t]+/);
  const argument = words.slice(1).find((w) => w.startsWith('-') || w.startsWith('/') || pathStyle(w) !== null);
  const suffix = PROGRAM_SUFFIX.exec(command);
  if (argument !== undefined || suffix) {
    const extra = argument ?? command.slice(suffix!.index + suffix![0].length).trim();
    return `has an argument (${extra}); a Command cannot take arguments: write a batch file that passes them and name that file`;
  }
  const name = windowsNameProblem(command);
  if (name) return name;
  if (/[\\/]$/.test(command)) return 'ends with a path separator: name a program, not a folder';
  if (/[ \t]$/.test(command) || /[ \t][\\/]|[\\/][ \t]/.test(command)) return 'has a space at the end of a path component';
  return null;
}

/** %NAME% in a path: taken literally, never expanded. */
export function environmentVariableIn(p: string): string | null {
  const m = /%[A-Za-z_][A-Za-z0-9_()]*%/.exec(p);
  return m ? m[0] : null;
}
