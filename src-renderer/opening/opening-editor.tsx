import { useEffect, useState } from 'react';
import type { Opening } from '../../src-shared/settings';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';
import { MessageBox } from '../ui/message-box';
import { formFrom, pagesOf, type OpeningForm } from './opening-form';
import { SettingsUtility } from './settings-utility';

export interface OpeningEditorProps {
  forHttps: boolean;
  onClose(): void;
  onSaved(opening: Opening): void;
}

/**
 * [設定情報の変更...]: the settings utility's pages filled from the stored opening; 完了 saves them
 * with opening:update (the contract stays). Without an opening it says the opening comes first.
 */
export function OpeningEditor({ forHttps, onClose, onSaved }: OpeningEditorProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [opening, setOpening] = useState<Opening | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    client.call('opening:get', {}).then(
      (result) => {
        if (!cancelled) setOpening(result.opening);
      },
      (error: unknown) => {
        if (!cancelled) setFailure(asApiError(error, lang).message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, lang]);

  if (failure !== null) return <MessageBox intent="error" title={t('opening.loadFailed')} message={failure} onClose={onClose} />;
  if (opening === undefined) return null;
  if (opening === null) return <MessageBox intent="warning" title={t('opening.reopen.title')} message={t('missing.opening')} onClose={onClose} />;

  const save = async (form: OpeningForm) => {
    onSaved(await client.call('opening:update', pagesOf(form)));
  };

  return (
    <SettingsUtility
      title={t(forHttps ? 'opening.utility.titleHttps' : 'opening.utility.title')}
      mode={opening.mode}
      initial={formFrom(opening)}
      keyCode={opening.keyCode}
      userSystemCode={opening.userSystemCode}
      onFinish={save}
      onCancel={onClose}
    />
  );
}
