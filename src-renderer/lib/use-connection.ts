import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../src-shared/api';
import { hasConnectionWatch, type ConnectionState } from './connection';

/**
 * The window's connection to the service; `onBack` runs when it comes back after a loss (the
 * window then re-reads what may have changed meanwhile). Electron's bridge never loses it: there
 * the window owns the backend.
 */
export function useConnection(client: ApiClient, onBack: () => void): ConnectionState {
  const watch = hasConnectionWatch(client) ? client : null;
  const [state, setState] = useState<ConnectionState>(() => watch?.connection() ?? 'connected');
  const latest = useRef(onBack);
  latest.current = onBack;

  useEffect(() => {
    if (!watch) return undefined;
    let previous = watch.connection();
    setState(previous);
    return watch.onConnection((next) => {
      if (next === 'connected' && previous !== 'connected') latest.current();
      previous = next;
      setState(next);
    });
  }, [watch]);
  return state;
}
