import { KEY_CODE_FIELDS } from '../../src-shared/opening';
import { useI18n } from '../lib/i18n-context';
import { SmallFormDialog } from '../ui/small-form-dialog';

export interface KeyCode {
  keyCode: string;
  resultMail: string;
}

export interface KeyCodeDialogProps {
  initial: KeyCode;
  onOk(value: KeyCode): void;
  onCancel(): void;
}

/**
 * 通報開局キーコードの入力: the 5-digit key code and テスト・開局結果返信メールアドレス. The address
 * is asked for on every key-code opening (seed L2083 asks it for Express (HTTPS)): an opening made
 * from ツール → サーバー serves Express (HTTPS) as well, and a key-code opening has no customer
 * page, so without it the test and opening reports would have nowhere to send their results.
 */
export function KeyCodeDialog({ initial, onOk, onCancel }: KeyCodeDialogProps) {
  const { t } = useI18n();
  return (
    <SmallFormDialog
      title={t('opening.keyCode.title')}
      text={t('opening.keyCode.text')}
      prefix="keyCode"
      fields={[
        { name: 'keyCode', label: t('opening.keyCode.keyCode'), rule: KEY_CODE_FIELDS.keyCode },
        { name: 'resultMail', label: t('opening.keyCode.resultMail'), rule: { ...KEY_CODE_FIELDS.resultMail, required: true } },
      ]}
      initial={initial}
      onOk={onOk}
      onCancel={onCancel}
    />
  );
}
