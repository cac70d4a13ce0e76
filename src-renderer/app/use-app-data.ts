import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, AppInfo, MethodStatus, Notice } from '../../src-shared/api';
import type { Settings } from '../../src-shared/settings';
import type { Catalog } from '../events/event-tree';

export interface AppData {
  info: AppInfo;
  settings: Settings;
  methods: MethodStatus[];
  catalog: Catalog;
  notices: Notice[];
}

export interface AppDataState {
  data: AppData | null;
  loadError: Error | null;
  /** loads everything again (the retry after a failed first load) */
  reload(): void;
  /** re-reads app:info, settings and the method list; resolves to the settings read */
  refresh(): Promise<Settings>;
  setMethods(methods: MethodStatus[]): void;
  setNotices(notices: Notice[]): void;
  /** applies settings the backend has just answered (before the change event comes) */
  setSettings(settings: Settings): void;
}

function mergeNotices(current: Notice[], incoming: Notice): Notice[] {
  return [...current.filter((n) => n.id !== incoming.id), incoming];
}

/**
 * The window's data: loads app:info, settings, the method list and the event catalogue, and keeps
 * them fresh from the backend's events (a change made by the CLI or another window shows up here).
 */
export function useAppData(client: ApiClient): AppDataState {
  const [data, setData] = useState<AppData | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Replies may arrive out of order; only the newest request of each kind is applied.
  const generation = useRef({ settings: 0, methods: 0 });

  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    Promise.all([
      client.call('app:info', {}),
      client.call('settings:get', {}),
      client.call('methods:list', {}),
      client.call('catalog:get', {}),
    ]).then(
      ([info, settings, methods, catalog]) => {
        if (!cancelled) setData({ info, settings, methods, catalog, notices: info.notices });
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, attempt]);

  const refresh = useCallback(async () => {
    const mine = ++generation.current.settings;
    const methodsGen = ++generation.current.methods;
    const [info, settings, methods] = await Promise.all([
      client.call('app:info', {}),
      client.call('settings:get', {}),
      client.call('methods:list', {}),
    ]);
    if (mine !== generation.current.settings) return settings;
    setData((d) =>
      d && {
        ...d,
        info,
        settings,
        notices: info.notices,
        methods: methodsGen === generation.current.methods ? methods : d.methods,
      },
    );
    return settings;
  }, [client]);

  const refreshMethods = useCallback(async () => {
    const mine = ++generation.current.methods;
    const methods = await client.call('methods:list', {});
    if (mine === generation.current.methods) setData((d) => d && { ...d, methods });
  }, [client]);

  useEffect(
    () =>
      client.subscribe((event) => {
        const ignore = () => undefined;
        switch (event.type) {
          case 'settings:changed':
            refresh().catch(ignore);
            break;
          case 'methods:changed':
            refreshMethods().catch(ignore);
            break;
          case 'notice':
            setData((d) => d && { ...d, notices: mergeNotices(d.notices, event.notice) });
            // a notice means the backend's state moved (e.g. a corrupt file replaced by defaults)
            refresh().catch(ignore);
            break;
        }
      }),
    [client, refresh, refreshMethods],
  );

  const setMethods = useCallback((methods: MethodStatus[]) => {
    ++generation.current.methods;
    setData((d) => d && { ...d, methods });
  }, []);

  const setNotices = useCallback((notices: Notice[]) => {
    setData((d) => d && { ...d, notices });
  }, []);

  const setSettings = useCallback((settings: Settings) => {
    // a re-read still on its way was asked before this answer: it is older
    ++generation.current.settings;
    setData((d) => d && { ...d, settings });
  }, []);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);

  return { data, loadError, reload, refresh, setMethods, setNotices, setSettings };
}
