import { Button, FluentProvider, MessageBar, MessageBarBody, Spinner, webLightTheme, type Theme } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo } from 'react';
import type { ApiClient } from '../../src-shared/api';
import { languageForLocale, type Language } from '../../src-shared/i18n';
import { ApiClientContext } from '../lib/client-context';
import { ConnectionBanner } from './connection-banner';
import { I18nContext, makeI18n } from '../lib/i18n-context';
import { SettingsStoreContext, type SettingsStore } from '../lib/settings-store';
import { MainWindow } from './main-window';
import { useAppData } from './use-app-data';
import { useConnection } from '../lib/use-connection';

/** Latin text in Segoe UI, Japanese in the system's UI Gothic (IPA Gothic on Linux). */
const FONT_STACK =
  '"Segoe UI", "Yu Gothic UI", "Meiryo UI", Meiryo, "IPAPGothic", "IPAGothic", "Noto Sans CJK JP", sans-serif';

const theme: Theme = { ...webLightTheme, fontFamilyBase: FONT_STACK };

/** The language before app:info has answered (only the loading text uses it). */
function provisionalLanguage(): Language {
  return languageForLocale(navigator.language);
}

export function App({ client }: { client: ApiClient }) {
  const { data, loadError, reload, refresh, setMethods, setNotices, setSettings } = useAppData(client);
  const lang: Language = data?.info.language ?? provisionalLanguage();
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  // back after a stop: re-read what may have changed meanwhile (or load it, if the first load failed)
  const connection = useConnection(client, () => {
    if (data) refresh().catch(() => undefined);
    else reload();
  });

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.title');
  }, [lang, i18n]);

  useEffect(() => {
    // the benchmark and the browser tests wait for this
    if (data) document.body.dataset.ready = 'true';
  }, [data]);

  const toggleLanguage = useCallback(async () => {
    await client.call('settings:set', { key: 'ui.language', value: lang === 'ja' ? 'en' : 'ja' });
    await refresh();
  }, [client, lang, refresh]);

  const settings = data?.settings;
  const methods = data?.methods;
  const store = useMemo<SettingsStore | null>(
    () => (settings && methods ? { settings, methods, apply: setSettings, applyMethods: setMethods, refresh } : null),
    [settings, methods, setSettings, setMethods, refresh],
  );

  let content;
  if (data && store) {
    content = (
      <SettingsStoreContext.Provider value={store}>
        <MainWindow data={data} onNoticesChanged={setNotices} onToggleLanguage={toggleLanguage} />
      </SettingsStoreContext.Provider>
    );
  } else if (loadError) {
    content = (
      <div className="load-state">
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            {i18n.t('ui.loadFailed')} {loadError.message}
          </MessageBarBody>
        </MessageBar>
        <Button onClick={reload}>{i18n.t('ui.retry')}</Button>
      </div>
    );
  } else {
    content = (
      <div className="load-state">
        <Spinner label={i18n.t('ui.loading')} />
      </div>
    );
  }

  return (
    <FluentProvider theme={theme}>
      <ApiClientContext.Provider value={client}>
        <I18nContext.Provider value={i18n}>
          <ConnectionBanner state={connection} theme={theme} />
          {content}
        </I18nContext.Provider>
      </ApiClientContext.Provider>
    </FluentProvider>
  );
}
