/**
 * The collection tools (AMHTPLOG.INF [ToolNNN]/[DefaultTools] Command, AMHTPHBI.INF [Tools]):
 * checked, then run one after another, all within one TimeOut.
 *
 * - A Command is an absolute path to an existing file, with no arguments and no redirection (seed:
 *   "Command に引数を指定することはできません", "リダイレクト指定しないでください"). It is started
 *   with an argument vector, never through a shell: `spawn(command, [], { shell: false })`. A
 *   Command holding a shell metacharacter (see SHELL_METACHARACTERS) is refused before anything
 *   else is looked at, so `/bin/true; rm -rf /x` is never run, not even partly.
 * - Windows only: a `.bat`/`.cmd` file cannot be started without cmd.exe (Node refuses since
 *   CVE-2024-27980), so it runs as `cmd.exe /d /s /c "<path>"`; the metacharacter check above
 *   (`& | < > ^ % " !` are refused) is what keeps that line from being anything but the path.
 * - Directory is the working folder; when empty, the Command's own folder. The tool's stdin,
 *   stdout and stderr are the null device (a tool that wants its output kept redirects it in its
 *   own batch file, as the seed says).
 * - The TimeOut (seconds, 0 = none) covers all the commands together, as the seed says
 *   ("すべてのコマンドの実行が完了するまでの時間"). They run one after another (tools writing the
 *   same logs do not collide, and a slow first tool cannot hide which one was slow). When the
 *   TimeOut passes, the running tool and everything it started is killed — its process group on
 *   POSIX (it is spawned as a group leader and gets SIGKILL on `-pid`), `taskkill /T /F` on
 *   Windows — the tools not yet started are skipped, and the collection goes on with the files
 *   that exist. A process that left the group on purpose (setsid, a double fork into a new
 *   session) is not found.
 * - The tools die with the service: while a tool runs, its group is listed with a watchdog
 *   process that kills it when the service is gone — SIGKILL and crashes included
 *   (tool-watchdog.ts).
 * - A tool that fails (cannot start, non-zero exit) is a note, never a failure of the collection.
 */
import type { ChildProcess } from 'node:child_process';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { english } from '../inf/messages';
import { killTree, spawnFile } from '../lib/child-process';
import { errorLine } from '../lib/error-text';
import { commandTrustProblem } from './command-trust';
import { CollectError } from './errors';
import { readyWatchdog, releaseTool, watchTool } from './tool-watchdog';

export interface CollectionTool {
  /** A label for notes, e.g. "Tool001", "DefaultTools", "Tools". Defaults to "tool N". */
  name?: string;
  /** Absolute path of the program or batch file, or null/empty for none. */
  command: string | null;
  /** Working folder (absolute), or null/empty for the command's own folder. */
  directory: string | null;
  /** Absolute paths of files and folders to collect. */
  logFiles: string[];
}

