/**
 * Running other programs. Always with an argument vector and never through a shell, so no
 * argument can become a second command; output is collected only up to a bound, so a chatty or
 * hostile program cannot fill the service's memory.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import { errorText } from './error-text';

/** spawn() without a shell (and without a console window on Windows). May throw, as spawn does. */
export function spawnFile(binary: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(binary, args, { windowsHide: true, ...options, shell: false });
}

/** Why `binary` could not be started, in one line ("x not found" for a missing program). */
export function startFailure(binary: string, err: unknown): string {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? `${binary} not found` : `cannot start ${binary}: ${errorText(err)}`;
}

/**
 * Keeps the text of a stream (a child's stderr) up to about `maxChars`: chunks are appended
 * while less than that is held, the rest is dropped. Returns what is held so far.
 */
export function collectText(stream: Readable | null | undefined, maxChars = 4096): () => string {
  let text = '';
  stream?.on('data', (d: Buffer) => {
    if (text.length < maxChars) text += d.toString('utf8');
  });
  return () => text;
}

export interface RunResult {
  stdout: string;
  /** exit code; a program that could not run or was stopped gives a non-zero code (-1 if it had none) */
  code: number;
  stderr?: string;
}

export interface RunFileOptions {
  /** stopped (SIGTERM) after this long; 0 = no limit */
  timeoutMs?: number;
  /** the most stdout or stderr kept; more stops the program (default 1 MiB, as execFile's) */
  maxBufferBytes?: number;
  signal?: AbortSignal;
}

/**
 * Runs `binary` to its end and gives its output as UTF-8 text. Never rejects: a program that
 * cannot start, fails, times out or is aborted gives a non-zero code and the reason on stderr.
 */
export function runFile(binary: string, args: readonly string[], options: RunFileOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      { windowsHide: true, shell: false, encoding: 'utf8', maxBuffer: options.maxBufferBytes ?? 1024 * 1024, timeout: options.timeoutMs ?? 0, signal: options.signal },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, code: 0 });
        const code = typeof err.code === 'number' ? err.code : -1;
        resolve({ stdout: stdout ?? '', stderr: stderr || err.message, code: code === 0 ? -1 : code });
      },
    );
  });
}

/** SIGTERM, then SIGKILL if the child is still there after half of `ms`; resolves by `ms`. */
export function killWithin(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(hard);
      clearTimeout(give);
      resolve();
    };
    child.once('close', done);
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), ms / 2);
    const give = setTimeout(done, ms);
  });
}

/**
 * Kills a child and every process it started: its process group on POSIX (the child must have
 * been spawned `detached`, as a group leader), its process tree (taskkill /T /F) on Windows.
 */
export async function killTree(child: ChildProcess, platform: NodeJS.Platform = process.platform): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (platform === 'win32') {
    await new Promise<void>((resolve) => {
      execFile('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true }, () => resolve());
    });
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone (ESRCH); the leader alone, in case it was not a group leader.
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
