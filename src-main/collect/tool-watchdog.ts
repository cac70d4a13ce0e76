/**
 * Collection tools die with the service. Each tool leads its own process group (tools.ts); the
 * service cannot kill it when it is itself killed (SIGKILL, a crash, a stop cut off by its
 * timeout), and the tool would be re-parented and run on. So one small watchdog process per
 * service process holds the list of running tools' groups on its stdin: `+PID` when a tool
 * starts, `-PID` when it has ended. When that pipe closes — the service is gone, however it
 * went — the watchdog kills every group still listed and exits. It is the same Node (or Electron
 * run as Node) binary with a script given on the command line, in a process group of its own
 * (a terminal's Ctrl-C or a signal to the service's group does not reach it before it acts),
 * and it does not keep the service alive.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnFile } from '../lib/child-process';

/** The watchdog's program: read `+pid`/`-pid` lines; on end of input, kill what is listed. */
const SCRIPT = `
const { spawnSync } = require('node:child_process');
const groups = new Set();
let text = '';
let done = false;
function killAll() {
  if (done) return;
  done = true;
  for (const pid of groups) {
    try {
      if (process.platform === 'win32') spawnSync('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true });
      else process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  process.exit(0);
}
process.stdin.on('data', (d) => {
  text += d.toString('latin1');
  let i;
  while ((i = text.indexOf('\\n')) >= 0) {
    const line = text.slice(0, i);
    text = text.slice(i + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') groups.add(pid);
    else if (line[0] === '-') groups.delete(pid);
  }
});
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
process.on('SIGTERM', killAll);
process.on('SIGHUP', killAll);
process.on('SIGINT', () => {});
// The end of input is the signal; the parent gone (re-parented) is the same news, should the pipe's end be held open elsewhere.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) killAll(); }, 500);
// Listening: the service may start a tool now (it may have stopped waiting for the word).
process.stdout.on('error', () => {});
process.stdout.write('ready\\n');
`;

/** How long a tool waits for the watchdog to say it listens before it runs unwatched. */
const READY_WAIT_MS = 10_000;

let watchdog: ChildProcess | null = null;
let ready: Promise<void> = Promise.resolve();
let broken = false;

function start(): ChildProcess | null {
  if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null && watchdog.stdin?.writable) return watchdog;
  if (broken) return null;
  try {
    const child = spawnFile(process.execPath, ['-e', SCRIPT], {
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
      windowsHide: true,
      // Electron's binary runs the script as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    child.once('error', () => {
      broken = true;
      if (watchdog === child) watchdog = null;
    });
    child.once('exit', () => {
      if (watchdog === child) watchdog = null;
    });
    child.stdin?.on('error', () => undefined);
    ready = listening(child);
    // Neither the watchdog nor its pipes keep the service running.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    watchdog = child;
    return child;
  } catch {
    broken = true;
    return null;
  }
}

/** Resolves once the watchdog has said `ready` — or has gone, or has been silent too long. */
function listening(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    const out = child.stdout;
    const done = () => {
      clearTimeout(timer);
      out?.removeAllListeners('data');
      out?.destroy();
      resolve();
    };
    const timer = setTimeout(done, READY_WAIT_MS);
    timer.unref();
    let text = '';
    out?.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.includes('\n')) done();
    });
    out?.once('error', done);
    child.once('exit', done);
    child.once('error', done);
  });
}

/**
 * Starts the watchdog if it is not running and resolves once it listens, so that a tool never
 * runs unwatched while the watchdog is still starting (on a busy machine a Node start takes
 * seconds). Called before a tool is started: see runOne in tools.ts.
 */
export function readyWatchdog(): Promise<void> {
  start();
  return ready;
}

/** A tool's group is running: it is killed if this process goes before `released`. */
export function watchTool(pid: number | undefined): void {
  if (pid === undefined) return;
  start()?.stdin?.write(`+${pid}\n`);
}

/** The tool's group has ended (or was killed by us). */
export function releaseTool(pid: number | undefined): void {
  if (pid === undefined || !watchdog) return;
  watchdog.stdin?.write(`-${pid}\n`);
}

/** The watchdog's pid (tests). */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
