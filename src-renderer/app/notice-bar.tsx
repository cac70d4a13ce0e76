import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import { useState } from 'react';
import type { Notice } from '../../src-shared/api';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';

export interface NoticeBarProps {
  notices: Notice[];
  onNoticesChanged(notices: Notice[]): void;
}

/** The backend's notices (e.g. a corrupt settings file kept aside) above the panes, each dismissable. */
export function NoticeBar({ notices, onNoticesChanged }: NoticeBarProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [failure, setFailure] = useState<string | null>(null);
  if (notices.length === 0 && failure === null) return null;

  const dismiss = async (id: string) => {
    setFailure(null);
    try {
      onNoticesChanged(await client.call('notices:dismiss', { id }));
    } catch (error) {
      setFailure(asApiError(error, lang).message);
    }
  };

  return (
    <div className="notices" role="region" aria-label={t('ui.notices')}>
      {notices.map((notice) => (
        <MessageBar key={notice.id} intent={notice.level} layout="multiline" data-notice-id={notice.id}>
          <MessageBarBody>{notice.message}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button appearance="transparent" size="small" aria-label={t('ui.notice.dismiss')} onClick={() => void dismiss(notice.id)}>
                ×
              </Button>
            }
          />
        </MessageBar>
      ))}
      {failure ? (
        <MessageBar intent="error">
          <MessageBarBody>{failure}</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
