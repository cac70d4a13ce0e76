import { Button, Spinner } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { methodLabel } from '../../lib/labels';
import { mnemonicProps } from '../../lib/mnemonics';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { dateText } from '../url-check';
import './relay.css';

type Agents = Result<'manager:agents'>;

/**
 * エージェント一覧 (beyond the seed): every agent that has reported to this manager — server name,
 * user system code, address, the method it reports to, last report and last heartbeat — and the
 * notice for one silent longer than twice its heartbeat interval (`manager:agents`).
 */
export function AgentsDialog({ onClose }: { onClose(): void }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [agents, setAgents] = useState<Agents | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('manager:agents', {}).then(
      (r) => {
        setAgents(r);
        setError(null);
      },
      (e: unknown) => setError(`${t('relayui.agents.loadFailed')} ${asApiError(e, lang).message}`),
    );
  }, [client, lang, t]);

  useEffect(() => load(), [load]);

  const when = (iso: string | null) => (iso ? dateText(lang, iso) : t('relayui.agents.never'));
  const refresh = t('relayui.agents.refresh');

  return (
    <FormDialog
      title={t('relayui.agents.title')}
      surfaceClassName="dialog dialog--relay-agents"
      mnemonics
      onOk={onClose}
      onCancel={onClose}
      extraActions={
        <Button type="button" onClick={load} {...mnemonicProps(refresh)}>
          <MnemonicButtonText label={refresh} />
        </Button>
      }
      cancelLabel={null}
    >
      <FormError text={error} />
      {agents === null ? (
        error ? null : <Spinner size="small" />
      ) : agents.agents.length === 0 ? (
        <p data-testid="agents-none">{t('relayui.agents.none')}</p>
      ) : (
        <>
          {agents.silent > 0 ? <FormError intent="warning" text={t('relayui.agents.silent', { count: agents.silent })} /> : null}
          <table className="relay-agents" aria-label={t('relayui.agents.title')}>
            <thead>
              <tr>
                <th scope="col">{t('relayui.agents.server')}</th>
                <th scope="col">{t('relayui.agents.code')}</th>
                <th scope="col">{t('relayui.agents.address')}</th>
                <th scope="col">{t('relayui.agents.method')}</th>
                <th scope="col">{t('relayui.agents.lastReport')}</th>
                <th scope="col">{t('relayui.agents.lastHeartbeat')}</th>
                <th scope="col">{t('relayui.agents.reports')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.agents.map((a) => (
                <tr key={`${a.userSystemCode}/${a.serverName}`} className={a.silent ? 'relay-agents__silent' : undefined}>
                  <td>
                    {a.serverName}
                    {a.notice ? <div className="relay-problem">{a.notice}</div> : null}
                  </td>
                  <td>{a.userSystemCode}</td>
                  <td>{a.address}</td>
                  <td>{methodLabel(i18n, a.method)}</td>
                  <td>{when(a.lastReportAt)}</td>
                  <td>{when(a.lastHeartbeatAt)}</td>
                  <td>{a.reports}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </FormDialog>
  );
}
