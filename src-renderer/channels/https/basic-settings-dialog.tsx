import { Button, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { FormError } from '../../ui/form-error';
import { asApiError } from '../../lib/errors';
import '../../ui/setting-dialogs.css';
import { mnemonicProps } from '../../lib/mnemonics';
import { FormDialog } from '../../ui/form-dialog';
import { useI18n } from '../../lib/i18n-context';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import { periodProblem, SuppressionGroup, suppressionKeys, suppressionSaved } from '../../methods/suppression-group';
import { LazyOpeningEditor, LazyOpeningWizard } from '../../opening/lazy';
import { OpeningGroup } from '../../opening/opening-group';
import { ProxyDialog, proxyChanges, proxySummary, type Proxy } from '../proxy-dialog';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { MethodMissing, useReloadAfterOpening } from '../../methods/basic-window';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { useSaveChanges } from '../../methods/save-changes';

const BASE = 'methods.express-https';
const ROUTE = `${BASE}.route`;
const { enabled: SUPPRESS, period: PERIOD } = suppressionKeys('express-https');
const KEYS = [ROUTE, SUPPRESS, PERIOD];

/**
 * エクスプレス通報サービス(HTTPS)の基本設定 (seed L2337–2368): the opening ([開局情報の入力],
 * [設定情報の変更...], the service's end), 通報手段 HTTPS or マネージャ経由 with [設定] (the
 * proxy), and 通報の抑制 (on/off and its period, best left at the defaults). OK stores the proxy
 * (as its window's OK left it), the route and the suppression in one `settings:patch`; キャンセル
 * stores none of them.
 */
export function HttpsBasicSettingsDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const store = useSettingsStore();
  const stored = store.settings.methods['express-https'];
  // switching suppression off greys out the period: its message goes
  const form = useSettingsForm(KEYS, store.settings, { related: { [SUPPRESS]: [PERIOD] } });
  /** the proxy as its window's OK left it, stored on this window's OK; null while unchanged */
  const [proxyDraft, setProxyDraft] = useState<Proxy | null>(null);
  const [child, setChild] = useState<'proxy' | 'wizard' | 'editor' | null>(null);
  const saver = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('https.saveFailed')));
  const saving = saver.busy;
  const routeId = useId();
  const summaryId = useId();
  const route = form.text(ROUTE);

  const ok = async () => {
    if (saving) return;
    form.setBanner(null);
    // With suppression off, the greyed-out period keeps what is stored.
    if (!form.show({ [PERIOD]: periodProblem(i18n, form, 'express-https') })) return;
    const changes = { ...(proxyDraft ? proxyChanges('express-https', stored.proxy, proxyDraft) : {}), ...form.changed([ROUTE, ...suppressionSaved(form, 'express-https')]) };
    await saver.saveAndClose(changes, onClose);
  };

  const reload = useReloadAfterOpening(form, () => setProxyDraft(null));
  const openingDone = () => {
    setChild(null);
    reload();
  };

  const httpsLabel = t('https.basic.route.https');
  const managerLabel = t('https.basic.route.manager');
  const proxyLabel = t('https.basic.proxyButton');

  return (
    <FormDialog
      title={t('https.basic.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      busy={saving}
      onOk={() => void ok()}
      onCancel={onClose}
      nested={
        <>
          {child === 'proxy' ? (
            <ProxyDialog
              method="express-https"
              proxy={proxyDraft ?? stored.proxy}
              onOk={(next) => {
                setProxyDraft(next);
                form.setBanner(null);
                setChild(null);
              }}
              onClose={() => setChild(null)}
            />
          ) : null}
          {child === 'wizard' ? <LazyOpeningWizard forHttps onClose={() => setChild(null)} onOpened={openingDone} /> : null}
          {child === 'editor' ? <LazyOpeningEditor forHttps onClose={() => setChild(null)} onSaved={openingDone} /> : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <OpeningGroup opening={store.settings.opening} methodTitle={t('method.express-https')} onInput={() => setChild('wizard')} onChange={() => setChild('editor')} />
      <fieldset className="group">
        <legend id={routeId}>{t('https.basic.route')}</legend>
        <div className="https-route">
          <RadioGroup
            layout="horizontal"
            aria-labelledby={routeId}
            value={route}
            onChange={(_e, data) => form.set(ROUTE, data.value === 'manager' ? 'manager' : 'https')}
          >
            <Radio value="https" label={<MnemonicText label={httpsLabel} />} {...mnemonicProps(httpsLabel)} />
            <Radio value="manager" label={<MnemonicText label={managerLabel} />} {...mnemonicProps(managerLabel)} />
          </RadioGroup>
          <Button disabled={route !== 'https'} aria-describedby={summaryId} onClick={() => setChild('proxy')} {...mnemonicProps(proxyLabel)}>
            <MnemonicButtonText label={proxyLabel} />
          </Button>
        </div>
        <p className="https-summary" id={summaryId}>
          {route === 'https' ? proxySummary(i18n, proxyDraft ?? stored.proxy) : t('https.basic.managerNote')}
        </p>
      </fieldset>
      <SuppressionGroup form={form} method="express-https" />
      <MethodMissing method={method} />
    </FormDialog>
  );
}
