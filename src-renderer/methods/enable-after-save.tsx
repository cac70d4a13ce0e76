import { useState, type ReactNode } from 'react';
import type { MethodName } from '../../src-shared/methods';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { useSettingsStore } from '../lib/settings-store';
import { MessageBox } from '../ui/message-box';
import { QuestionBox } from '../ui/question-box';

export interface EnableAfterSave {
  /**
   * After a destination window's OK has stored its values: when the method is disabled but now set
   * up, asks whether to enable it (seed L2453–2464, L907–911); else closes the window.
   */
  afterSave(): Promise<void>;
  /** the question (or the refusal to enable), to render among the window's nested dialogs */
  dialog: ReactNode;
}

/** The "enable this method?" step that ends a destination window's OK (W6), the same for every channel. */
export function useEnableAfterSave(method: MethodName, onClose: () => void): EnableAfterSave {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const store = useSettingsStore();
  const [step, setStep] = useState<{ kind: 'ask' } | { kind: 'failed'; message: string; details?: string[] } | null>(null);
  const name = methodLabel(i18n, method);

  const afterSave = async () => {
    try {
      const status = (await client.call('methods:list', {})).find((s) => s.name === method);
      if (status && !status.enabled && status.configured) {
        setStep({ kind: 'ask' });
        return;
      }
    } catch {
      // the settings are stored; the question can wait for the next time
    }
    onClose();
  };

  const enable = async () => {
    try {
      store.applyMethods(await client.call('methods:setEnabled', { name: method, enabled: true }));
      onClose();
    } catch (error) {
      const e = asApiError(error, lang);
      setStep({ kind: 'failed', message: `${t('https.dest.enableFailed')} ${e.message}`, details: e.details });
    }
  };

  const dialog =
    step?.kind === 'ask' ? (
      <QuestionBox
        title={name}
        message={t('https.dest.enableQuestion', { method: name })}
        note={t('https.dest.enableLater', { method: name })}
        onYes={() => void enable()}
        onNo={onClose}
      />
    ) : step?.kind === 'failed' ? (
      <MessageBox intent="error" title={name} message={step.message} details={step.details} onClose={onClose} />
    ) : null;
  return { afterSave, dialog };
}
