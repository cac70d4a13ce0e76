import { Checkbox } from '@fluentui/react-components';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { MnemonicText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';
import { REMOTE_ENTRY, REMOTE_PASSWORD, REMOTE_USE, REMOTE_USER, type DestinationForm } from './destination-form';

/** 宛先設定's リモートアクセスサービスを利用する with its entry, user and password (greyed out while off). */
export function RemoteAccessFields({ form }: { form: DestinationForm }) {
  const { t } = useI18n();
  const remoteUse = t('https.dest.remoteUse');
  const off = !form.checked(REMOTE_USE);
  return (
    <fieldset className="group">
      <legend>{t('https.dest.remote')}</legend>
      <Checkbox label={<MnemonicText label={remoteUse} />} {...form.checkbox(REMOTE_USE)} {...mnemonicProps(remoteUse)} />
      <div className="setting-fields">
        <SettingField {...form.field(REMOTE_ENTRY)} label={t('https.dest.remoteEntry')} disabled={off} />
        <SettingField {...form.field(REMOTE_USER)} label={t('https.dest.remoteUser')} disabled={off} />
        <SettingField {...form.field(REMOTE_PASSWORD)} label={t('https.dest.remotePassword')} type="password" disabled={off} />
      </div>
      <p className="hint">{t('https.dest.remoteHint')}</p>
    </fieldset>
  );
}
