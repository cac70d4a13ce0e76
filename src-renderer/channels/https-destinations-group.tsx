/**
 * The 宛先 group of every HTTPS destination window (Express (HTTPS) and the manager's HTTPS
 * edition): 1 次 / 2 次 URL each with its テスト通報, [宛先の読み込み] with the seed's caution, and
 * the extra CA file.
 */
import { Button } from '@fluentui/react-components';
import { useI18n } from '../lib/i18n-context';
import { mnemonicProps } from '../lib/mnemonics';
import type { SettingsForm } from '../lib/settings-form';
import { MnemonicButtonText } from '../ui/mnemonic-text';
import { SettingField } from '../ui/setting-field';

export interface HttpsDestinationsGroupProps {
  form: SettingsForm<string>;
  keys: { url1: string; url2: string; caFile: string };
  busy: boolean;
  onTest(destination: 1 | 2): void;
  onLoad(): void;
  /** the AMHTPADR.INF that [宛先の読み込み] reads, shown next to it when known */
  addressFile?: string;
}

export function HttpsDestinationsGroup({ form, keys, busy, onTest, onLoad, addressFile }: HttpsDestinationsGroupProps) {
  const { t } = useI18n();
  const row = (destination: 1 | 2) => {
    const label = t(destination === 1 ? 'https.dest.test1' : 'https.dest.test2');
    return (
      <div className="setting-row">
        <SettingField {...form.field(destination === 1 ? keys.url1 : keys.url2)} label={t(destination === 1 ? 'https.dest.url1' : 'https.dest.url2')} inputMode="url" />
        <Button type="button" disabledFocusable={busy} onClick={() => onTest(destination)} {...mnemonicProps(label)}>
          <MnemonicButtonText label={label} />
        </Button>
      </div>
    );
  };
  const loadLabel = t('https.dest.load');
  return (
    <fieldset className="group">
      <legend>{t('https.dest.destinations')}</legend>
      <div className="setting-fields">
        {row(1)}
        {row(2)}
      </div>
      <div className="https-actions-row">
        <Button type="button" disabledFocusable={busy} onClick={onLoad} {...mnemonicProps(loadLabel)}>
          <MnemonicButtonText label={loadLabel} />
        </Button>
        {addressFile !== undefined ? (
          <p className="https-path" data-testid="address-file">
            {t('https.dest.addressFile')}: <code>{addressFile}</code>
          </p>
        ) : null}
      </div>
      <p className="hint">{t('https.dest.loadWarning')}</p>
      <div className="setting-fields">
        <SettingField {...form.field(keys.caFile)} label={t('https.dest.caFile')} />
      </div>
      <p className="hint">{t('https.dest.caHint')}</p>
    </fieldset>
  );
}
