import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { MethodStatus } from '../src-shared/api';
import { useI18n } from './i18n-context';
import { methodLabel } from './labels';

export interface MethodSetupDialogProps {
  status: MethodStatus;
  onClose(): void;
}

/**
 * [設定...] of one report method. The per-method set-up windows (mail, dial-up, HTTPS, manager)
 * come in a later version; for now this says what the method still lacks.
 */
export function MethodSetupDialog({ status, onClose }: MethodSetupDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const label = methodLabel(i18n, status.name);
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--small">
        <DialogBody>
          <DialogTitle>{t('ui.setup.title', { method: label })}</DialogTitle>
          <DialogContent>
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
      </DialogSurface>
    </Dialog>
  );
}
