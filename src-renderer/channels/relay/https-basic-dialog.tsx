import { Button } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { MethodMissing } from '../../methods/basic-window';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import '../../ui/setting-dialogs.css';
import { ProxyDialog, proxyChanges, proxySummary, type Proxy } from '../proxy-dialog';
import { ManagerBasicWindow, useManagerBasicSave } from './manager-basic-window';

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
  const { t } = i18n;
  const store = useSettingsStore();
  const stored = store.settings.methods[METHOD];
  const form = useSettingsForm([PORT], store.settings);
  const [proxyDraft, setProxyDraft] = useState<Proxy | null>(null);
  const [proxyOpen, setProxyOpen] = useState(false);
  const save = useManagerBasicSave(METHOD, form, onClose);
  const summaryId = useId();

  /** what OK stores besides the port: the proxy as its window's OK left it */
  const others = () => (proxyDraft ? proxyChanges(METHOD, stored.proxy, proxyDraft) : {});

  const proxyLabel = t('relayui.https.proxyButton');
  return (
    <ManagerBasicWindow
      method={METHOD}
      title={t('relayui.https.title')}
      helpText={t('relayui.https.helpText')}
      form={form}
      save={save}
      others={others}
      onClose={onClose}
      nested={
        proxyOpen ? (
          <ProxyDialog
            method={METHOD}
            proxy={proxyDraft ?? stored.proxy}
            onOk={(next) => {
              setProxyDraft(next);
              form.setBanner(null);
              setProxyOpen(false);
            }}
            onClose={() => setProxyOpen(false)}
          />
        ) : null
      }
      footer={<MethodMissing method={METHOD} />}
    >
      <fieldset className="group">
        <legend>{t('relayui.https.proxy')}</legend>
        <div className="https-actions-row">
          <Button type="button" aria-describedby={summaryId} onClick={() => setProxyOpen(true)} {...mnemonicProps(proxyLabel)}>
            <MnemonicButtonText label={proxyLabel} />
          </Button>
          <p className="https-summary" id={summaryId} data-testid="proxy-summary">
            {proxySummary(i18n, proxyDraft ?? stored.proxy)}
          </p>
        </div>
      </fieldset>
    </ManagerBasicWindow>
  );
}
