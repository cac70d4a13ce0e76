import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
} from '@fluentui/react-components';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { MethodStatus } from '../src-shared/api';
import type { Settings } from '../src-shared/settings';
import { useApiClient } from './client-context';
import { asApiError } from './errors';
import './https-dialogs.css';
import { MNEMONIC_ATTRIBUTE, onMnemonicKeyDown } from './dialog-mnemonics';
import { useI18n, type I18n } from './i18n-context';
import { mnemonicKey, MnemonicButtonText, MnemonicText } from './mnemonic-text';
import { LazyOpeningEditor, LazyOpeningWizard } from './opening-lazy';
import { OpeningGroup } from './opening-group';
import { ProxyDialog } from './proxy-dialog';
import { saveChanges } from './settings-save';

type Https = Settings['methods']['express-https'];
type Route = Https['route'];

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

/**
 * エクスプレス通報サービス(HTTPS)の基本設定 (seed L2337–2368): the opening ([開局情報の入力],
 * [設定情報の変更...]), 通報手段 HTTPS or マネージャ経由 with [設定] (the proxy), and 通報の抑制
 * kept at its defaults. OK stores the route; the proxy window stores its own values on its OK.
 */
export function HttpsBasicSettingsDialog({ status, opening, onOpeningChanged, onClose }: HttpsBasicSettingsDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [stored, setStored] = useState<Https | null>(null);
  const [route, setRoute] = useState<Route>('https');
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
        setStored(settings.methods['express-https']);
        setRoute(settings.methods['express-https'].route);
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
    setSaving(true);
    setError(null);
    const outcome = await saveChanges(client, route === stored.route ? [] : [{ key: 'methods.express-https.route', value: route }], lang);
    setSaving(false);
    if (outcome.ok) onClose();
    else setError(`${t('https.saveFailed')} ${outcome.error.message}`);
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

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--https" onKeyDown={onMnemonicKeyDown}>
        <DialogBody>
          <DialogTitle>{t('https.basic.title')}</DialogTitle>
          <DialogContent>
            {error ? (
              <MessageBar intent="error" className="form-error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            ) : null}
            <OpeningGroup opening={opening} onInput={() => setChild('wizard')} onChange={() => setChild('editor')} />
            <fieldset className="group">
              <legend id={routeId}>{t('https.basic.route')}</legend>
              {stored ? (
                <>
                  <div className="https-route">
                    <RadioGroup
                      layout="horizontal"
                      aria-labelledby={routeId}
                      value={route}
                      onChange={(_e, data) => setRoute(data.value === 'manager' ? 'manager' : 'https')}
                    >
                      <Radio value="https" label={<MnemonicText label={httpsLabel} />} {...{ [MNEMONIC_ATTRIBUTE]: mnemonicKey(httpsLabel) ?? undefined }} />
                      <Radio
                        value="manager"
                        label={<MnemonicText label={managerLabel} />}
                        {...{ [MNEMONIC_ATTRIBUTE]: mnemonicKey(managerLabel) ?? undefined }}
                      />
                    </RadioGroup>
                    <Button
                      disabled={route !== 'https'}
                      aria-describedby={summaryId}
                      onClick={() => setChild('proxy')}
                      {...{ [MNEMONIC_ATTRIBUTE]: mnemonicKey(proxyLabel) ?? undefined }}
                    >
                      <MnemonicButtonText label={proxyLabel} />
                    </Button>
                  </div>
                  <p className="https-summary" id={summaryId}>
                    {route === 'https' ? proxySummary(i18n, stored.proxy) : t('https.basic.managerNote')}
                  </p>
                </>
              ) : (
                <Spinner size="tiny" label={t('https.loading')} />
              )}
            </fieldset>
            <fieldset className="group">
              <legend>{t('https.basic.suppression')}</legend>
              <p className="hint">
                {t('https.basic.suppressionText')}
                <br />
                {t('https.basic.suppressionLater')}
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
            proxy={stored.proxy}
            onSaved={(settings) => {
              if (settings) setStored({ ...settings.methods['express-https'], route: stored.route });
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
