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
import type { MethodStatus } from '../../src-shared/api';
import type { Settings } from '../../src-shared/settings';
import { onMnemonicKeyDown } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { LazyOpeningEditor, LazyOpeningWizard } from '../opening/lazy';
import { OpeningGroup } from '../opening/opening-group';

export interface MethodSetupDialogProps {
  status: MethodStatus;
  opening: Settings['opening'];
  /** the opening wizard or [設定情報の変更...] stored something */
  onOpeningChanged(): void;
  onClose(): void;
}

/**
 * [設定...] of one report method. For the two Express methods it carries the opening (開局):
 * [開局情報の入力] starts the opening wizard (seed L2044, L2275) and [設定情報の変更...] opens the
 * settings utility over the stored opening. The other per-method set-up windows (mail, dial-up,
 * HTTPS, manager) come in a later version; for now this says what the method still lacks.
 */
export function MethodSetupDialog({ status, opening, onOpeningChanged, onClose }: MethodSetupDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [running, setRunning] = useState<'wizard' | 'editor' | null>(null);
  const label = methodLabel(i18n, status.name);
  const express = status.name === 'express' || status.name === 'express-https';
  const forHttps = status.name === 'express-https';
  const done = () => {
    setRunning(null);
    onOpeningChanged();
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
            {status.missingText.length > 0 ? (
              <>
                <p>{t('ui.setup.missing')}</p>
                <ul className="missing-list" aria-label={t('ui.setup.missing')}>
                  {status.missingText.map((line) => (
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
