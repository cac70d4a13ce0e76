import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Radio,
  RadioGroup,
  Spinner,
} from '@fluentui/react-components';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { MethodStatus } from '../../../src-shared/api';
import { SUPPRESSION_PERIOD_RANGE, type Settings } from '../../../src-shared/settings';
import { FormError } from '../../ui/form-error';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import '../../ui/setting-dialogs.css';
import { mnemonicProps, onMnemonicKeyDown } from '../../lib/mnemonics';
import { useI18n, type I18n } from '../../lib/i18n-context';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import { LazyOpeningEditor, LazyOpeningWizard } from '../../opening/lazy';
import { OpeningGroup } from '../../opening/opening-group';
import { ProxyDialog, proxyChanges, type Proxy } from '../shared/proxy-dialog';
import { SettingField } from '../../ui/setting-field';
import { changed, refusalText, saveChanges } from '../../lib/settings-save';

type Https = Settings['methods']['express-https'];
type Route = Https['route'];

const SUPPRESSION = 'methods.express-https.suppression';

export interface HttpsBasicSettingsDialogProps {
  status: MethodStatus;
  opening: Settings['opening'];
  /** the opening wizard or [設定情報の変更...] stored something */
  onOpeningChanged(): void;
  onClose(): void;
}

function proxySummary({ t }: I18n, proxy: Https['proxy']): string {
  if (!proxy.enabled) return t('https.basic.proxyNone');
  const params = { host: proxy.host, port: proxy.port, user: proxy.user };
  return t(proxy.user ? 'https.basic.proxyUser' : 'https.basic.proxyUsed', params);
}

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
 * (as its window's OK left it), the route and the suppression; キャンセル stores none of them.
 */
export function HttpsBasicSettingsDialog({ status, opening, onOpeningChanged, onClose }: HttpsBasicSettingsDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [stored, setStored] = useState<Https | null>(null);
  /** the proxy as its window's OK left it, stored on this window's OK; null while unchanged */
  const [proxyDraft, setProxyDraft] = useState<Proxy | null>(null);
  const [route, setRoute] = useState<Route>('https');
  const [suppress, setSuppress] = useState(true);
  const [period, setPeriod] = useState('60');
  const [periodError, setPeriodError] = useState<string | null>(null);
  const periodRef = useRef<HTMLInputElement>(null);
  const [child, setChild] = useState<'proxy' | 'wizard' | 'editor' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const routeId = useId();

  const summaryId = useId();
  // Replies may arrive out of order (a re-opening reloads): only the newest is applied.
  const generation = useRef(0);

  const load = useCallback(() => {
    const mine = ++generation.current;
    client.call('settings:get', {}).then(
      (settings) => {
        if (mine !== generation.current) return;
        const https = settings.methods['express-https'];
        setStored(https);
        setProxyDraft(null);
        setRoute(https.route);
        setSuppress(https.suppression.enabled);
        setPeriod(String(https.suppression.periodMinutes));
        setPeriodError(null);
      },
      (err: unknown) => {
        if (mine === generation.current) setError(`${t('https.loadFailed')} ${asApiError(err, lang).message}`);
      },
    );
  }, [client, t, lang]);

  useEffect(() => {
    load();
    return () => {
      generation.current++;
    };
  }, [load]);

  const ok = async () => {
    if (saving || !stored) return;
    setError(null);
    // With suppression off, the greyed-out period keeps what is stored.
    const minutes = suppress ? parsePeriod(period) : stored.suppression.periodMinutes;
    if (minutes === null) {
      setPeriodError(t('history.suppression.periodInvalid'));
      periodRef.current?.focus();
      return;
    }
    setSaving(true);
    const changes = [
      ...(proxyDraft ? proxyChanges(stored.proxy, proxyDraft) : []),
      ...changed([
      { key: 'methods.express-https.route', value: route, stored: stored.route },
      { key: `${SUPPRESSION}.periodMinutes`, value: minutes, stored: stored.suppression.periodMinutes },
      { key: `${SUPPRESSION}.enabled`, value: suppress, stored: stored.suppression.enabled },
      ]),
    ];
    const outcome = await saveChanges(client, changes, lang);
    setSaving(false);
    if (outcome.ok) {
      onClose();
      return;
    }
    if (outcome.settings) {
      const https = outcome.settings.methods['express-https'];
      setStored(https);
      // what was stored of the proxy is stored; the rest stays pending
      if (proxyDraft && proxyChanges(https.proxy, proxyDraft).length === 0) setProxyDraft(null);
    }
    if (outcome.error.field === `${SUPPRESSION}.periodMinutes`) {
      setPeriodError(refusalText(outcome.error));
      periodRef.current?.focus();
    } else {
      setError(`${t('https.saveFailed')} ${[outcome.error.message, ...(outcome.error.details ?? [])].join(' ')}`);
    }
  };

  const openingDone = () => {
    setChild(null);
    onOpeningChanged();
    // a new opening erases the earlier settings (seed L3117)
    load();
  };

  const httpsLabel = t('https.basic.route.https');
  const managerLabel = t('https.basic.route.manager');
  const proxyLabel = t('https.basic.proxyButton');
  const suppressLabel = t('history.suppression.enabled');

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--https" onKeyDown={onMnemonicKeyDown}>
        <DialogBody>
          <DialogTitle>{t('https.basic.title')}</DialogTitle>
          <DialogContent>
            <FormError text={error} />
            <OpeningGroup opening={opening} methodTitle={t('method.express-https')} onInput={() => setChild('wizard')} onChange={() => setChild('editor')} />
            <fieldset className="group">
              <legend id={routeId}>{t('https.basic.route')}</legend>
              {stored ? (
                <>
                  <div className="https-route">
                    <RadioGroup
                      layout="horizontal"
                      aria-labelledby={routeId}
                      value={route}
                      onChange={(_e, data) => {
                        setRoute(data.value === 'manager' ? 'manager' : 'https');
                        setError(null);
                      }}
                    >
                      <Radio value="https" label={<MnemonicText label={httpsLabel} />} {...mnemonicProps(httpsLabel)} />
                      <Radio
                        value="manager"
                        label={<MnemonicText label={managerLabel} />}
                        {...mnemonicProps(managerLabel)}
                      />
                    </RadioGroup>
                    <Button
                      disabled={route !== 'https'}
                      aria-describedby={summaryId}
                      onClick={() => setChild('proxy')}
                      {...mnemonicProps(proxyLabel)}
                    >
                      <MnemonicButtonText label={proxyLabel} />
                    </Button>
                  </div>
                  <p className="https-summary" id={summaryId}>
                    {route === 'https' ? proxySummary(i18n, proxyDraft ?? stored.proxy) : t('https.basic.managerNote')}
                  </p>
                </>
              ) : (
                <Spinner size="tiny" label={t('https.loading')} />
              )}
            </fieldset>
            <fieldset className="group">
              <legend>{t('https.basic.suppression')}</legend>
              {stored ? (
                <div className="suppression">
                  <Checkbox
                    label={<MnemonicText label={suppressLabel} />}
                    checked={suppress}
                    onChange={(_e, data) => {
                      setSuppress(data.checked === true);
                      setPeriodError(null);
                      setError(null);
                    }}
                    {...mnemonicProps(suppressLabel)}
                  />
                  <div className="setting-fields suppression__period">
                    <SettingField
                      field={`${SUPPRESSION}.periodMinutes`}
                      label={t('history.suppression.period')}
                      value={period}
                      disabled={!suppress}
                      error={periodError ?? undefined}
                      inputMode="numeric"
                      className="setting-input--port"
                      inputRef={periodRef}
                      onChange={(value) => {
                        setPeriod(value);
                        setPeriodError(null);
                        setError(null);
                      }}
                    />
                  </div>
                </div>
              ) : null}
              <p className="hint">
                {t('history.suppression.explain')}
                <br />
                {t('history.suppression.note')}
              </p>
            </fieldset>
            {status.missingText.length > 0 ? (
              <div className="hint">
                <p>{t('ui.setup.missing')}</p>
                <ul className="missing-list" aria-label={t('ui.setup.missing')}>
                  {status.missingText.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabledFocusable={saving || !stored} onClick={() => void ok()}>
              {t('ui.ok')}
            </Button>
            <Button onClick={onClose}>{t('ui.cancel')}</Button>
          </DialogActions>
        </DialogBody>
        {child === 'proxy' && stored ? (
          <ProxyDialog
            proxy={proxyDraft ?? stored.proxy}
            onOk={(next) => {
              setProxyDraft(next);
              setError(null);
              setChild(null);
            }}
            onClose={() => setChild(null)}
          />
        ) : null}
        {child === 'wizard' ? <LazyOpeningWizard forHttps onClose={() => setChild(null)} onOpened={openingDone} /> : null}
        {child === 'editor' ? <LazyOpeningEditor forHttps onClose={() => setChild(null)} onSaved={openingDone} /> : null}
      </DialogSurface>
    </Dialog>
  );
}
