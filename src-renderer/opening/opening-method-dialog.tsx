import { Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState, type FormEvent } from 'react';
import { mnemonicProps } from '../lib/mnemonics';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';
import { MnemonicText } from '../ui/mnemonic-text';
import type { OpeningMode } from './opening-form';

export interface OpeningMethodDialogProps {
  initial: OpeningMode;
  onContinue(mode: OpeningMode): void;
  onCancel(): void;
}

/** 開局方式選択: はい (a key file) or いいえ (the key code), [続行] [キャンセル] (seed L540, L2062). */
export function OpeningMethodDialog({ initial, onContinue, onCancel }: OpeningMethodDialogProps) {
  const { t } = useI18n();
  const [mode, setMode] = useState<OpeningMode>(initial);
  const questionId = useId();
  const keyFile = t('opening.select.keyFile');
  const keyCode = t('opening.select.keyCode');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onContinue(mode);
  };

  return (
    <FormDialog
      title={t('opening.select.title')}
      surfaceClassName="dialog dialog--medium"
      mnemonics
      onSubmit={submit}
      okLabel={t('opening.continue')}
      cancelLabel={t('opening.cancel')}
      onCancel={onCancel}
    >
      <p id={questionId}>{t('opening.select.question')}</p>
      <RadioGroup
        aria-labelledby={questionId}
        value={mode}
        onChange={(_e, data) => setMode(data.value === 'key-code' ? 'key-code' : 'key-file')}
      >
        <Radio
          value="key-file"
          label={<MnemonicText label={keyFile} />}
          {...mnemonicProps(keyFile)}
        />
        <Radio
          value="key-code"
          label={<MnemonicText label={keyCode} />}
          {...mnemonicProps(keyCode)}
        />
      </RadioGroup>
      <p className="hint">{t('opening.select.smimeNote')}</p>
    </FormDialog>
  );
}
