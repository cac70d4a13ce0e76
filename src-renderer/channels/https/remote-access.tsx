import { Checkbox } from '@fluentui/react-components';
import type { RefObject } from 'react';
import { mnemonicProps } from '../../lib/mnemonics';
import { KEYS, type FieldErrors, type Form } from './destination-form';
import { useI18n } from '../../lib/i18n-context';
import { MnemonicText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';

export interface RemoteAccessFieldsProps {
  form: Form;
  errors: FieldErrors;
  refs: Readonly<Record<'remoteEntry' | 'remoteUser' | 'remotePassword', RefObject<HTMLInputElement | null>>>;
  update(patch: Partial<Form>): void;
}

/** 宛先設定's リモートアクセスサービスを利用する with its entry, user and password (greyed out while off). */
export function RemoteAccessFields({ form, errors, refs, update }: RemoteAccessFieldsProps) {
  const { t } = useI18n();
  const remoteUse = t('https.dest.remoteUse');
  return (
    <fieldset className="group">
      <legend>{t('https.dest.remote')}</legend>
      <Checkbox
        label={<MnemonicText label={remoteUse} />}
        checked={form.remoteUse}
        onChange={(_e, data) => update({ remoteUse: data.checked === true })}
        {...mnemonicProps(remoteUse)}
      />
      <div className="setting-fields">
        <SettingField
          field={KEYS.remoteEntry}
          label={t('https.dest.remoteEntry')}
          value={form.remoteEntry}
          disabled={!form.remoteUse}
          error={errors.remoteEntry}
          inputRef={refs.remoteEntry}
          onChange={(remoteEntry) => update({ remoteEntry })}
        />
        <SettingField
          field={KEYS.remoteUser}
          label={t('https.dest.remoteUser')}
          value={form.remoteUser}
          disabled={!form.remoteUse}
          error={errors.remoteUser}
          inputRef={refs.remoteUser}
          onChange={(remoteUser) => update({ remoteUser })}
        />
        <SettingField
          field={KEYS.remotePassword}
          label={t('https.dest.remotePassword')}
          type="password"
          value={form.remotePassword}
          disabled={!form.remoteUse}
          error={errors.remotePassword}
          inputRef={refs.remotePassword}
          onChange={(remotePassword) => update({ remotePassword })}
        />
      </div>
      <p className="hint">{t('https.dest.remoteHint')}</p>
    </fieldset>
  );
}
