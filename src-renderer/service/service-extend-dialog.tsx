import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ServiceStatus } from '../../src-shared/history';
import { FormError } from '../ui/form-error';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';
import { SettingField } from '../ui/setting-field';
import { refusalText } from '../lib/settings-form';

export interface ServiceExtendDialogProps {
  /** the key was accepted: the backend's new status (running again) */
  onExtended(status: ServiceStatus): void;
  onClose(): void;
}

/**
 * [サービス有効期限の変更] (seed L1452): the 期限延長キー from a renewed contract. A refused key
 * shows the reason under the field and the dialog stays open; an accepted one closes it.
 */
export function ServiceExtendDialog({ onExtended, onClose }: ServiceExtendDialogProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const typed = key.trim();
    if (typed === '') {
      setError(t('history.extend.required'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const status = await client.call('service:extend', { key: typed });
      onExtended(status);
    } catch (err) {
      const apiError = asApiError(err, lang);
      if (apiError.field === 'key') {
        setError(refusalText(apiError));
        input.current?.select();
      } else {
        setFormError([apiError.message, ...(apiError.details ?? [])].join(' '));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={t('history.extend.title')}
      surfaceClassName="dialog dialog--small"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      onCancel={onClose}
    >
      <FormError lead={t('history.extend.failed')} text={formError} />
      <p className="extend-text">{t('history.extend.text')}</p>
      <div className="extend-fields">
        <SettingField
          field="key"
          label={t('history.extend.key')}
          value={key}
          error={error ?? undefined}
          hint={t('history.extend.hint')}
          className="extend-key"
          inputRef={input}
          onChange={(value) => {
            setKey(value);
            setError(null);
            setFormError(null);
          }}
        />
      </div>
    </FormDialog>
  );
}
