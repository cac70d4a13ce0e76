/**
 * `npm start`'s launcher (dist/launcher.cjs), run for real: the Electron binary is missing on
 * these machines, so it falls back to browser mode — a real `cli serve` backend — and either
 * prints the address or opens a (stand-in) app-mode browser. Electron and the browser are
 * stand-in scripts where they are needed; the backend is always the real one.
 * Needs `npm run build` (dist/launcher.cjs and dist/cli.cjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(ROOT, 'dist', 'launcher.cjs');
const ELECTRON_MISSING = !existsSync(path.join(ROOT, 'node_modules', 'electron', 'path.txt'));
const NOT_AVAILABLE = 'Electron is not available here (could not download the binary); starting in browser mode.';
const ADDRESS = /^Open this address in a browser: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;

interface Run {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment without a display and without our switches; tests add what they need. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('EXPRESS_REPORT_') || k.startsWith('ELECTRON_')) delete env[k];
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return { ...env, ...extra };
}

function runLauncher(launcher: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [launcher, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters) w();
  });
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters) w();
      resolve({ code, signal });
    }),
  );
  const waitFor = (re: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        for (const l of lines) {
          const m = re.exec(l);
          if (m) return done(() => resolve(m));
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          return done(() => reject(new Error(`launcher exited before ${re}; stdout: ${lines.join(' | ')}; stderr: ${stderr.join(' | ')}`)));
        }
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${re} within ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr.join(' | ')}`))),
        timeoutMs,
      );
      const done = (fn: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        fn();
      };
      waiters.add(check);
      check();
    });
  return { child, lines, stderr, waitFor, exited };
}

/** Direct children of `pid` (Linux /proc), with their command lines. */
function childrenOf(pid: number): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      out.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

function backendOf(pid: number): number {
  const backend = childrenOf(pid).find((c) => c.cmd.includes('cli.cjs serve'));
  if (!backend) throw new Error(`no backend child of ${pid}: ${JSON.stringify(childrenOf(pid))}`);
  return backend.pid;
}

/** True while the process exists — a zombie (exited but not reaped) counts as existing. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A stand-in Chromium: records its arguments, then runs until a `close` file appears (the user closed the window). */
function fakeBrowser(dir: string): { exe: string; argsFile: string; closeFile: string } {
  const exe = path.join(dir, 'fake-chromium');
  const argsFile = path.join(dir, 'browser-args.json');
  const closeFile = path.join(dir, 'close');
  writeFileSync(
    exe,
    `#!${process.execPath}
const fs = require('node:fs');
// written beside and renamed, so the test never reads it half-written
fs.writeFileSync(${JSON.stringify(argsFile + '.tmp')}, JSON.stringify(process.argv.slice(2)));
fs.renameSync(${JSON.stringify(argsFile + '.tmp')}, ${JSON.stringify(argsFile)});
setInterval(() => { if (fs.existsSync(${JSON.stringify(closeFile)})) process.exit(0); }, 50);
`,
  );
  chmodSync(exe, 0o755);
  return { exe, argsFile, closeFile };
}

