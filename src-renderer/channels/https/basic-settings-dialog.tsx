import { Button, Checkbox, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { SUPPRESSION_PERIOD_RANGE } from '../../../src-shared/settings';
import { FormError } from '../../ui/form-error';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import '../../ui/setting-dialogs.css';
import { mnemonicProps } from '../../lib/mnemonics';
import { FormDialog } from '../../ui/form-dialog';
import { MissingList } from '../../ui/missing-list';
import { useI18n } from '../../lib/i18n-context';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import { LazyOpeningEditor, LazyOpeningWizard } from '../../opening/lazy';
import { OpeningGroup } from '../../opening/opening-group';
import { ProxyDialog, proxyChanges, proxySummary, type Proxy } from '../proxy-dialog';
import { SettingField } from '../../ui/setting-field';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import type { MethodDialogProps } from '../../methods/method-dialogs';

const BASE = 'methods.express-https';
const ROUTE = `${BASE}.route`;
const SUPPRESS = `${BASE}.suppression.enabled`;
const PERIOD = `${BASE}.suppression.periodMinutes`;
const KEYS = [ROUTE, SUPPRESS, PERIOD];

/** 抑制期間 as typed: whole minutes within SUPPRESSION_PERIOD_RANGE, else null. */
function parsePeriod(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const minutes = Number(trimmed);
  return minutes >= SUPPRESSION_PERIOD_RANGE.min && minutes <= SUPPRESSION_PERIOD_RANGE.max ? minutes : null;
}

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
  const client = useApiClient();
  const store = useSettingsStore();
  const stored = store.settings.methods['express-https'];
  const missingText = store.methods.find((m) => m.name === method)?.missingText ?? [];
  // switching suppression off greys out the period: its message goes
  const form = useSettingsForm(KEYS, store.settings, { related: { [SUPPRESS]: [PERIOD] } });
  /** the proxy as its window's OK left it, stored on this window's OK; null while unchanged */
  const [proxyDraft, setProxyDraft] = useState<Proxy | null>(null);
  const [child, setChild] = useState<'proxy' | 'wizard' | 'editor' | null>(null);
  const [saving, setSaving] = useState(false);
  const routeId = useId();
  const summaryId = useId();
  const route = form.text(ROUTE);
  const suppress = form.checked(SUPPRESS);

  const ok = async () => {
    if (saving) return;
    form.setBanner(null);
    // With suppression off, the greyed-out period keeps what is stored.
    if (suppress && !form.show({ [PERIOD]: parsePeriod(form.text(PERIOD)) === null ? t('history.suppression.periodInvalid') : null })) return;
    const changes = { ...(proxyDraft ? proxyChanges('express-https', stored.proxy, proxyDraft) : {}), ...form.changed(suppress ? KEYS : [ROUTE, SUPPRESS]) };
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    try {
      store.apply(await client.call('settings:patch', { changes }));
      onClose();
    } catch (error) {
      form.refuse(asApiError(error, lang), t('https.saveFailed'));
    } finally {
      setSaving(false);
    }
  };

  const openingDone = () => {
    setChild(null);
    // a new opening erases the earlier settings (seed L3117): show them as they are now
    store.refresh().then(
      (settings) => {
        form.reset(settings);
        setProxyDraft(null);
      },
      () => undefined,
    );
  };

  const httpsLabel = t('https.basic.route.https');
  const managerLabel = t('https.basic.route.manager');
  const proxyLabel = t('https.basic.proxyButton');
  const suppressLabel = t('history.suppression.enabled');

  return (
    <FormDialog
      title={t('https.basic.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      busy={saving}
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
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
      <fieldset className="group">
        <legend>{t('https.basic.suppression')}</legend>
        <div className="suppression">
          <Checkbox label={<MnemonicText label={suppressLabel} />} {...form.checkbox(SUPPRESS)} {...mnemonicProps(suppressLabel)} />
          <div className="setting-fields suppression__period">
            <SettingField
              {...form.field(PERIOD)}
              label={t('history.suppression.period')}
              disabled={!suppress}
              inputMode="numeric"
              className="setting-input--port"
            />
          </div>
        </div>
        <p className="hint">
          {t('history.suppression.explain')}
          <br />
          {t('history.suppression.note')}
        </p>
      </fieldset>
      {missingText.length > 0 ? (
        <div className="hint">
          <MissingList lines={missingText} />
        </div>
      ) : null}
    </FormDialog>
  );
}
