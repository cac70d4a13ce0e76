import { Checkbox } from '@fluentui/react-components';
import type { MessageKey } from '../../src-shared/i18n';
import { useI18n } from '../lib/i18n-context';
import { mnemonicProps } from '../lib/mnemonics';
import type { SettingsForm } from '../lib/settings-form';
import { MnemonicText } from '../ui/mnemonic-text';
import { SettingField } from '../ui/setting-field';

/** The settings keys of a remote-access block (`methods.express-https.remoteAccess`, `methods.express.mail.remoteAccess`). */
export function remoteAccessKeys(base: string) {
  const use = `${base}.use`;
  const entry = `${base}.entry`;
  const user = `${base}.user`;
  const password = `${base}.password`;
  return { use, entry, user, password, all: [use, entry, user, password], related: { [use]: [entry, user, password] } };
}

/** The labels a window gives the block (each channel's seed window words them its own way). */
export interface RemoteAccessLabels {
  legend: MessageKey;
  use: MessageKey;
  entry: MessageKey;
  user: MessageKey;
  password: MessageKey;
  hints: readonly MessageKey[];
}

/**
 * リモートアクセスサービスの利用 of a destination window: the check box, the entry, the user and
 * the password (greyed out while off), bound to the block's keys in the window's form.
 */
export function RemoteAccessFields({ form, base, labels }: { form: SettingsForm<string>; base: string; labels: RemoteAccessLabels }) {
  const { t } = useI18n();
  const keys = remoteAccessKeys(base);
  const useLabel = t(labels.use);
  const off = !form.checked(keys.use);
  return (
    <fieldset className="group">
      <legend>{t(labels.legend)}</legend>
      <Checkbox label={<MnemonicText label={useLabel} />} {...form.checkbox(keys.use)} {...mnemonicProps(useLabel)} />
      <div className="setting-fields">
        <SettingField {...form.field(keys.entry)} label={t(labels.entry)} disabled={off} />
        <SettingField {...form.field(keys.user)} label={t(labels.user)} disabled={off} />
        <SettingField {...form.field(keys.password)} label={t(labels.password)} type="password" disabled={off} />
      </div>
      {labels.hints.map((hint) => (
        <p key={hint} className="hint">
          {t(hint)}
        </p>
      ))}
    </fieldset>
  );
}
