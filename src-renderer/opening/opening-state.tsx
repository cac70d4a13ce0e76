import type { Settings } from '../../src-shared/settings';
import { useI18n, type I18n } from '../lib/i18n-context';

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
