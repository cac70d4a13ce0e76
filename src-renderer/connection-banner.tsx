import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ConnectionState } from './connection';
import { useI18n } from './i18n-context';

/**
 * Over everything, dialogs included: the service stopped (the window reconnects by itself when
 * it is back) or was restarted with a new token (open the new address `serve` printed). Nothing
 * the user typed is touched: the dialogs stay open under it.
 */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  const { t } = useI18n();
  if (state === 'connected') return null;
  const lost = state === 'lost';
  return (
    <div className="connection-banner" data-connection={state}>
      <MessageBar intent={lost ? 'error' : 'warning'} layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{t(lost ? 'connection.lost.title' : 'connection.replaced.title')}</MessageBarTitle>
          {t(lost ? 'connection.lost' : 'connection.replaced')}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
