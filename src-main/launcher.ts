/**
 * `npm start` (dist/launcher.cjs): runs the Electron app when the Electron binary is there;
 * otherwise tries to download it once, and failing that starts the backend in browser mode
 * (`cli serve`) and opens it in Chromium/Chrome/Edge as an app window — or prints the address.
 *
 * Never imports `electron` (in plain Node that tries a download and throws). Uses only Node
 * built-ins, so the bundle runs from anywhere.
 *
 * Options: --data-dir DIR (passed to the backend; Electron gets it as EXPRESS_REPORT_DATA_DIR).
 * Environment:
 *   EXPRESS_REPORT_NO_ELECTRON=1              go straight to browser mode
 *   EXPRESS_REPORT_SKIP_ELECTRON_DOWNLOAD=1   do not try to download a missing Electron binary
 *   EXPRESS_REPORT_NO_BROWSER=1               browser mode: only print the address
 *   EXPRESS_REPORT_BROWSER=PATH               browser mode: use this Chromium-family browser
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { errorText } from './lib/error-text';

const APP_DIR = path.resolve(__dirname, '..');
const DOWNLOAD_TIMEOUT_MS = 180_000;
const URL_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

const env = process.env;
const flag = (name: string): boolean => !!env[name] && env[name] !== '0' && env[name] !== 'false';

function parseArgs(argv: string[]): { dataDir: string | null; rest: string[] } {
  let dataDir: string | null = null;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir' && i + 1 < argv.length) dataDir = argv[++i]!;
    else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else rest.push(a);
  }
  return { dataDir: dataDir === null ? null : path.resolve(dataDir), rest };
}

// ---------------------------------------------------------------- Electron

function defaultElectronExecutable(): string {
  if (process.platform === 'win32') return 'electron.exe';
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

/** The Electron binary, found the way `electron/index.js` finds it — without requiring it. */
function electronBinary(): string | null {
  const pkg = path.join(APP_DIR, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  let rel: string | null;
  try {
    rel = readFileSync(pathTxt, 'utf8').trim() || null;
  } catch {
    rel = null;
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, rel ?? defaultElectronExecutable())
    : rel
      ? path.join(pkg, 'dist', rel)
      : null;
  try {
    return candidate && statSync(candidate).isFile() ? candidate : null;
  } catch {
    return null;
  }
}

/** Runs electron's own install.js once (output captured, not shown). Resolves true on success. */
function tryDownloadElectron(): Promise<boolean> {
  const installJs = path.join(APP_DIR, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installJs)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installJs], {
      cwd: path.dirname(installJs),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: DOWNLOAD_TIMEOUT_MS,
      windowsHide: true,
    });
    child.stdout?.resume();
    child.stderr?.resume();
    // A real download takes a while: say so, but only when it does.
    const slow = setTimeout(() => console.log('Downloading the Electron binary…'), 2_000);
    // Ctrl+C during the download: stop it and leave.
    let interrupted = 0;
    const onSigint = () => ((interrupted = 130), child.kill());
    const onSigterm = () => ((interrupted = 143), child.kill());
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    const done = (ok: boolean) => {
      clearTimeout(slow);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
      if (interrupted) process.exit(interrupted);
      resolve(ok);
    };
    child.on('error', () => done(false));
    child.on('exit', (code) => done(code === 0));
  });
}

