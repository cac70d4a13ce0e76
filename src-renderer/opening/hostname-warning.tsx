import { ConfirmBox } from '../ui/confirm-box';
import { useI18n } from '../lib/i18n-context';

export interface HostnameWarningProps {
  /** サーバ名称 in the key file */
  fileName: string;
  /** the OS host name */
  hostName: string;
  /** 続行: the OS host name is registered */
  onContinue(): void;
  /** 終了: leave the wizard; nothing changes */
  onExit(): void;
}

/** The seed's warning when the key file's server name is not this machine's host name (L566–572). */
export function HostnameWarning({ fileName, hostName, onContinue, onExit }: HostnameWarningProps) {
  const { t } = useI18n();
  return (
    <ConfirmBox
      title={t('opening.hostname.title')}
      message={t('opening.hostname.text', { fileName, hostName })}
      okLabel={t('opening.continue')}
      cancelLabel={t('opening.exit')}
      onOk={onContinue}
      onCancel={onExit}
    />
  );
}
