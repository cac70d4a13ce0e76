import { Button, Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { ConfirmBox } from '../../ui/confirm-box';
import { Fingerprint } from '../../ui/fingerprint';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { LazyAgentsDialog } from './dialogs';
import type { ManagerMethod } from './manager-methods';
import { useManagerStatus } from './use-manager-status';
import './relay.css';

type Child = 'renew' | 'agents' | { message: string; intent: 'info' | 'error' };

/**
 * What the administrator of a manager reads off its basic settings window: whether the method's
 * receive service listens and where (live: `manager:changed`), why not when it should, the
 * manager certificate's fingerprint and the relay key to give to every agent, [新しいキーを作成]
 * and the agents list.
 */
export function ReceiverPanel({ method, onChild }: { method: ManagerMethod; onChild?(open: boolean): void }) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const { status, error } = useManagerStatus();
  const [key, setKey] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [child, setChildState] = useState<Child | null>(null);
  const receiver = status?.receivers.find((r) => r.method === method) ?? null;

  const setChild = (next: Child | null) => {
    setChildState(next);
    onChild?.(next !== null);
  };

  useEffect(() => {
    let cancelled = false;
    client.call('manager:key', { renew: false }).then(
      (r) => !cancelled && setKey(r.key),
      (e: unknown) => !cancelled && setKeyError(asApiError(e, lang).message),
    );
    return () => {
      cancelled = true;
    };
  }, [client, lang]);

  const renew = async () => {
    try {
      const r = await client.call('manager:key', { renew: true });
      setKey(r.key);
      setChild({ message: t('relayui.status.renewed'), intent: 'info' });
    } catch (e) {
      setChild({ message: asApiError(e, lang).message, intent: 'error' });
    }
  };

  let state: string;
  let ok = false;
  if (error) state = `${t('relayui.status.loadFailed')} ${error}`;
  else if (!receiver) state = t('relayui.status.loading');
  else if (receiver.listening) {
    ok = true;
    state = t('relayui.status.listening', { address: receiver.address ?? '', count: receiver.connections });
  } else state = receiver.enabled ? t('relayui.status.notListening') : t('relayui.status.disabled');
  const labels = { renew: t('relayui.status.renew'), agents: t('relayui.status.agents') };

  return (
    <fieldset className="group relay-panel">
      <legend>{t('relayui.status.title')}</legend>
      <div className="relay-panel__head">
        <div className="relay-panel__state">
          {status === null && !error ? <Spinner size="tiny" label={state} /> : null}
          <p className={ok ? 'https-state https-state--ok' : 'https-state'} data-testid="receiver-state" role="status">
            {status === null && !error ? null : state}
          </p>
        </div>
        <Button type="button" disabled={key === null} onClick={() => setChild('renew')} {...mnemonicProps(labels.renew)}>
          <MnemonicButtonText label={labels.renew} />
        </Button>
        <Button type="button" onClick={() => setChild('agents')} {...mnemonicProps(labels.agents)}>
          <MnemonicButtonText label={labels.agents} />
        </Button>
      </div>
      {receiver?.problem ? <p className="relay-problem" data-testid="receiver-problem">{receiver.problem}</p> : null}
      {receiver?.forwardProblem ? <p className="relay-problem" data-testid="forward-problem">{receiver.forwardProblem}</p> : null}
      <dl className="relay-facts">
        <dt>{t('relayui.status.fingerprint')}</dt>
        <dd>
          {status?.fingerprint ? <Fingerprint value={status.fingerprint} testId="manager-fingerprint" /> : <span data-testid="manager-fingerprint">{t('relayui.status.noFingerprint')}</span>}
        </dd>
        <dt>{t('relayui.status.key')}</dt>
        <dd>
          <code className="fingerprint" data-testid="relay-key">{key ?? keyError ?? '…'}</code>
        </dd>
      </dl>
      <p className="hint relay-panel__hint">{t('relayui.status.keyHint')}</p>
      {child === 'renew' ? (
        <ConfirmBox
          title={t('relayui.status.key')}
          message={t('relayui.status.renewQuestion')}
          onOk={() => void renew()}
          onCancel={() => setChild(null)}
        />
      ) : null}
      {child === 'agents' ? <LazyAgentsDialog onClose={() => setChild(null)} /> : null}
      {typeof child === 'object' && child !== null ? (
        <MessageBox title={t('relayui.status.key')} intent={child.intent} message={child.message} onClose={() => setChild(null)} />
      ) : null}
    </fieldset>
  );
}