function runElectron(binary: string, dataDir: string | null, rest: string[]): void {
  const childEnv: NodeJS.ProcessEnv = { ...env };
  delete childEnv.ELECTRON_RUN_AS_NODE;
  if (dataDir) childEnv.EXPRESS_REPORT_DATA_DIR = dataDir;
  const child = spawn(binary, [APP_DIR, ...rest], { stdio: 'inherit', env: childEnv });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (err) => {
    console.error(`Could not start Electron: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// ---------------------------------------------------------------- browser mode

function isExecutable(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      if (isExecutable(file)) return file;
    }
  }
  return null;
}

/** A Chromium-family browser that can open an `--app=` window, or null. */
function findBrowser(): string | null {
  if (env.EXPRESS_REPORT_BROWSER) return isExecutable(env.EXPRESS_REPORT_BROWSER) ? env.EXPRESS_REPORT_BROWSER : null;
  if (process.platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    const rels = [
      ['Google', 'Chrome', 'Application', 'chrome.exe'],
      ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
      ['Chromium', 'Application', 'chrome.exe'],
    ];
    for (const rel of rels) for (const root of roots) if (isExecutable(path.join(root, ...rel))) return path.join(root, ...rel);
    return null;
  }
  if (process.platform === 'darwin') {
    for (const app of ['Google Chrome', 'Chromium', 'Microsoft Edge']) {
      const file = `/Applications/${app}.app/Contents/MacOS/${app}`;
      if (isExecutable(file)) return file;
    }
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = onPath(name);
    if (found) return found;
  }
  return isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

function hasDisplay(): boolean {
  if (process.platform === 'win32' || process.platform === 'darwin') return true;
  return !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the child has exited (is reaped). */
function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.pid === undefined || exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function browserMode(dataDir: string | null): Promise<void> {
  const cli = path.join(APP_DIR, 'dist', 'cli.cjs');
  const args = [cli, 'serve', ...(dataDir ? ['--data-dir', dataDir] : [])];
  const backend = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], windowsHide: true });
  let browser: ChildProcess | null = null;
  let profileDir: string | null = null;
  let stopping = false;

  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await Promise.all([stopChild(browser), stopChild(backend)]);
      if (profileDir) rmSync(profileDir, { recursive: true, force: true, maxRetries: 3 });
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  process.on('SIGHUP', () => void stop(129));

  backend.on('error', (err) => {
    console.error(`Could not start the backend: ${err.message}`);
    void stop(1);
  });
  backend.on('exit', (code, signal) => {
    if (stopping) return;
    // Ctrl+C in a terminal reaches the backend too; a stop on a signal is not an error.
    const clean = code === 0 || code === 130 || code === 143 || signal === 'SIGINT' || signal === 'SIGTERM';
    if (!clean) console.error(`The backend stopped (${signal ?? `exit code ${code}`}).`);
    void stop(clean ? 0 : code || 1);
  });

  const url = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), URL_TIMEOUT_MS);
    const lines = createInterface({ input: backend.stdout! });
    let found = false;
    lines.on('line', (line) => {
      const m = /^url:\s*(\S+)/.exec(line);
      if (!found && m) {
        found = true;
        clearTimeout(timer);
        resolve(m[1]!);
      } else {
        console.log(line); // anything else the backend says is passed through
      }
    });
    lines.on('close', () => {
      clearTimeout(timer);
      if (!found) resolve(null);
    });
  });
  if (stopping) return;
  if (!url) {
    console.error('The backend did not report its address.');
    await stop(1);
    return;
  }

  const printAddress = () => console.log(`Open this address in a browser: ${url}`);
  const browserPath = !flag('EXPRESS_REPORT_NO_BROWSER') && hasDisplay() ? findBrowser() : null;
  if (!browserPath) {
    printAddress();
    return; // serve until a signal arrives or the backend stops
  }

  profileDir = mkdtempSync(path.join(os.tmpdir(), 'express-report-browser-'));
  const browserArgs = [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
  ];
  // Chromium refuses to run as root without this (containers, live systems).
  if (process.platform === 'linux' && process.getuid?.() === 0) browserArgs.push('--no-sandbox');
  const started = Date.now();
  const child = spawn(browserPath, browserArgs, { stdio: 'ignore', windowsHide: false });
  browser = child;
  console.log(`Express Report Service is running in browser mode at ${url}`);
  child.on('error', (err) => {
    if (stopping) return;
    browser = null;
    console.error(`Could not start the browser (${err.message}).`);
    printAddress();
  });
  child.on('exit', (code) => {
    if (stopping) return;
    browser = null;
    if (code !== 0 && Date.now() - started < 5_000) {
      // The browser failed to start: keep serving and let the user open it.
      console.error(`The browser exited at once (exit code ${code}).`);
      printAddress();
      return;
    }
    void stop(0); // the app window was closed: stop the backend too
  });
}

async function main(): Promise<void> {
  const { dataDir, rest } = parseArgs(process.argv.slice(2));
  if (!flag('EXPRESS_REPORT_NO_ELECTRON')) {
    let binary = electronBinary();
    if (!binary && !flag('EXPRESS_REPORT_SKIP_ELECTRON_DOWNLOAD') && (await tryDownloadElectron())) {
      binary = electronBinary();
    }
    if (binary) {
      runElectron(binary, dataDir, rest);
      return;
    }
    console.log('Electron is not available here (could not download the binary); starting in browser mode.');
  }
  await browserMode(dataDir);
}

main().catch((err: unknown) => {
  console.error(`express-report launcher: ${errorText(err)}`);
  process.exit(1);
});
