import { Button } from '@fluentui/react-components';
import { useState } from 'react';
import { mnemonicProps } from '../lib/mnemonics';
import { asApiError } from '../lib/errors';
import { useApiClient } from '../lib/client-context';
import { useI18n } from '../lib/i18n-context';
import { MessageBox } from '../ui/message-box';
import { MnemonicButtonText } from '../ui/mnemonic-text';
import { QuestionBox } from '../ui/question-box';
import { ServiceExtendDialog } from './service-extend-dialog';
import { useServiceStatus } from './use-service-status';

type Open = 'confirm' | 'extend' | { failure: string } | null;

/**
 * The service's life in a set-up window (S1, seed L1446–1455): its state in words,
 * [サービスの終了] while it runs (after a confirmation; from then on nothing is reported) and
 * [サービス有効期限の変更] once it has ended or expired (the 期限延長キー restarts it). `title` is
 * the method's name, e.g. エクスプレス通報サービス(HTTPS), for the confirmation.
 */
export function ServiceControls({ title }: { title: string }) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const { status, setStatus } = useServiceStatus();
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const terminateLabel = t('history.service.terminate');
  const extendLabel = t('history.service.extend');
  const running = status?.state === 'running';
  const ended = status?.state === 'terminated' || status?.state === 'expired';

  const terminate = async () => {
    setOpen(null);
    setBusy(true);
    try {
      setStatus(await client.call('service:terminate', {}));
    } catch (error) {
      setOpen({ failure: asApiError(error, lang).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="service-controls">
      <p className="service-state">
        <span className="opening-state__label">{t('history.service.state')}:</span>{' '}
        <span className="service-state__value" data-service-state={status?.state ?? 'unknown'}>
          {status?.message ?? t('history.none')}
        </span>
      </p>
      <div className="button-row">
        <Button
          disabled={!running || busy}
          onClick={() => setOpen('confirm')}
          {...mnemonicProps(terminateLabel)}
        >
          <MnemonicButtonText label={terminateLabel} />
        </Button>
        <Button
          disabled={!ended || busy}
          onClick={() => setOpen('extend')}
          {...mnemonicProps(extendLabel)}
        >
          <MnemonicButtonText label={extendLabel} />
        </Button>
      </div>
      {open === 'confirm' ? (
        <QuestionBox
          title={title}
          message={t('history.service.confirm', { service: title })}
          note={t('history.service.confirmNote')}
          onYes={() => void terminate()}
          onNo={() => setOpen(null)}
        />
      ) : null}
      {open === 'extend' ? (
        <ServiceExtendDialog
          onExtended={(next) => {
            setStatus(next);
            setOpen(null);
          }}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open !== null && typeof open === 'object' ? (
        <MessageBox intent="error" title={t('history.service.failed')} message={open.failure} onClose={() => setOpen(null)} />
      ) : null}
    </div>
  );
}
