import { Button, Spinner } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { Result, SettingsChanges } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsStore } from '../../lib/settings-store';
import { ConfirmBox } from '../../ui/confirm-box';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { Fingerprint } from '../../ui/fingerprint';
import type { ManagerTargetMethod } from './dialogs';
import './manager-target.css';

type Probe = Result<'manager:probe'>;

export interface ManagerCertificateProps {
  method: ManagerTargetMethod;
  /** the window's values as a draft (null when they do not pass its checks, which it shows) */
  draft(): Promise<SettingsChanges | null>;
  busy: boolean;
  /** the certificate a test from the window reached, pinned by its OK (null when none) */
  pending: string | null;
  /**
   * Counts the reports from the window the backend refused because the manager presented another
   * certificate than the pinned one (step `manager-cert`): each time, the window looks at what it
   * presents, to offer it next to the pinned one, without a box of its own (the refusal said why).
   */
  refusedAtCertificate?: number;
}

/**
 * The manager certificate as this agent knows it: the pinned fingerprint (or the CA file it is
 * checked against), [証明書の確認] (`manager:probe` with the window's values: what the manager
 * presents now, nothing sent or stored) and, when that is not the pinned one, [提示された証明書を
 * 受け入れる] after the person compared it with the manager's window (`manager:trust`).
 */
export function ManagerCertificate({ method, draft, busy, pending, refusedAtCertificate = 0 }: ManagerCertificateProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const store = useSettingsStore();
  const { fingerprint: pinned, caFile } = store.settings.methods[method].manager;
  const [probe, setProbe] = useState<Probe | null>(null);
  const [child, setChild] = useState<{ kind: 'message'; intent: 'info' | 'error' | 'warning'; text: string } | { kind: 'trust'; fingerprint: string } | null>(null);
  const [working, setWorking] = useState(false);

  /** [証明書の確認]: what the manager presents, in a box; `quiet` (after a refusal): only the fingerprint offered below the pinned one. */
  const check = async (quiet = false) => {
    if (busy || working) return;
    const changes = await draft();
    if (!changes) return;
    setWorking(true);
    try {
      const result = await client.call('manager:probe', { method, draft: changes });
      setProbe(result);
      if (!quiet) setChild({ kind: 'message', intent: !result.reached ? 'error' : result.matches || result.pinned === '' ? 'info' : 'warning', text: result.message });
    } catch (e) {
      if (!quiet) setChild({ kind: 'message', intent: 'error', text: `${t('relayui.agent.probeFailed')} ${asApiError(e, lang).message}` });
    } finally {
      setWorking(false);
    }
  };
  const checkRef = useRef(check);
  checkRef.current = check;
  useEffect(() => {
    if (refusedAtCertificate > 0) void checkRef.current(true);
  }, [refusedAtCertificate]);

  const trust = async (fingerprint: string) => {
    try {
      const result = await client.call('manager:trust', { method, fingerprint });
      await store.refresh().catch(() => undefined);
      setProbe(null);
      setChild({ kind: 'message', intent: 'info', text: t('relayui.agent.trusted', { fingerprint: result.pinned }) });
    } catch (e) {
      setChild({ kind: 'message', intent: 'error', text: asApiError(e, lang).message });
    }
  };

  // a changed certificate (one is pinned and the manager presents another), or one not pinned yet that no test of this window reached
  const offered = probe?.reached && probe.fingerprint && !probe.matches && (probe.pinned !== '' || pending === null) ? probe.fingerprint : null;
  const labels = { probe: t('relayui.agent.probe'), trust: t('relayui.agent.trust') };
  return (
    <fieldset className="group">
      <legend>{t('relayui.agent.fingerprint')}</legend>
      <p className="manager-certificate__line">
        {pinned ? <Fingerprint value={pinned} testId="pinned-fingerprint" /> : <span data-testid="pinned-fingerprint">{t('relayui.agent.notPinned')}</span>}
      </p>
      {!pinned && pending ? (
        <p className="hint manager-certificate__line" data-testid="pending-fingerprint">
          {t('relayui.agent.pending')}
          <br />
          <Fingerprint value={pending} />
        </p>
      ) : null}
      {caFile ? <p className="hint">{t('relayui.agent.caFile', { file: caFile })}</p> : null}
      {offered ? (
        <p className="hint manager-certificate__line" data-testid="presented-fingerprint">
          {t('relayui.agent.presented')}
          <br />
          <Fingerprint value={offered} />
        </p>
      ) : null}
      <div className="https-actions-row">
        <Button type="button" disabledFocusable={busy || working} onClick={() => void check()} {...mnemonicProps(labels.probe)}>
          <MnemonicButtonText label={labels.probe} />
        </Button>
        {working ? <Spinner size="tiny" label={t('relayui.agent.probing')} /> : null}
        {offered ? (
          <Button type="button" onClick={() => setChild({ kind: 'trust', fingerprint: offered })} {...mnemonicProps(labels.trust)}>
            <MnemonicButtonText label={labels.trust} />
          </Button>
        ) : null}
      </div>
      {child?.kind === 'message' ? <MessageBox title={t('relayui.agent.fingerprint')} intent={child.intent} message={child.text} onClose={() => setChild(null)} /> : null}
      {child?.kind === 'trust' ? (
        <ConfirmBox
          title={t('relayui.agent.fingerprint')}
          message={t('relayui.agent.trustQuestion', { fingerprint: child.fingerprint })}
          onOk={() => void trust(child.fingerprint)}
          onCancel={() => setChild(null)}
        />
      ) : null}
    </fieldset>
  );
}
