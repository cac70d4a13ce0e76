/**
 * The built Electron main bundle (dist/electron/main.cjs) run in plain Node with the `electron`
 * module FAKED — the Electron binary cannot be downloaded or run on these machines. The fake
 * records what main does with the window, session and ipcMain, and drives it: the real
 * AlertService answers IPC calls from the app page, a foreign page is refused, events reach the
 * window, the second instance focuses the window, and closing the window closes the service.
 * Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../src-shared/api';
import { startCenter } from '../helpers/center';
import { openedDataDir } from '../helpers/setup-methods';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'electron', 'main.cjs');

/** Loaded with `node -r`: answers `require('electron')` with a recording fake and runs the scenario. */
const FAKE_ELECTRON = String.raw`
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const report = { quits: 0 };
const appEvents = new EventEmitter();
let markReady;
const ready = new Promise((r) => (markReady = r));
const handlers = new Map();
const windows = [];
let headersFn = null, permissionRequestFn = null, permissionCheckFn = null;
report.menu = 'untouched';

class FakeWebContents extends EventEmitter {
  constructor() { super(); this.sent = []; this.openHandler = null; }
  isDestroyed() { return false; }
  send(channel, ...args) { this.sent.push([channel, ...args]); }
  setWindowOpenHandler(fn) { this.openHandler = fn; }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options; this.webContents = new FakeWebContents(); this.focusSteps = [];
    windows.push(this);
    appEvents.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) { this.url = url; return Promise.resolve(); }
  isMinimized() { return true; }
  isDestroyed() { return false; }
  restore() { this.focusSteps.push('restore'); }
  show() { this.focusSteps.push('show'); }
  focus() { this.focusSteps.push('focus'); }
}
const trays = [];
class Tray extends EventEmitter {
  constructor(image) { super(); this.image = image; this.menu = null; trays.push(this); report.trayIcon = image.path; }
  setToolTip(text) { report.trayTip = text; }
  setContextMenu(menu) { this.menu = menu; }
  destroy() { report.trayDestroyed = true; }
}
const nativeImage = { createFromPath: (p) => ({ path: p, resize() { return this; } }) };
class Notification extends EventEmitter {
  static isSupported() { return true; }
  constructor(options) { super(); (report.notifications = report.notifications || []).push(options); }
  show() {}
}
function finish() {
  process.stdout.write('REPORT ' + JSON.stringify(report) + '\n');
  process.exit(0);
}
const app = {
  requestSingleInstanceLock: () => true,
  on(event, fn) { appEvents.on(event, fn); return app; },
  whenReady: () => ready,
  getName: () => 'Express Report Service',
  getLocale: () => 'en-US',
  getSystemLocale: () => 'en-US',
  quit() {
    report.quits++;
    const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    appEvents.emit('will-quit', e);
    if (!e.defaultPrevented) finish();
  },
  exit(code) { report.exitCode = code; finish(); },
};
const fake = {
  app,
  BrowserWindow,
  Menu: { setApplicationMenu(menu) { report.menu = menu; }, buildFromTemplate: (template) => template },
  Tray,
  nativeImage,
  Notification,
  ipcMain: {
    handle(channel, fn) { handlers.set(channel, fn); },
    removeHandler(channel) { handlers.delete(channel); },
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived(fn) { headersFn = fn; } },
      setPermissionRequestHandler(fn) { permissionRequestFn = fn; },
      setPermissionCheckHandler(fn) { permissionCheckFn = fn; },
    },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? fake : load.call(this, request, ...rest);
};

setImmediate(async () => {
  try {
    markReady();
    while (windows.length === 0) await new Promise((r) => setTimeout(r, 5));
    const win = windows[0];
    report.webPreferences = win.options.webPreferences;
    report.url = win.url;
    headersFn({ url: win.url, responseHeaders: { 'X-Other': ['1'] } }, (r) => (report.headers = r.responseHeaders));
    permissionRequestFn(win.webContents, 'media', (granted) => (report.permissionGranted = granted));
    report.permissionCheck = permissionCheckFn(win.webContents, 'geolocation');
    const nav = { prevented: false, preventDefault() { this.prevented = true; } };
    win.webContents.emit('will-navigate', nav, 'https://evil.example/');
    report.navigationPrevented = nav.prevented;
    report.windowOpen = win.webContents.openHandler({ url: 'https://evil.example/' });
    report.channels = [...handlers.keys()];
    const own = { senderFrame: { url: win.url } };
    report.info = await handlers.get('app:info')(own, {});
    const set = await handlers.get('settings:set')(own, { key: 'ui.language', value: 'en' });
    report.setOk = set.ok;
    // A fault whose report fails for good (no destination left) raises an OS notification.
    const call = (method, params) => handlers.get(method)(own, params);
    await call('methods:setEnabled', { name: 'express-https', enabled: true });
    await call('settings:set', { key: 'methods.express-https.url1', value: '' });
    report.fault = await call('report:event', { source: 'disk', eventId: '0xc0040007', wait: true });
    try {
      await handlers.get('app:info')({ senderFrame: { url: 'https://evil.example/' } }, {});
      report.foreign = 'accepted';
    } catch (e) {
      report.foreign = e.message;
    }
    await new Promise((r) => setTimeout(r, 50));
    report.sent = win.webContents.sent;
    appEvents.emit('second-instance', {}, [], '');
    report.focusSteps = win.focusSteps;
    appEvents.emit('window-all-closed');
    // The tray keeps the service running; its menu's last item quits.
    await new Promise((r) => setTimeout(r, 50));
    report.quitsAfterWindowClosed = report.quits;
    report.trayMenu = trays[0].menu.map((item) => item.label || item.type);
    trays[0].menu[trays[0].menu.length - 1].click();
  } catch (e) {
    report.error = String(e && e.stack || e);
    finish();
  }
});
`;

