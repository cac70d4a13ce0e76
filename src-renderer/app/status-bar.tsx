import { Spinner } from '@fluentui/react-components';
import type { ServiceStatus } from '../../src-shared/history';
import type { Settings } from '../../src-shared/settings';
import { useI18n } from '../lib/i18n-context';
import { OpeningState } from '../opening/opening-state';
import { SeverityIcon } from '../ui/icons';

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
