/**
 * The Electron shell: one locked-down window over the plain-Node backend. Everything the window
 * does goes through the contract (`./ipc` binds it); the app menu is the renderer's own menu bar.
 */
import { boundHeapGrowth } from '../lib/heap';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, session, Tray, nativeImage, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApiEvent } from '../../src-shared/api';
import { translate } from '../../src-shared/i18n';
import { AlertService } from '../core/alert-service';
import { platformEventSources } from '../core/event-sources';
import { defaultDataDir } from '../platform/paths';
import { bindApi } from './ipc';
import { errorText } from '../lib/error-text';

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
let tray: Tray | null = null;

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
  boundHeapGrowth();
  Menu.setApplicationMenu(null);
  lockDownSession();
  service = await AlertService.open({ dataDir: defaultDataDir(), osLocale: osLocale(), eventSources: platformEventSources });
  service.subscribe(notifyFailure);
  await service.startBackground((line) => console.log(line));
  createTray();
  unbind = bindApi({
    ipcMain,
    service,
    appUrl,
    target: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
  });
  mainWindow = createWindow();
}

/**
 * The service keeps running in the tray when the window closes (faults are still reported);
 * the tray menu opens the window again or quits.
 */
function createTray(): void {
  const lang = service?.language() ?? 'ja';
  try {
    tray = new Tray(nativeImage.createFromPath(path.join(__dirname, 'tray.png')).resize({ width: 16, height: 16 }));
  } catch (err) {
    // No system tray (some Linux desktops): closing the window quits, as without a tray.
    console.error('express-report: no system tray:', errorText(err));
    tray = null;
    return;
  }
  tray.setToolTip(translate(lang, 'app.productName'));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: translate(lang, 'tray.open'), click: openWindow },
      { type: 'separator' },
      { label: translate(lang, 'tray.quit'), click: () => app.quit() },
    ]),
  );
  tray.on('click', openWindow);
}

function openWindow(): void {
  if (mainWindow) focusMainWindow();
  else if (service) mainWindow = createWindow();
}

/** A report that failed for good raises an OS notification (besides the notice in the window). */
function notifyFailure(event: ApiEvent): void {
  if (event.type !== 'report:changed' || event.item.state !== 'failed') return;
  if (event.item.kind === 'test' || event.item.kind === 'opening') return;
  if (!Notification.isSupported()) return;
  const lang = service?.language() ?? 'ja';
  const note = new Notification({
    title: translate(lang, 'notification.failed.title'),
    body: event.item.errorText ?? translate(lang, 'notification.failed.body', { id: event.item.id }),
  });
  note.on('click', openWindow);
  note.show();
}

async function shutdown(): Promise<void> {
  tray?.destroy();
  tray = null;
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
  // With a tray the service keeps running; without one, closing the window quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
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
      dialog.showErrorBox(app.getName(), `The service could not start:\n${errorText(err)}`);
      app.exit(1);
    });
}
