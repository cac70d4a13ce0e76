import { Button } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import { MissingList } from '../../ui/missing-list';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import '../../ui/setting-dialogs.css';
import { ProxyDialog, proxyChanges, proxySummary, type Proxy } from '../proxy-dialog';
import { ReceivePortRow } from './port-row';
import { ReceiverPanel } from './receiver-panel';

const METHOD = 'manager-express-https';
const PORT = `methods.${METHOD}.receivePort`;

/**
 * マネージャからのエクスプレス(HTTPS)通報の基本設定 (seed L2480–2530): the receive port (初期値
 * 31138, the same on every agent), the proxy the manager reaches the center through, and what
 * the administrator reads off: whether the receive service listens, the manager certificate's
 * fingerprint and the relay key for the agents. OK stores the port and the proxy in one
 * `settings:patch`; キャンセル stores neither.
 */
export function ManagerHttpsBasicDialog({ onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const store = useSettingsStore();
  const stored = store.settings.methods[METHOD];
  const missingText = store.methods.find((m) => m.name === METHOD)?.missingText ?? [];
  const form = useSettingsForm([PORT], store.settings);
  const [proxyDraft, setProxyDraft] = useState<Proxy | null>(null);
  const [child, setChild] = useState<'proxy' | 'help' | null>(null);
  const [saving, setSaving] = useState(false);
  const summaryId = useId();

  const ok = async () => {
    if (saving) return;
    form.setBanner(null);
    const port = parsePort(form.text(PORT));
    if (!form.show({ [PORT]: port === null ? t('relayui.portInvalid') : null }) || port === null) return;
    const changes = { ...(proxyDraft ? proxyChanges(METHOD, stored.proxy, proxyDraft) : {}), ...(port !== stored.receivePort ? { [PORT]: port } : {}) };
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

  const labels = { proxy: t('relayui.https.proxyButton'), help: t('relayui.help') };
  return (
    <FormDialog
      title={t('relayui.https.title')}
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
          {child === 'proxy' ? (
            <ProxyDialog
              method={METHOD}
              proxy={proxyDraft ?? stored.proxy}
              onOk={(next) => {
                setProxyDraft(next);
                form.setBanner(null);
                setChild(null);
              }}
              onClose={() => setChild(null)}
            />
          ) : null}
          {child === 'help' ? <MessageBox title={t('relayui.https.title')} message={t('relayui.https.helpText')} onClose={() => setChild(null)} /> : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <ReceivePortRow method={METHOD} form={form} />
      <fieldset className="group">
        <legend>{t('relayui.https.proxy')}</legend>
        <div className="https-actions-row">
          <Button type="button" aria-describedby={summaryId} onClick={() => setChild('proxy')} {...mnemonicProps(labels.proxy)}>
            <MnemonicButtonText label={labels.proxy} />
          </Button>
          <p className="https-summary" id={summaryId} data-testid="proxy-summary">
            {proxySummary(i18n, proxyDraft ?? stored.proxy)}
          </p>
        </div>
      </fieldset>
      <ReceiverPanel method={METHOD} />
      {missingText.length > 0 ? (
        <div className="hint" data-testid="missing">
          <MissingList lines={missingText} />
        </div>
      ) : null}
    </FormDialog>
  );
}
