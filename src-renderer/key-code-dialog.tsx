import type { FormEvent } from 'react';
import { KEY_CODE_FIELDS } from '../src-shared/opening';
import { FormDialog } from './form-dialog';
import { useI18n } from './i18n-context';
import { useSmallForm } from './use-small-form';
import { UtilityField } from './utility-field';

export interface KeyCode {
  keyCode: string;
  resultMail: string;
}

export interface KeyCodeDialogProps {
  initial: KeyCode;
  /** opening for Express (HTTPS): the result mail address is required (seed L2083) */
  forHttps: boolean;
  onOk(value: KeyCode): void;
  onCancel(): void;
}

/** 通報開局キーコードの入力: the 5-digit key code and テスト・開局結果返信メールアドレス. */
export function KeyCodeDialog({ initial, forHttps, onOk, onCancel }: KeyCodeDialogProps) {
  const { t } = useI18n();
  const rules = { keyCode: KEY_CODE_FIELDS.keyCode, resultMail: { ...KEY_CODE_FIELDS.resultMail, required: forHttps } };
  const { values, binding, check } = useSmallForm('keyCode', rules, { ...initial });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = check();
    if (checked) onOk(checked);
  };

  return (
    <FormDialog
      title={t('opening.keyCode.title')}
      surfaceClassName="dialog dialog--medium"
      contentClassName="utility-fields small-form"
      mnemonics
      onSubmit={submit}
      noValidate
      okLabel={t('ui.ok')}
      cancelLabel={t('opening.cancel')}
      onCancel={onCancel}
    >
      <p>{t('opening.keyCode.text')}</p>
      <UtilityField
        binding={binding}
        path="keyCode.keyCode"
        label={t('opening.keyCode.keyCode')}
        value={values.keyCode}
        guideKey={null}
        required
      />
      <UtilityField
        binding={binding}
        path="keyCode.resultMail"
        label={t('opening.keyCode.resultMail')}
        value={values.resultMail}
        guideKey={null}
        required={forHttps}
      />
    </FormDialog>
  );
}