/** Refused in a Command: what a shell (sh or cmd.exe) would read as more than a path. */
export const SHELL_METACHARACTERS = /[;&|<>`$%^"'*?!\r\n\0]/;

export type Platform = NodeJS.Platform;

/** An absolute path on that platform: `/x` on POSIX; `C:\x`, `C:/x` or `\\server\share\x` on Windows. */
export function isAbsoluteFor(p: string, platform: Platform = process.platform): boolean {
  if (platform === 'win32') return /^[A-Za-z]:[\\/]/.test(p) || /^[\\/]{2}[^\\/]/.test(p);
  return p.startsWith('/');
}

/**
 * The checks that need no file system: why this Command is refused, or null when it may be
 * looked up. The metacharacter check comes first.
 */
export function commandSyntaxProblem(command: string, platform: Platform = process.platform): string | null {
  const bad = SHELL_METACHARACTERS.exec(command);
  if (bad) {
    const ch = bad[0] === '\n' ? '\\n' : bad[0] === '\r' ? '\\r' : bad[0] === '\0' ? '\\0' : bad[0];
    return `holds the shell metacharacter "${ch}" (a command cannot have arguments or redirection; put them in a batch file)`;
  }
  if (command.trim() !== command) return 'has leading or trailing spaces';
  if (!isAbsoluteFor(command, platform)) return 'is not an absolute path';
  return null;
}

export type CommandCheck =
  | { ok: true; command: string; cwd: string }
  | { ok: false; reason: string };

/** Everything checked before a tool's command may run. */
export async function checkCommand(
  command: string,
  directory: string | null,
  platform: Platform = process.platform,
): Promise<CommandCheck> {
  const syntax = commandSyntaxProblem(command, platform);
  if (syntax) return { ok: false, reason: `the command ${syntax}` };
  let st;
  try {
    st = await fsp.stat(command);
  } catch {
    return { ok: false, reason: 'the command does not exist (a command cannot have arguments; put them in a batch file)' };
  }
  if (!st.isFile()) return { ok: false, reason: 'the command is not a file' };
  if (platform !== 'win32') {
    try {
      await fsp.access(command, fsConstants.X_OK);
    } catch {
      return { ok: false, reason: 'the command is not executable' };
    }
  }
  // A Command others could rewrite would run their code as the service's user (command-trust.ts).
  const untrusted = await commandTrustProblem(command, platform);
  if (untrusted) return { ok: false, reason: english(untrusted) };
  if (!directory) return { ok: true, command, cwd: path.dirname(command) };
  if (!isAbsoluteFor(directory, platform)) return { ok: false, reason: `the Directory ${directory} is not an absolute path` };
  try {
    if (!(await fsp.stat(directory)).isDirectory()) return { ok: false, reason: `the Directory ${directory} is not a folder` };
  } catch {
    return { ok: false, reason: `the Directory ${directory} does not exist` };
  }
  return { ok: true, command, cwd: directory };
}

export interface RunToolsOptions {
  /** Seconds for all the commands together; 0 = no limit. */
  timeoutSeconds: number;
  signal?: AbortSignal;
  /** Called before each command starts (done = commands finished so far) and once at the end. */
  onProgress?: (done: number, total: number, detail?: string) => void;
  platform?: Platform;
}

/** Runs the tools' commands; returns the notes. Throws only CollectError 'aborted'. */
export async function runTools(tools: CollectionTool[], options: RunToolsOptions): Promise<string[]> {
  const platform = options.platform ?? process.platform;
  const notes: string[] = [];
  const withCommand = tools
    .map((tool, i) => ({ tool, label: tool.name || `tool ${i + 1}` }))
    .filter((t) => t.tool.command !== null && t.tool.command.trim() !== '');
  const total = withCommand.length;
  const limitMs = options.timeoutSeconds > 0 ? options.timeoutSeconds * 1000 : null;
  const deadline = limitMs === null ? null : Date.now() + limitMs;
  let done = 0;
  let timedOut = false;
  for (const { tool, label } of withCommand) {
    if (options.signal?.aborted) throw abortedError();
    const command = tool.command!;
    if (timedOut || (deadline !== null && Date.now() >= deadline)) {
      notes.push(`${label} (${command}) was not run: the TimeOut of ${options.timeoutSeconds} s had passed.`);
      done++;
      continue;
    }
    const check = await checkCommand(command, tool.directory, platform);
    if (!check.ok) {
      notes.push(`${label} (${command}) was refused and not run: ${check.reason}.`);
      done++;
      continue;
    }
    options.onProgress?.(done, total, command);
    const outcome = await runOne(check.command, check.cwd, deadline, options.signal, platform);
    done++;
    switch (outcome.kind) {
      case 'exited':
        if (outcome.code !== 0) notes.push(`${label} (${command}) exited with code ${outcome.code}.`);
        break;
      case 'signalled':
        notes.push(`${label} (${command}) was ended by ${outcome.signal}.`);
        break;
      case 'failed':
        notes.push(`${label} (${command}) could not be started: ${outcome.reason}.`);
        break;
      case 'timeout':
        timedOut = true;
        notes.push(
          `${label} (${command}) was stopped when the TimeOut of ${options.timeoutSeconds} s passed; ` +
            'the collection went on with the files that exist.',
        );
        break;
      case 'aborted':
        throw abortedError();
    }
  }
  options.onProgress?.(done, total);
  return notes;
}

function abortedError(): CollectError {
  return new CollectError('aborted', 'The collection was cancelled.');
}

type Outcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

function spawnTool(command: string, cwd: string, platform: Platform): ChildProcess {
  const common = { cwd, stdio: 'ignore' as const };
  if (platform === 'win32') {
    if (/\.(bat|cmd)$/i.test(command)) {
      const cmd = process.env.ComSpec || 'cmd.exe';
      return spawnFile(cmd, ['/d', '/s', '/c', `"${command}"`], { ...common, windowsVerbatimArguments: true });
    }
    return spawnFile(command, [], common);
  }
  // detached: the child leads a new process group (and session), so the whole group can be killed.
  return spawnFile(command, [], { ...common, detached: true });
}

async function runOne(
  command: string,
  cwd: string,
  deadline: number | null,
  signal: AbortSignal | undefined,
  platform: Platform,
): Promise<Outcome> {
  // The watchdog listens before the tool starts, so the tool is on its list a moment after it
  // starts — not after a second process start, during which a SIGKILL would leave it behind.
  await readyWatchdog();
  if (signal?.aborted) return { kind: 'aborted' };
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawnTool(command, cwd, platform);
    } catch (err) {
      resolve({ kind: 'failed', reason: errorLine(err) });
      return;
    }
    // Killed with its group if this process goes first, however it goes (tool-watchdog.ts).
    watchTool(child.pid);
    let settled = false;
    let stopping: Outcome | null = null;
    let timer: NodeJS.Timeout | null = null;
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      releaseTool(child.pid);
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const stop = (why: Outcome) => {
      if (stopping || settled) return;
      stopping = why;
      void killTree(child, platform).finally(() => {
        // The child is dead or unkillable; do not wait forever for its exit event.
        setTimeout(() => finish(why), 5_000).unref();
      });
    };
    const onAbort = () => stop({ kind: 'aborted' });
    child.once('error', (err) => {
      if (stopping) finish(stopping);
      else finish({ kind: 'failed', reason: errorLine(err) });
    });
    child.once('exit', (code, sig) => {
      if (stopping) {
        // The leader is gone; make sure the rest of its group is too before going on.
        void killTree(child, platform).finally(() => finish(stopping!));
      } else if (sig) finish({ kind: 'signalled', signal: sig });
      else finish({ kind: 'exited', code: code ?? 0 });
    });
    if (signal) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    if (deadline !== null) {
      timer = setTimeout(() => stop({ kind: 'timeout' }), Math.max(0, deadline - Date.now()));
    }
  });
}
