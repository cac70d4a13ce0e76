import {
  api,
  BRIDGE_NAME,
  type ApiClient,
  type ApiEvent,
  type ApiMethod,
  type Bridge,
  type Params,
  type Result,
} from '../../src-shared/api';
import { ApiError, isApiErrorData } from '../../src-shared/errors';
import { historyItemSchema } from '../../src-shared/history';
import { translate, type Language } from '../../src-shared/i18n';
import { ConnectionMonitor, type ConnectionWatch } from './connection';

/** The header the loopback server checks on every call. */
const TOKEN_HEADER = 'X-Express-Report-Token';
const TOKEN_STORAGE_KEY = 'express-report.token';

export interface ApiClientOptions {
  /** The language for errors the transport itself raises (the backend's errors come translated). */
  language?: () => Language;
}

function documentLanguage(): Language {
  return document.documentElement.lang === 'en' ? 'en' : 'ja';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isBridge(value: unknown): value is Bridge {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Bridge).invoke === 'function' &&
    typeof (value as Bridge).onEvent === 'function'
  );
}

/**
 * Every event type the backend sends, each named once: the type check fails when ApiEvent gains
 * one that is not here (a list written out by hand once left `manager:changed` out, and the
 * manager's window never heard its receive service start).
 */
const EVENT_TYPES: Record<ApiEvent['type'], true> = {
  'settings:changed': true,
  progress: true,
  'methods:changed': true,
  notice: true,
  'report:changed': true,
  'service:changed': true,
  'manager:changed': true,
};

export function isApiEvent(value: unknown): value is ApiEvent {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  // a history item is checked like a call's result: the history view trusts its fields
  if (type === 'report:changed') return historyItemSchema.safeParse((value as { item?: unknown }).item).success;
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}

/**
 * Reads the session token: from `?token=` when the page was opened with one (then it is kept in
 * sessionStorage and removed from the address bar), otherwise from sessionStorage (a reload).
 */
function readToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    } catch {
      // storage may be disabled; the token in the URL still works for this page load
    }
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Turns a transport's `CallOutcome` into the checked result or a thrown ApiError. */
function settle<M extends ApiMethod>(method: M, outcome: unknown, lang: () => Language): Result<M> {
  if (typeof outcome !== 'object' || outcome === null || typeof (outcome as { ok?: unknown }).ok !== 'boolean') {
    throw new ApiError({
      code: 'transport',
      message: translate(lang(), 'error.transport', { detail: `${method}: unexpected reply` }),
    });
  }
  const o = outcome as { ok: boolean; result?: unknown; error?: unknown };
  if (!o.ok) {
    if (isApiErrorData(o.error)) throw new ApiError(o.error);
    throw new ApiError({
      code: 'transport',
      message: translate(lang(), 'error.transport', { detail: `${method}: malformed error` }),
    });
  }
  const parsed = api[method].result.safeParse(o.result);
  if (!parsed.success) {
    throw new ApiError({
      code: 'internal',
      message: translate(lang(), 'error.internal', { detail: `${method}: ${parsed.error.message}` }),
    });
  }
  return parsed.data as Result<M>;
}

function bridgeClient(bridge: Bridge, lang: () => Language): ApiClient {
  return {
    async call(method, params) {
      let outcome: unknown;
      try {
        outcome = await bridge.invoke(method, params);
      } catch (error) {
        throw new ApiError({ code: 'transport', message: translate(lang(), 'error.transport', { detail: describe(error) }) });
      }
      return settle(method, outcome, lang);
    },
    subscribe(listener) {
      return bridge.onEvent((event) => {
        if (isApiEvent(event)) listener(event);
      });
    },
  };
}

/** What `POST /api/<method>` came to: a reply, no service at all, or a service refusing the token. */
type Posted = { kind: 'reply'; response: Response } | { kind: 'lost'; error: unknown } | { kind: 'replaced' };

async function post(token: string, method: string, params: unknown): Promise<Posted> {
  let response: Response;
  try {
    response = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(params ?? {}),
      cache: 'no-store',
    });
  } catch (error) {
    return { kind: 'lost', error };
  }
  // the server answers 403 only to a wrong token (or a foreign page): a restarted service has a new one
  if (response.status === 403) return { kind: 'replaced' };
  return { kind: 'reply', response };
}

function httpClient(token: string | null, lang: () => Language): ApiClient & ConnectionWatch {
  const listeners = new Set<(event: ApiEvent) => void>();
  let source: EventSource | null = null;

  const monitor = new ConnectionMonitor(async () => {
    if (token === null) return 'replaced';
    const probe = await post(token, 'app:info', {});
    if (probe.kind !== 'reply') return probe.kind;
    // the service is back with this page's token: the event stream opens again, and says so
    if (listeners.size > 0 && source === null) openEvents();
    else if (source === null || source.readyState === EventSource.OPEN) monitor.connected();
    return 'connected';
  });

  const closeEvents = () => {
    source?.close();
    source = null;
  };
  // a reload or a closing tab ends the stream too: that is no lost service
  let leaving = false;
  window.addEventListener('pagehide', () => {
    leaving = true;
    closeEvents();
  });

  function openEvents(): void {
    if (source || token === null) return;
    const opened = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source = opened;
    opened.onopen = () => monitor.connected();
    // the service stopped (or refused the stream): the window says so at once and keeps asking
    opened.onerror = () => {
      if (source !== opened || leaving) return;
      closeEvents();
      monitor.down(monitor.connection() === 'replaced' ? 'replaced' : 'lost');
    };
    opened.onmessage = (message: MessageEvent<string>) => {
      let event: unknown;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!isApiEvent(event)) return;
      for (const listener of [...listeners]) listener(event);
    };
  }

  return {
    async call<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> {
      const transportError = (detail: string) =>
        new ApiError({ code: 'transport', message: translate(lang(), 'error.transport', { detail }) });
      if (token === null) throw transportError(translate(lang(), 'ui.noToken'));
      const posted = await post(token, method, params);
      if (posted.kind === 'lost') {
        monitor.down('lost');
        throw transportError(translate(lang(), 'connection.lost.detail'));
      }
      if (posted.kind === 'replaced') {
        monitor.down('replaced');
        throw transportError(translate(lang(), 'connection.replaced.detail'));
      }
      const { response } = posted;
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw transportError(`HTTP ${response.status}`);
      }
      if (!response.ok && !(typeof body === 'object' && body !== null && 'ok' in body)) {
        throw transportError(`HTTP ${response.status}`);
      }
      return settle(method, body, lang);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (monitor.connection() === 'connected') openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) closeEvents();
      };
    },
    connection: () => monitor.connection(),
    onConnection: (listener) => monitor.onConnection(listener),
  };
}

/** The contract client: the Electron preload bridge when present, otherwise loopback HTTP. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const lang = options.language ?? documentLanguage;
  const bridge: unknown = (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
  if (isBridge(bridge)) return bridgeClient(bridge, lang);
  return httpClient(readToken(), lang);
}

/** True when the window runs inside Electron (the preload bridge is present). */
export function isElectron(): boolean {
  return isBridge((window as unknown as Record<string, unknown>)[BRIDGE_NAME]);
}
