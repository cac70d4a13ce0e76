import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { AppInfo } from '../src-shared/api';
import { useI18n } from './i18n-context';

export interface VersionDialogProps {
  info: AppInfo;
  onClose(): void;
}

/** ヘルプ → バージョン情報: product, product version and the report module's version. */
export function VersionDialog({ info, onClose }: VersionDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--medium">
        <DialogBody>
          <DialogTitle>{t('ui.version.title')}</DialogTitle>
          <DialogContent>
            <p className="product-name">{t('app.productName')}</p>
            <p>{t('app.title')}</p>
            <dl className="properties">
              <dt>{t('ui.version.product')}</dt>
              <dd data-testid="product-version">{info.productVersion}</dd>
              <dt>{t('ui.version.module')}</dt>
              <dd data-testid="module-version">{info.reportModuleVersion}</dd>
              <dt>{t('ui.version.dataDir')}</dt>
              <dd className="path">{info.dataDir}</dd>
            </dl>
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
