import { Button, Checkbox, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { hasRouteSettings, routeSettings } from '../../methods/registry';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import '../../ui/setting-dialogs.css';
import { dateText } from '../url-check';
import { ReceivePortRow } from './port-row';
import { ReceiverPanel } from './receiver-panel';
import { RegisterWizard } from './register-wizard';

const METHOD = 'manager-express';
const PORT = `methods.${METHOD}.receivePort`;
const FORWARD = `methods.${METHOD}.forward`;
const SMIME = `methods.${METHOD}.smime`;

type Forward = 'mail' | 'dialup';
type Child = 'register' | 'route' | 'help' | 'routeLater';

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
  const client = useApiClient();
  const store = useSettingsStore();
  const stored = store.settings.methods[METHOD];
  const form = useSettingsForm([PORT, SMIME], store.settings);
  const [forward, setForward] = useState<Forward | null>(stored.forward);
  const [child, setChild] = useState<Child | null>(null);
  const [saving, setSaving] = useState(false);
  const routeId = useId();

  const ok = async () => {
    if (saving) return;
    form.setBanner(null);
    const port = parsePort(form.text(PORT));
    if (!form.show({ [PORT]: port === null ? t('relayui.portInvalid') : null }) || port === null) return;
    const changes: SettingsChanges = { ...form.changed([SMIME]) };
    if (port !== stored.receivePort) changes[PORT] = port;
    if (forward !== stored.forward) changes[FORWARD] = forward;
    if (Object.keys(changes).length === 0) return onClose();
    setSaving(true);
    try {
      store.apply(await client.call('settings:patch', { changes }));
      onClose();
    } catch (error) {
      form.refuse(asApiError(error, lang), t('relayui.saveFailed'));
    } finally {
      setSaving(false);
    }
  };

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
    help: t('relayui.help'),
  };
  return (
    <FormDialog
      title={t('relayui.express.title')}
      surfaceClassName="dialog dialog--https dialog--relay"
      mnemonics
      busy={saving}
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onOk={() => void ok()}
      onCancel={onClose}
      extraActions={
        <Button type="button" onClick={() => setChild('help')} {...mnemonicProps(labels.help)}>
          <MnemonicButtonText label={labels.help} />
        </Button>
      }
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
          {child === 'help' ? <MessageBox title={t('relayui.express.title')} message={t('relayui.express.helpText')} onClose={() => setChild(null)} /> : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <ReceivePortRow method={METHOD} form={form} />
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
      <ReceiverPanel method={METHOD} />
    </FormDialog>
  );
}
