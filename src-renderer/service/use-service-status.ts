import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServiceStatus } from '../../src-shared/history';
import { useApiClient } from '../lib/client-context';

export interface ServiceStatusState {
  /** null until the first answer (or when the backend cannot tell) */
  status: ServiceStatus | null;
  /** applies a status the backend has just returned (service:terminate, service:extend) */
  setStatus(status: ServiceStatus): void;
}

/**
 * The service's life (S1) as the backend reports it, kept fresh: read again on `service:changed`
 * (terminated, extended, the contract ended) and on `settings:changed` (an opening starts it).
 */
export function useServiceStatus(): ServiceStatusState {
  const client = useApiClient();
  const [status, setStatusState] = useState<ServiceStatus | null>(null);
  // Replies may arrive out of order: only the newest request (or a newer direct status) is applied.
  const generation = useRef(0);

  const refresh = useCallback(() => {
    const mine = ++generation.current;
    client.call('service:status', {}).then(
      (next) => {
        if (mine === generation.current) setStatusState(next);
      },
      () => undefined,
    );
  }, [client]);

  useEffect(() => {
    refresh();
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'service:changed' || event.type === 'settings:changed') refresh();
    });
    return () => {
      generation.current++;
      unsubscribe();
    };
  }, [client, refresh]);

  const setStatus = useCallback((next: ServiceStatus) => {
    generation.current++;
    setStatusState(next);
  }, []);

  return { status, setStatus };
}