interface Report {
  quits: number;
  exitCode?: number;
  error?: string;
  menu: unknown;
  webPreferences: Record<string, unknown>;
  url: string;
  headers: Record<string, string[]>;
  permissionGranted: boolean;
  permissionCheck: boolean;
  navigationPrevented: boolean;
  windowOpen: unknown;
  channels: string[];
  info: { ok: boolean; result?: { dataDir: string; osLocale: string; language: string } };
  setOk: boolean;
  foreign: string;
  sent: unknown[][];
  focusSteps: string[];
  fault: { ok: boolean; result?: { items: { state: string; failure: string }[] } };
  notifications: { title: string; body: string }[];
  trayIcon: string;
  trayTip: string;
  trayMenu: string[];
  trayDestroyed: boolean;
  quitsAfterWindowClosed: number;
}

let tmp: string;
beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('run `npm run build` first: dist/electron/main.cjs is missing');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'er-electron-main-'));
  // Express (HTTPS) opened, tested and opening-reported by the real actions against the center simulator.
  const center = await startCenter();
  try {
    await openedDataDir(path.join(tmp, 'data'), center);
  } finally {
    await center.stop();
  }
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function runMain(): Promise<{ report: Report; stderr: string }> {
  const hook = path.join(tmp, 'fake-electron.cjs');
  writeFileSync(hook, FAKE_ELECTRON);
  const dataDir = path.join(tmp, 'data');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', hook, MAIN], {
      env: { ...process.env, EXPRESS_REPORT_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
      if (!line) return reject(new Error(`no report (exit ${code}); stdout: ${stdout}; stderr: ${stderr}`));
      resolve({ report: JSON.parse(line.slice('REPORT '.length)) as Report, stderr });
    });
  });
}

describe('Electron main process wiring (the electron module is faked: its binary cannot run here)', () => {
  it('locks the window down, binds the contract to the real backend, and shuts down cleanly', async () => {
    const { report, stderr } = await runMain();
    expect(report.error, stderr).toBeUndefined();

    // Window: sandboxed, isolated, no Node, web security on, the built page over file://.
    expect(report.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join(ROOT, 'dist', 'electron', 'preload.cjs'),
    });
    expect(report.url).toBe(pathToFileURL(path.join(ROOT, 'dist', 'renderer', 'index.html')).href);
    expect(report.menu).toBeNull();

    // Session: CSP added to every response, permissions denied.
    expect(report.headers['X-Other']).toEqual(['1']);
    expect(report.headers['Content-Security-Policy']).toEqual([
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    ]);
    expect(report.permissionGranted).toBe(false);
    expect(report.permissionCheck).toBe(false);

    // Navigation and new windows refused.
    expect(report.navigationPrevented).toBe(true);
    expect(report.windowOpen).toEqual({ action: 'deny' });

    // IPC: every method bound; the app page reaches the real AlertService with the OS locale.
    expect([...report.channels].sort()).toEqual([...API_METHODS].sort());
    expect(report.info.ok).toBe(true);
    expect(report.info.result).toMatchObject({ dataDir: path.join(tmp, 'data'), osLocale: 'en-US', language: 'en' });
    expect(report.setOk).toBe(true);
    expect(report.foreign).toMatch(/refused/);
    expect(report.sent.length).toBeGreaterThan(0);
    expect(report.sent.every((s) => s[0] === 'api:event')).toBe(true);
    expect(report.sent.map((s) => (s[1] as { type: string }).type)).toContain('settings:changed');

    // Second instance focuses the window; closing it quits after the service is closed.
    expect(report.focusSteps).toEqual(['restore', 'show', 'focus']);
    expect(report.fault.result?.items).toMatchObject([{ state: 'failed', failure: 'no-destination' }]);
    expect(report.notifications).toEqual([{ title: 'Express Report Service: a report could not be sent', body: expect.stringMatching(/No destination is set up/) }]);
    // Closing the window leaves the service running in the tray; the tray's 終了 quits.
    expect(report.quitsAfterWindowClosed).toBe(0);
    expect(report.trayIcon).toBe(path.join(ROOT, 'dist', 'electron', 'tray.png'));
    expect(existsSync(report.trayIcon)).toBe(true);
    expect(report.trayTip).toBe('Express Report Service');
    expect(report.trayMenu).toEqual(['&Open AlertManager Setting Window', 'separator', 'E&xit']);
    expect(report.trayDestroyed).toBe(true);
    expect(report.quits).toBe(2); // the first quit waits for service.close(), then quits again
    expect(report.exitCode).toBeUndefined();
    expect(readdirSync(path.join(tmp, 'data'))).toContain('settings.json');
  }, 30_000);
});
