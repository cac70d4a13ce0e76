import { Spinner } from '@fluentui/react-components';
import type { ServiceStatus } from '../../src-shared/history';
import type { Settings } from '../../src-shared/settings';
import { useI18n, type I18n } from '../lib/i18n-context';
import { SeverityIcon } from '../ui/icons';

/**
 * The opening state in words: not opened, or opened by key file (with its user system code) or by
 * key code (user ID OPFILELESS, seed L1311–1318), and when.
 */
function openingStateText({ t, lang }: I18n, opening: Settings['opening']): string {
  if (!opening) return t('ui.server.notOpened');
  const openedAt = new Date(opening.openedAt);
  const date = Number.isNaN(openedAt.getTime()) ? opening.openedAt : openedAt.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
  return t(opening.mode === 'key-file' ? 'ui.server.openedKeyFile' : 'ui.server.openedKeyCode', { code: opening.userSystemCode, date });
}

export interface OpeningStateProps {
  opening: Settings['opening'];
  className?: string;
}

/** 開局状態: … as one line. */
export function OpeningState({ opening, className }: OpeningStateProps) {
  const i18n = useI18n();
  return (
    <p className={className ?? 'opening-state'}>
      <span className="opening-state__label">{i18n.t('ui.server.state')}:</span>{' '}
      <span className="opening-state__value" data-opening-mode={opening?.mode ?? 'none'}>
        {openingStateText(i18n, opening)}
      </span>
    </p>
  );
}

/** Whether the service's state deserves the status bar's lower left: ended, or close to its end. */
export function serviceNeedsNotice(service: ServiceStatus | null): service is ServiceStatus {
  if (!service) return false;
  return service.state === 'terminated' || service.state === 'expired' || (service.state === 'running' && service.expiryWarning);
}

export interface StatusBarProps {
  opening: Settings['opening'];
  /** the service's life (S1); its message shows at the lower left once it has ended or nears its end */
  service?: ServiceStatus | null;
  /** work in hand, e.g. 通報テストを受け付けています... */
  busy?: string | null;
}

/**
 * The window's status bar: at its lower left the message that the service has ended (seed L1450)
 * or that its contract ends soon, then the opening state.
 */
export function StatusBar({ opening, service = null, busy = null }: StatusBarProps) {
  const { t } = useI18n();
  const notice = serviceNeedsNotice(service) ? service : null;
  return (
    <footer className="status-bar" aria-label={t('ui.status.label')}>
      {notice ? (
        <p
          className={notice.state === 'running' ? 'status-bar__service status-bar__service--warning' : 'status-bar__service status-bar__service--ended'}
          data-service-state={notice.state}
          role="status"
        >
          <SeverityIcon severity={notice.state === 'running' ? 'warning' : 'error'} />
          <span>{notice.message}</span>
        </p>
      ) : null}
      {busy ? <Spinner className="status-bar__busy" size="extra-tiny" label={busy} /> : null}
      <OpeningState opening={opening} className="status-bar__text" />
    </footer>
  );
}
