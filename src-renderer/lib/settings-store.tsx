import { createContext, useContext } from 'react';
import type { MethodStatus } from '../../src-shared/api';
import type { Settings } from '../../src-shared/settings';

/**
 * The settings the window holds, one store for all its dialogs: read once with `settings:get`
 * and kept live from the backend's events (`settings:changed`, `methods:changed`), so a dialog
 * reads them here instead of asking the backend again, and shows a change made by the CLI or
 * another window.
 */
export interface SettingsStore {
  /** as the backend has them (secrets masked) */
  settings: Settings;
  methods: MethodStatus[];
  /** applies what the backend has just answered (`settings:patch`): the window need not wait for the event */
  apply(settings: Settings): void;
  applyMethods(methods: MethodStatus[]): void;
  /** reads them again now (an opening was stored: the status bar and the set-up windows show it); resolves to what was read */
  refresh(): Promise<Settings>;
}

export const SettingsStoreContext = createContext<SettingsStore | null>(null);

export function useSettingsStore(): SettingsStore {
  const store = useContext(SettingsStoreContext);
  if (!store) throw new Error('SettingsStoreContext is missing');
  return store;
}

/** The live settings. */
export function useSettings(): Settings {
  return useSettingsStore().settings;
}