async function waitForFile(file: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(() => {
  if (!existsSync(LAUNCHER) || !existsSync(path.join(ROOT, 'dist', 'cli.cjs'))) {
    throw new Error('run `npm run build` first (dist/launcher.cjs, dist/cli.cjs)');
  }
});

describe('launcher (npm start) without the Electron binary', () => {
  it.skipIf(!ELECTRON_MISSING)(
    'tries the real Electron download once, says so in one line, serves in browser mode and prints the address; SIGTERM stops it and its backend',
    async () => {
      const dataDir = tempDir('er-launcher-data-');
      // The real install.js runs, but against an unreachable mirror and an empty cache, so it
      // fails quickly and deterministically even on a machine with internet access.
      const run = runLauncher(
        LAUNCHER,
        ['--data-dir', dataDir],
        baseEnv({
          EXPRESS_REPORT_NO_BROWSER: '1',
          ELECTRON_MIRROR: 'http://127.0.0.1:9/',
          electron_config_cache: tempDir('er-electron-cache-'),
        }),
      );
      const [, url] = await run.waitFor(ADDRESS, 30_000);
      expect(run.lines[0]).toBe(NOT_AVAILABLE);
      expect(run.lines.filter((l) => l.includes('Electron'))).toEqual([NOT_AVAILABLE]);
      expect(run.lines.join('\n')).not.toMatch(/Error|at .*\.js:\d+/); // the download's output is not shown

      const backend = backendOf(run.child.pid!);
      expect(childrenOf(run.child.pid!).find((c) => c.pid === backend)!.cmd).toContain(`--data-dir ${dataDir}`);
      const res = await fetch(url!);
      expect(res.status).toBeLessThan(500); // the real backend answers on the printed address

      run.child.kill('SIGTERM');
      const { code, signal } = await within(10_000, run.exited, 'launcher exit after SIGTERM');
      expect(signal === 'SIGTERM' || code === 143 || code === 0).toBe(true);
      expect(alive(backend)).toBe(false);
      expect(ELECTRON_MISSING && !existsSync(path.join(ROOT, 'node_modules', 'electron', 'path.txt'))).toBe(true);
    },
    60_000,
  );

  it('with the download skipped and no display, prints the address even when a browser exists', async () => {
    const dir = tempDir('er-launcher-nodisplay-');
    const browser = fakeBrowser(dir);
    const run = runLauncher(
      LAUNCHER,
      ['--data-dir', path.join(dir, 'data')],
      baseEnv({ EXPRESS_REPORT_SKIP_ELECTRON_DOWNLOAD: '1', EXPRESS_REPORT_BROWSER: browser.exe }),
    );
    await run.waitFor(ADDRESS);
    expect(run.lines[0]).toBe(NOT_AVAILABLE);
    expect(existsSync(browser.argsFile)).toBe(false);
    const backend = backendOf(run.child.pid!);
    run.child.kill('SIGINT');
    await within(10_000, run.exited, 'launcher exit after SIGINT');
    expect(alive(backend)).toBe(false);
  }, 60_000);

  it('with a display, opens the app window in an app-mode browser with a throwaway profile; closing it stops the backend', async () => {
    const dir = tempDir('er-launcher-browser-');
    const browser = fakeBrowser(dir);
    const run = runLauncher(
      LAUNCHER,
      ['--data-dir', path.join(dir, 'data')],
      baseEnv({ EXPRESS_REPORT_SKIP_ELECTRON_DOWNLOAD: '1', EXPRESS_REPORT_BROWSER: browser.exe, DISPLAY: ':99' }),
    );
    await waitForFile(browser.argsFile);
    const args = JSON.parse(readFileSync(browser.argsFile, 'utf8')) as string[];
    const app = args.find((a) => a.startsWith('--app='));
    expect(app).toMatch(/^--app=http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/);
    const profile = args.find((a) => a.startsWith('--user-data-dir='))!.slice('--user-data-dir='.length);
    expect(profile.startsWith(os.tmpdir())).toBe(true);
    expect(existsSync(profile)).toBe(true);
    expect(args).toEqual(
      expect.arrayContaining(['--no-first-run', '--disable-background-networking', '--disable-component-update']),
    );
    expect(run.lines.some((l) => ADDRESS.test(l))).toBe(false);
    const res = await fetch(app!.slice('--app='.length));
    expect(res.status).toBeLessThan(500);

    const backend = backendOf(run.child.pid!);
    writeFileSync(browser.closeFile, ''); // the user closes the app window
    const { code } = await within(10_000, run.exited, 'launcher exit after the browser closed');
    expect(code).toBe(0);
    expect(alive(backend)).toBe(false);
    expect(existsSync(profile)).toBe(false);
  }, 60_000);

  it('SIGTERM while the app window is open stops the browser and the backend', async () => {
    const dir = tempDir('er-launcher-sigterm-');
    const browser = fakeBrowser(dir);
    const run = runLauncher(
      LAUNCHER,
      ['--data-dir', path.join(dir, 'data')],
      baseEnv({ EXPRESS_REPORT_SKIP_ELECTRON_DOWNLOAD: '1', EXPRESS_REPORT_BROWSER: browser.exe, DISPLAY: ':99' }),
    );
    await waitForFile(browser.argsFile);
    const kids = childrenOf(run.child.pid!);
    const backend = backendOf(run.child.pid!);
    const browserPid = kids.find((k) => k.cmd.includes('fake-chromium'))!.pid;
    run.child.kill('SIGTERM');
    await within(10_000, run.exited, 'launcher exit after SIGTERM');
    expect(alive(backend)).toBe(false);
    expect(alive(browserPid)).toBe(false);
  }, 60_000);
});

describe('launcher (npm start) with an Electron binary', () => {
  it('starts Electron with the app directory and the data dir, and exits with its code', async () => {
    // A copy of the launcher next to a stand-in node_modules/electron (path.txt + dist/electron).
    const app = tempDir('er-launcher-electron-');
    mkdirSync(path.join(app, 'dist'));
    cpSync(LAUNCHER, path.join(app, 'dist', 'launcher.cjs'));
    const pkg = path.join(app, 'node_modules', 'electron');
    mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    const record = path.join(app, 'electron-run.json');
    const exe = path.join(pkg, 'dist', 'electron');
    writeFileSync(
      exe,
      `#!${process.execPath}
require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), dataDir: process.env.EXPRESS_REPORT_DATA_DIR, runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));
process.exit(7);
`,
    );
    chmodSync(exe, 0o755);
    const dataDir = path.join(app, 'data');
    const run = runLauncher(path.join(app, 'dist', 'launcher.cjs'), ['--data-dir', dataDir], baseEnv({ ELECTRON_RUN_AS_NODE: '1' }));
    const { code } = await within(10_000, run.exited, 'launcher exit');
    expect(code).toBe(7);
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({ argv: [app], dataDir, runAsNode: null });
    expect(run.lines).toEqual([]); // no fallback message
  }, 30_000);
});
