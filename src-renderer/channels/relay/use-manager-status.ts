import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';

export type ManagerStatus = Result<'manager:status'>;

/**
 * The manager's receive services as `manager:status` tells them, asked again whenever the backend
 * says one started or stopped listening or could not listen (`manager:changed`, sent once the
 * service has settled) or the settings changed. No timed re-ask: the event is the signal. `error`
 * is the reason in the user's language when the last ask failed.
 */
export function useManagerStatus(): { status: ManagerStatus | null; error: string | null; refresh(): void } {
  const client = useApiClient();
  const { lang } = useI18n();
  const [status, setStatus] = useState<ManagerStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const refresh: () => void = useCallback(() => {
    const mine = ++generation.current;
    client.call('manager:status', {}).then(
      (next) => {
        if (mine !== generation.current) return;
        // Read just after a change of the settings, it may say "enabled, not listening" while the
        // service starts: the service's own `manager:changed` follows once it listens (or failed).
        setStatus(next);
        setError(null);
      },
      (e: unknown) => {
        if (mine === generation.current) setError(asApiError(e, lang).message);
      },
    );
  }, [client, lang]);

  useEffect(() => {
    refresh();
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'manager:changed' || event.type === 'settings:changed' || event.type === 'service:changed') refresh();
    });
    return () => {
      generation.current++;
      unsubscribe();
    };
  }, [client, refresh]);

  return { status, error, refresh };
}
