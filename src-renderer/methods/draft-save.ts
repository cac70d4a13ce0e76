import { useState } from 'react';
import type { SettingsChanges } from '../../src-shared/api';
import type { MethodName } from '../../src-shared/methods';
import { useApiClient } from '../lib/client-context';
import { useSettingsStore } from '../lib/settings-store';
import { useEnableAfterSave, type EnableAfterSave } from './enable-after-save';

export interface DraftSave {
  /** a call is running: the window's buttons wait */
  busy: boolean;
  setBusy(busy: boolean): void;
  /** the backend's check of a draft (`settings:patch` with dryRun, the same as OK's): the draft, or null with the refusal shown */
  dryRun(draft: SettingsChanges): Promise<SettingsChanges | null>;
  /** OK: stores the draft in one `settings:patch`, then asks whether to enable the method (or closes) */
  save(draft: SettingsChanges): Promise<void>;
  /** the enable question, to render among the window's nested dialogs */
  dialog: EnableAfterSave['dialog'];
}

/**
 * How a destination window checks and stores what it shows (HTTPS, mail, dial-up): nothing is
 * stored before OK; `refuse` shows the backend's refusal of a draft in the window.
 */
export function useDraftSave(method: MethodName, onClose: () => void, refuse: (error: unknown) => void): DraftSave {
  const client = useApiClient();
  const store = useSettingsStore();
  const [busy, setBusy] = useState(false);
  const enabling = useEnableAfterSave(method, onClose);

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

  const save = async (draft: SettingsChanges) => {
    setBusy(true);
    try {
      store.apply(await client.call('settings:patch', { changes: draft }));
    } catch (error) {
      refuse(error);
      return;
    } finally {
      setBusy(false);
    }
    await enabling.afterSave();
  };

  return { busy, setBusy, dryRun, save, dialog: enabling.dialog };
}
