import type { AppInfo } from '../../src-shared/api';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';

export interface VersionDialogProps {
  info: AppInfo;
  onClose(): void;
}

/** ヘルプ → バージョン情報: product, product version and the report module's version. */
export function VersionDialog({ info, onClose }: VersionDialogProps) {
  const { t } = useI18n();
  return (
    <FormDialog
      title={t('ui.version.title')}
      surfaceClassName="dialog dialog--medium"
      onOk={onClose}
      onCancel={onClose}
      cancelLabel={null}
    >
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
    </FormDialog>
  );
}
