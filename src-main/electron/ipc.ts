/**
 * Binds the contract (`src-shared/api.ts`) to Electron IPC, generically: one `ipcMain.handle`
 * per method in `API_METHODS`, all going through `service.call`, and the backend's event stream
 * forwarded to the window on `api:event`.
 *
 * Electron is only imported as types here: the binding takes an ipcMain-like object and a
 * window getter, so it is unit-tested with fakes in plain Node (the Electron binary cannot run
 * on the build machines).
 */
import type { IpcMain, WebContents } from 'electron';
import { API_METHODS, type ApiEvent, type ApiMethod, type CallOutcome } from '../../src-shared/api';
import { EVENT_CHANNEL } from './channels';
import { errorText } from '../lib/error-text';

export { EVENT_CHANNEL };

/** What the binding needs of the backend (`AlertService` satisfies it). */
export interface ApiService {
  call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** The part of an `IpcMainInvokeEvent` the binding looks at. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of `ipcMain` the binding uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of `webContents` events are sent through. */
export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface BindOptions {
  ipcMain: IpcMainLike;
  service: ApiService;
  /** The URL the app's own page is loaded from (`file:///…/dist/renderer/index.html`). */
  appUrl: string;
  /** The window's web contents, or null when there is no window (yet / any more). */
  target: () => EventSink | null;
  /** Told about refused calls (defaults to console.warn). */
  onRefused?: (method: string, senderUrl: string | null) => void;
}

// Compile-time checks that the real Electron objects fit the narrow shapes above.
type Fits<T extends U, U> = T;
export type _IpcMainFits = Fits<IpcMain, IpcMainLike>;
export type _WebContentsFits = Fits<WebContents, EventSink>;

/** Strips query and fragment: the renderer may use either without becoming a different page. */
function pageOf(url: string): string | null {
  try {
    const u = new URL(url);
    u.hash = '';
    u.search = '';
    return u.href;
  } catch {
    return null;
  }
}

/** True when the call comes from the app's own page (not another file, site or a detached frame). */
export function isTrustedSender(event: InvokeEventLike, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  const page = pageOf(frame.url);
  return page !== null && page === pageOf(appUrl);
}

/**
 * Registers every contract method on `ipcMain` and forwards the event stream. Returns an
 * unbind function that removes the handlers and the subscription.
 */
export function bindApi(options: BindOptions): () => void {
  const { ipcMain, service, appUrl, target } = options;
  const onRefused =
    options.onRefused ??
    ((method: string, senderUrl: string | null) =>
      console.warn(`express-report: refused IPC call ${method} from ${senderUrl ?? '(no frame)'}`));

  for (const method of API_METHODS) {
    ipcMain.handle(method, async (event, params) => {
      if (!isTrustedSender(event, appUrl)) {
        onRefused(method, event.senderFrame?.url ?? null);
        throw new Error(`refused: ${method} may only be called by the application window`);
      }
      try {
        return await service.call(method, params);
      } catch (err) {
        // service.call never throws by contract; keep the window alive if it ever does.
        const detail = errorText(err);
        return { ok: false, error: { code: 'internal', message: detail } } satisfies CallOutcome<ApiMethod>;
      }
    });
  }

  const unsubscribe = service.subscribe((event) => {
    const sink = target();
    if (sink && !sink.isDestroyed()) sink.send(EVENT_CHANNEL, event);
  });

  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipcMain.removeHandler(method);
  };
}
