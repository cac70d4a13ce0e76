import { Button, Checkbox, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { hasRouteSettings, routeSettings } from '../../methods/registry';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import '../../ui/setting-dialogs.css';
import { dateText } from '../url-check';
import { ManagerBasicWindow, useManagerBasicSave } from './manager-basic-window';
import { RegisterWizard } from './register-wizard';

const METHOD = 'manager-express';
const PORT = `methods.${METHOD}.receivePort`;
const FORWARD = `methods.${METHOD}.forward`;
const SMIME = `methods.${METHOD}.smime`;

type Forward = 'mail' | 'dialup';
type Child = 'register' | 'route' | 'routeLater';

/**
 * マネージャからのエクスプレス通報の基本設定 (seed L1078–1110, L1190–1225): 受信 ポート番号(P)
 * 31136 with [初期値(E)]; 送信: the center's destination is registered first ([宛先登録(A)...] →
 * 通報開局FD読み取りツール); 通報手段 インターネットメール経由(I) / ダイヤルアップ経由(D) with
 * [設定(S)...] (the route's own window for method manager-express, which stores its own
 * settings); S/MIME有効(M); the receive service's state, fingerprint and relay key. OK stores the
 * port, the route and S/MIME in one `settings:patch`; キャンセル stores none of them.
 */
export function ManagerExpressBasicDialog({ method, onClose }: MethodDialogProps) {
  const { t, lang } = useI18n();
  const store = useSettingsStore();
  const stored = store.settings.methods[METHOD];
  const form = useSettingsForm([PORT, SMIME], store.settings);
  const [forward, setForward] = useState<Forward | null>(stored.forward);
  const [child, setChild] = useState<Child | null>(null);
  const save = useManagerBasicSave(METHOD, form, onClose);
  const routeId = useId();

  /** what OK stores besides the port */
  const others = (): SettingsChanges => ({ ...form.changed([SMIME]), ...(forward !== stored.forward ? { [FORWARD]: forward } : {}) });

  const openRoute = () => {
    if (!forward) return;
    setChild(hasRouteSettings(forward) ? 'route' : 'routeLater');
  };

  const registeredAt = stored.destinationsRegisteredAt;
  const labels = {
    register: t('relayui.express.register'),
    mail: t('relayui.express.mail'),
    dialup: t('relayui.express.dialup'),
    settings: t('relayui.express.routeSettings'),
    smime: t('relayui.express.smime'),
  };
  return (
    <ManagerBasicWindow
      method={METHOD}
      title={t('relayui.express.title')}
      helpText={t('relayui.express.helpText')}
      form={form}
      save={save}
      others={others}
      onClose={onClose}
      nested={
        <>
          {child === 'register' ? (
            <RegisterWizard
              onClose={() => setChild(null)}
              onRegistered={() => {
                store.refresh().catch(() => undefined);
              }}
            />
          ) : null}
          {child === 'route' && forward ? routeSettings(forward, method, () => setChild(null)) : null}
          {child === 'routeLater' ? <MessageBox title={t('relayui.express.title')} message={t('relayui.express.routeLater')} onClose={() => setChild(null)} /> : null}
        </>
      }
    >
      <fieldset className="group">
        <legend>{t('relayui.express.send')}</legend>
        <p>{t('relayui.express.registerText')}</p>
        <div className="https-actions-row">
          <Button type="button" onClick={() => setChild('register')} {...mnemonicProps(labels.register)}>
            <MnemonicButtonText label={labels.register} />
          </Button>
          <p className={registeredAt ? 'https-state https-state--ok' : 'https-state'} data-testid="registered-state">
            {registeredAt ? t('relayui.express.registered', { date: dateText(lang, registeredAt) }) : t('relayui.express.notRegistered')}
          </p>
        </div>
        <p className="hint">{t('relayui.register.note')}</p>
        <p id={routeId}>{t('relayui.express.routeText')}</p>
        <div className="https-route">
          <RadioGroup layout="horizontal" aria-labelledby={routeId} value={forward ?? ''} onChange={(_e, data) => setForward(data.value === 'dialup' ? 'dialup' : 'mail')}>
            <Radio value="mail" label={<MnemonicText label={labels.mail} />} {...mnemonicProps(labels.mail)} />
            <Radio value="dialup" label={<MnemonicText label={labels.dialup} />} {...mnemonicProps(labels.dialup)} />
          </RadioGroup>
          <Button type="button" disabled={!forward} onClick={openRoute} {...mnemonicProps(labels.settings)}>
            <MnemonicButtonText label={labels.settings} />
          </Button>
        </div>
        <Checkbox label={<MnemonicText label={labels.smime} />} {...form.checkbox(SMIME)} {...mnemonicProps(labels.smime)} />
      </fieldset>
    </ManagerBasicWindow>
  );
}
