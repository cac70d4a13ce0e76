import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import { useState } from 'react';
import { onMnemonicKeyDown } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { LazyOpeningEditor, LazyOpeningWizard } from '../opening/lazy';
import { OpeningGroup } from '../opening/opening-group';
import { useSettingsStore } from '../lib/settings-store';
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
  const opening = store.settings.opening;
  const missingText = store.methods.find((m) => m.name === method)?.missingText ?? [];
  const express = method === 'express' || method === 'express-https';
  const forHttps = method === 'express-https';
  const done = () => {
    setRunning(null);
    store.refresh().catch(() => undefined);
  };
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--medium" onKeyDown={onMnemonicKeyDown}>
        <DialogBody>
          <DialogTitle>{t('ui.setup.title', { method: label })}</DialogTitle>
          <DialogContent>
            {express ? (
              <OpeningGroup opening={opening} methodTitle={label} onInput={() => setRunning('wizard')} onChange={() => setRunning('editor')} />
            ) : null}
            {missingText.length > 0 ? (
              <>
                <p>{t('ui.setup.missing')}</p>
                <ul className="missing-list" aria-label={t('ui.setup.missing')}>
                  {missingText.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{t('ui.setup.complete')}</p>
            )}
            <p className="hint">{t('ui.setup.later')}</p>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {t('ui.close')}
            </Button>
          </DialogActions>
        </DialogBody>
        {running === 'wizard' ? <LazyOpeningWizard forHttps={forHttps} onClose={() => setRunning(null)} onOpened={done} /> : null}
        {running === 'editor' ? <LazyOpeningEditor forHttps={forHttps} onClose={() => setRunning(null)} onSaved={done} /> : null}
      </DialogSurface>
    </Dialog>
  );
}
