import { Button } from '@fluentui/react-components';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import type { SettingsForm } from '../../lib/settings-form';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';
import { RECEIVE_PORTS, type ManagerMethod } from './manager-methods';

/** 受信 ポート番号(P) with [初期値(E)] and the seed's "change it only together with every agent". */
export function ReceivePortRow({ method, form }: { method: ManagerMethod; form: SettingsForm<string> }) {
  const { t } = useI18n();
  const key = `methods.${method}.receivePort`;
  const initial = t('relayui.initial');
  return (
    <fieldset className="group">
      <legend>{t('relayui.receive')}</legend>
      <div className="setting-fields">
        <div className="setting-row">
          <SettingField {...form.field(key)} label={t('relayui.port')} inputMode="numeric" className="setting-input--port" />
          <Button type="button" onClick={() => form.set(key, String(RECEIVE_PORTS[method]))} {...mnemonicProps(initial)}>
            <MnemonicButtonText label={initial} />
          </Button>
        </div>
      </div>
      <p className="hint">{t('relayui.portHint', { port: RECEIVE_PORTS[method] })}</p>
    </fieldset>
  );
}
