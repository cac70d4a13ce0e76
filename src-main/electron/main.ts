/**
 * The Electron shell: one locked-down window over the plain-Node backend. Everything the window
 * does goes through the contract (`./ipc` binds it); the app menu is the renderer's own menu bar.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AlertService } from '../core/alert-service';
import { defaultDataDir } from '../platform/paths';
import { bindApi } from './ipc';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
].join('; ');

const indexHtml = path.join(__dirname, '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(indexHtml).href;
const preload = path.join(__dirname, 'preload.cjs');

let mainWindow: BrowserWindow | null = null;
let service: AlertService | null = null;
let unbind: (() => void) | null = null;
let closing = false;

function osLocale(): string {
  try {
    return app.getSystemLocale() || app.getLocale();
  } catch {
    return app.getLocale();
  }
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** No navigation, no new windows, no webviews — for every web contents the app ever gets. */
function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 900,
    height: 680,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: app.getName(),
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(appUrl);
  return win;
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(null);
  lockDownSession();
  service = await AlertService.open({ dataDir: defaultDataDir(), osLocale: osLocale() });
  service.startBackground((line) => console.log(line));
  unbind = bindApi({
    ipcMain,
    service,
    appUrl,
    target: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
  });
  mainWindow = createWindow();
}

async function shutdown(): Promise<void> {
  unbind?.();
  unbind = null;
  const s = service;
  service = null;
  await s?.close();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (!mainWindow && service) mainWindow = createWindow();
  });
  // Close the backend (it flushes its queue and settings) before the process goes away.
  app.on('will-quit', (event) => {
    if (closing || !service) return;
    event.preventDefault();
    closing = true;
    shutdown()
      .catch((err: unknown) => console.error('express-report: closing the service failed:', err))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error('express-report: could not start:', err);
      dialog.showErrorBox(app.getName(), `The service could not start:\n${err instanceof Error ? err.message : String(err)}`);
      app.exit(1);
    });
}
