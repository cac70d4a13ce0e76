import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, type Theme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ConnectionState } from '../lib/connection';
import { useI18n } from '../lib/i18n-context';

/**
 * Over everything, dialogs included: the service stopped (the window reconnects by itself when
 * it is back) or was restarted with a new token (open the new address `serve` printed). Nothing
 * the user typed is touched: the dialogs stay open under it. It lives in a top-level element of
 * its own that Fluent's modal never hides (`data-tabster-never-hide`), so a screen reader hears
 * the alert while a dialog is open too.
 */
export function ConnectionBanner({ state, theme }: { state: ConnectionState; theme: Theme }) {
  const { t, lang } = useI18n();
  const [host, setHost] = useState<HTMLElement | null>(null);

  useEffect(() => {
    const element = document.createElement('div');
    element.setAttribute('data-tabster-never-hide', '');
    document.body.appendChild(element);
    setHost(element);
    return () => element.remove();
  }, []);

  if (state === 'connected' || !host) return null;
  const lost = state === 'lost';
  return createPortal(
    <FluentProvider theme={theme} lang={lang} className="connection-banner" data-connection={state}>
      <MessageBar intent={lost ? 'error' : 'warning'} layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{t(lost ? 'connection.lost.title' : 'connection.replaced.title')}</MessageBarTitle>
          {t(lost ? 'connection.lost' : 'connection.replaced')}
        </MessageBarBody>
      </MessageBar>
    </FluentProvider>,
    host,
  );
}
