/**
 * The Electron IPC binding and the preload bridge, with Electron itself MOCKED: the Electron
 * binary cannot be downloaded or run on these machines, so `ipcMain`, the window and
 * `contextBridge`/`ipcRenderer` are fakes. What is tested is our binding logic, not Electron.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, BRIDGE_NAME, type ApiEvent, type ApiMethod, type CallOutcome } from '../../src-shared/api';
import {
  bindApi,
  EVENT_CHANNEL,
  isTrustedSender,
  type ApiService,
  type EventSink,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../src-main/electron/ipc';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What Electron does for `ipcRenderer.invoke(channel, params)` from a frame at `url`. */
  async invoke(url: string | null, channel: string, params: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: url === null ? null : { url } }, params);
  }
}

class FakeService implements ApiService {
  readonly calls: Array<{ method: string; params: unknown }> = [];
  readonly listeners = new Set<(event: ApiEvent) => void>();
  async call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>> {
    this.calls.push({ method, params });
    return { ok: true, result: { echoed: method } } as unknown as CallOutcome<ApiMethod>;
  }
  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: ApiEvent): void {
    for (const l of this.listeners) l(event);
  }
}

class FakeWebContents implements EventSink {
  destroyed = false;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
}

const APP_URL = 'file:///opt/Express%20Report%20Service/resources/app.asar/dist/renderer/index.html';

describe('Electron IPC binding (Electron itself is mocked: its binary cannot run here)', () => {
  let ipc: FakeIpcMain;
  let service: FakeService;
  let contents: FakeWebContents | null;
  let refused: Array<{ method: string; url: string | null }>;
  let unbind: () => void;

  beforeEach(() => {
    ipc = new FakeIpcMain();
    service = new FakeService();
    contents = new FakeWebContents();
    refused = [];
    unbind = bindApi({
      ipcMain: ipc,
      service,
      appUrl: APP_URL,
      target: () => contents,
      onRefused: (method, url) => refused.push({ method, url }),
    });
  });

  it('binds every contract method, and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...API_METHODS].sort());
    expect(API_METHODS.length).toBeGreaterThan(0);
  });

  it('passes each call from the app window to service.call with method and params', async () => {
    for (const method of API_METHODS) {
      const params = { probe: method };
      await expect(ipc.invoke(APP_URL, method, params)).resolves.toEqual({ ok: true, result: { echoed: method } });
    }
    expect(service.calls).toEqual(API_METHODS.map((method) => ({ method, params: { probe: method } })));
  });

  it('accepts the app page with a query or fragment', async () => {
    await expect(ipc.invoke(`${APP_URL}#/settings`, 'app:info', {})).resolves.toMatchObject({ ok: true });
    await expect(ipc.invoke(`${APP_URL}?lang=en`, 'app:info', {})).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['a web site', 'https://evil.example/'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a file next to the app page', APP_URL.replace('index.html', 'other.html')],
    ['a devtools page', 'devtools://devtools/bundled/inspector.html'],
    ['a data URL', 'data:text/html,<script>1</script>'],
    ['an unparsable URL', 'not a url'],
    ['a detached frame', null],
  ])('refuses a foreign sender: %s', async (_label, url) => {
    await expect(ipc.invoke(url, 'settings:set', { key: 'x', value: 1 })).rejects.toThrow(/refused/);
    expect(service.calls).toEqual([]);
    expect(refused).toEqual([{ method: 'settings:set', url }]);
  });

  it('turns an unexpected throw of the service into an internal-error outcome', async () => {
    service.call = async () => {
      throw new Error('boom');
    };
    await expect(ipc.invoke(APP_URL, 'app:info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
  });

  it('forwards backend events to the window on api:event', () => {
    const events: ApiEvent[] = [
      { type: 'settings:changed' },
      { type: 'notice', notice: { id: 'n1', level: 'info', message: 'hello' } },
    ];
    for (const e of events) service.emit(e);
    expect(contents!.sent).toEqual(events.map((e) => ({ channel: EVENT_CHANNEL, args: [e] })));
    expect(EVENT_CHANNEL).toBe('api:event');
  });

  it('drops events while there is no window or it is destroyed', () => {
    const old = contents!;
    contents = null;
    service.emit({ type: 'methods:changed' });
    old.destroyed = true;
    contents = old;
    service.emit({ type: 'methods:changed' });
    expect(old.sent).toEqual([]);
  });

  it('unbind removes every handler and the event subscription', () => {
    unbind();
    expect(ipc.handlers.size).toBe(0);
    expect(service.listeners.size).toBe(0);
  });

  it('isTrustedSender compares the page, not a prefix', () => {
    expect(isTrustedSender({ senderFrame: { url: APP_URL } }, APP_URL)).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: `${APP_URL}.evil.html` } }, APP_URL)).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: APP_URL.replace('file://', 'https://') } }, APP_URL)).toBe(false);
  });
});

// ---- the preload, against a mocked `electron` module ----
const electronMock = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    invoked: [] as Array<{ channel: string; params: unknown }>,
    listeners,
    emit(channel: string, payload: unknown): void {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'secret-ipc-renderer' }, payload);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electronMock.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: async (channel: string, params: unknown) => {
      electronMock.invoked.push({ channel, params });
      return { ok: true, result: channel };
    },
    on: (channel: string, l: (...args: unknown[]) => void) => {
      const set = electronMock.listeners.get(channel) ?? new Set();
      set.add(l);
      electronMock.listeners.set(channel, set);
    },
    removeListener: (channel: string, l: (...args: unknown[]) => void) => {
      electronMock.listeners.get(channel)?.delete(l);
    },
  },
}));

describe('Electron preload bridge (Electron itself is mocked: its binary cannot run here)', () => {
  it('exposes exactly window[BRIDGE_NAME] with invoke and onEvent', async () => {
    await import('../../src-main/electron/preload');
    expect([...electronMock.exposed.keys()]).toEqual([BRIDGE_NAME]);
    const bridge = electronMock.exposed.get(BRIDGE_NAME) as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('invoke passes contract methods through and refuses other names without sending', async () => {
    await import('../../src-main/electron/preload');
    const bridge = electronMock.exposed.get(BRIDGE_NAME) as import('../../src-shared/api').Bridge;
    electronMock.invoked.length = 0;
    for (const method of API_METHODS) {
      await expect(bridge.invoke(method, { a: 1 })).resolves.toEqual({ ok: true, result: method });
    }
    expect(electronMock.invoked.map((c) => c.channel)).toEqual(API_METHODS);
    for (const bad of ['api:event', 'constructor', '__proto__', 'settings:delete', 42]) {
      await expect(bridge.invoke(bad as ApiMethod, {})).rejects.toThrow(/unknown method/);
    }
    expect(electronMock.invoked).toHaveLength(API_METHODS.length);
  });

  it('onEvent delivers api:event payloads (never the IPC event) and unsubscribes', async () => {
    await import('../../src-main/electron/preload');
    const bridge = electronMock.exposed.get(BRIDGE_NAME) as import('../../src-shared/api').Bridge;
    const got: unknown[][] = [];
    const off = bridge.onEvent((...args) => got.push(args));
    electronMock.emit('api:event', { type: 'settings:changed' });
    off();
    electronMock.emit('api:event', { type: 'methods:changed' });
    expect(got).toEqual([[{ type: 'settings:changed' }]]);
    expect(electronMock.listeners.get('api:event')?.size ?? 0).toBe(0);
  });
});
