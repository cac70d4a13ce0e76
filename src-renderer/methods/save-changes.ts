import { useState } from 'react';
import type { SettingsChanges } from '../../src-shared/api';
import { useApiClient } from '../lib/client-context';
import { useSettingsStore } from '../lib/settings-store';

export interface SaveChanges {
  /** a call is running: the window's buttons wait */
  busy: boolean;
  setBusy(busy: boolean): void;
  /** the backend's check of a draft (`settings:patch` with dryRun, the same as OK's): the draft, or null with the refusal shown */
  dryRun(draft: SettingsChanges): Promise<SettingsChanges | null>;
  /** OK: stores the changes in one `settings:patch`; true when stored, false with the refusal shown */
  save(changes: SettingsChanges): Promise<boolean>;
  /** OK of a window that only stores: closes at once when nothing changed, else stores and closes (or stays open with the refusal shown) */
  saveAndClose(changes: SettingsChanges, onClose: () => void): Promise<void>;
}

/**
 * How a settings window checks and stores what it shows: nothing is stored before OK, and all of
 * it in one call; `refuse` shows the backend's refusal in the window (its banner or a field).
 */
export function useSaveChanges(refuse: (error: unknown) => void): SaveChanges {
  const client = useApiClient();
  const store = useSettingsStore();
  const [busy, setBusy] = useState(false);

  const dryRun = async (draft: SettingsChanges): Promise<SettingsChanges | null> => {
    setBusy(true);
    try {
      await client.call('settings:patch', { changes: draft, dryRun: true });
      return draft;
    } catch (error) {
      refuse(error);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const save = async (changes: SettingsChanges): Promise<boolean> => {
    setBusy(true);
    try {
      store.apply(await client.call('settings:patch', { changes }));
      return true;
    } catch (error) {
      refuse(error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const saveAndClose = async (changes: SettingsChanges, onClose: () => void) => {
    if (Object.keys(changes).length === 0 || (await save(changes))) onClose();
  };

  return { busy, setBusy, dryRun, save, saveAndClose };
}
