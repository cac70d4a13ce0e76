import { useState } from 'react';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { useSettingsStore } from '../lib/settings-store';
import { LazyOpeningEditor, LazyOpeningWizard } from '../opening/lazy';
import { OpeningGroup } from '../opening/opening-group';
import { FormDialog } from '../ui/form-dialog';
import { MissingList } from '../ui/missing-list';
import type { MethodDialogProps } from './method-dialogs';

/**
 * [設定...] of one report method. For the two Express methods it carries the opening (開局):
 * [開局情報の入力] starts the opening wizard (seed L2044, L2275) and [設定情報の変更...] opens the
 * settings utility over the stored opening. The other per-method set-up windows (mail, dial-up,
 * manager) come in a later version; for now this says what the method still lacks. It is the
 * registry's fallback (methods/registry.tsx) for a method without a set-up window of its own.
 */
export function MethodSetupDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const store = useSettingsStore();
  const [running, setRunning] = useState<'wizard' | 'editor' | null>(null);
  const label = methodLabel(i18n, method);
  const missingText = store.methods.find((m) => m.name === method)?.missingText ?? [];
  const express = method === 'express' || method === 'express-https';
  const forHttps = method === 'express-https';
  const done = () => {
    setRunning(null);
    store.refresh().catch(() => undefined);
  };
  return (
    <FormDialog
      title={t('ui.setup.title', { method: label })}
      surfaceClassName="dialog dialog--medium"
      mnemonics
      okLabel={t('ui.close')}
      onOk={onClose}
      onCancel={onClose}
      nested={
        <>
          {running === 'wizard' ? <LazyOpeningWizard forHttps={forHttps} onClose={() => setRunning(null)} onOpened={done} /> : null}
          {running === 'editor' ? <LazyOpeningEditor forHttps={forHttps} onClose={() => setRunning(null)} onSaved={done} /> : null}
        </>
      }
    >
      {express ? (
        <OpeningGroup opening={store.settings.opening} methodTitle={label} onInput={() => setRunning('wizard')} onChange={() => setRunning('editor')} />
      ) : null}
      {missingText.length > 0 ? <MissingList lines={missingText} /> : <p>{t('ui.setup.complete')}</p>}
      <p className="hint">{t('ui.setup.later')}</p>
    </FormDialog>
  );
}
