/**
 * The sandboxed preload: exposes exactly `window[BRIDGE_NAME]` (the `Bridge` of
 * `src-shared/api.ts`) and nothing else.
 *
 * It imports the contract as types only: importing `api.ts` as a value would bundle zod and the
 * catalogues (~750 KB) into a script that runs before every page load. The method table below
 * is checked by the compiler to hold exactly the contract's methods (a missing or extra name is
 * a type error), and the unit test compares it with `API_METHODS`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiMethod, Bridge, BRIDGE_NAME } from '../../src-shared/api';
import { EVENT_CHANNEL } from './channels';

const bridgeName: typeof BRIDGE_NAME = 'expressReport';

const METHODS: Readonly<Record<ApiMethod, true>> = {
  'app:info': true,
  'settings:get': true,
  'settings:set': true,
  'settings:patch': true,
  'methods:list': true,
  'methods:setEnabled': true,
  'schedule:set': true,
  'catalog:get': true,
  'opening:get': true,
  'opening:readKeyFile': true,
  'opening:commit': true,
  'opening:update': true,
  'https:definitions': true,
  'https:loadAddressFile': true,
  'report:test': true,
  'report:opening': true,
  'report:cancel': true,
  'notices:dismiss': true,
  'report:pseudoFault': true,
  'report:event': true,
  'history:list': true,
  'history:resend': true,
  'service:status': true,
  'service:terminate': true,
  'service:extend': true,
  'manager:status': true,
  'manager:key': true,
  'manager:agents': true,
  'manager:register': true,
  'manager:probe': true,
  'manager:trust': true,
  'manager:reachTest': true,
  'dialup:ports': true,
  'dialup:zeroDial': true,
};
const known: ReadonlySet<string> = new Set(Object.keys(METHODS));

const bridge: Bridge = {
  invoke(method, params) {
    if (typeof method !== 'string' || !known.has(method)) {
      return Promise.reject(new Error(`unknown method: ${String(method)}`));
    }
    return ipcRenderer.invoke(method, params) as Promise<unknown>;
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // Never hand the IpcRendererEvent (it holds `sender`) to the page.
    const wrapped = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld(bridgeName, bridge);
