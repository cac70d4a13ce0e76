import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { Settings } from '../src-shared/settings';
import { useI18n } from './i18n-context';
import { IntentIcon } from './icons';

export interface ServerDialogProps {
  opening: Settings['opening'];
  onClose(): void;
}

/**
 * ツール → エクスプレス通報サービス → サーバー. The opening (開局) wizard comes in a later
 * version; this says so and shows what the settings record about the opening.
 */
export function ServerDialog({ opening, onClose }: ServerDialogProps) {
  const { t, lang } = useI18n();
  const openedAt = opening ? new Date(opening.openedAt) : null;
  const date =
    openedAt && !Number.isNaN(openedAt.getTime())
      ? openedAt.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US')
      : (opening?.openedAt ?? '');
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--medium">
        <DialogBody>
          <DialogTitle>
            {t('app.productName')} - {t('ui.server.title')}
          </DialogTitle>
          <DialogContent className="message-box__content">
            <IntentIcon intent="info" />
            <div>
              <p>{t('ui.server.later')}</p>
              <dl className="properties">
                <dt>{t('ui.server.state')}</dt>
                <dd>
                  {opening ? t('ui.server.opened', { date, code: opening.userSystemCode }) : t('ui.server.notOpened')}
                </dd>
              </dl>
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {t('ui.ok')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
