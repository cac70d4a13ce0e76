import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import { KEY_CODE_FIELDS } from '../src-shared/opening';
import { onMnemonicKeyDown } from './dialog-mnemonics';
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
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onCancel())}>
      <DialogSurface className="dialog dialog--medium" onKeyDown={onMnemonicKeyDown}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{t('opening.keyCode.title')}</DialogTitle>
            <DialogContent className="utility-fields small-form">
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
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit">
                {t('ui.ok')}
              </Button>
              <Button type="button" onClick={onCancel}>
                {t('opening.cancel')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
