import { Button } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { isHostName, parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import { methodLabel } from '../../lib/labels';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { useSaveChanges } from '../../methods/save-changes';
import { OpeningReportFlow } from '../../reports/opening-report-flow';
import { TestReportFlow } from '../../reports/test-report-flow';
import { defaultMailOf } from '../../reports/test-result-destination-dialog';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';
import '../../ui/setting-dialogs.css';
import { SECRET_MASK } from '../../../src-shared/settings';
import { MANAGER_PORTS, type ManagerTargetMethod } from './dialogs';
import { ManagerCertificate } from './manager-certificate';

export interface ManagerTargetDialogProps {
  method: ManagerTargetMethod;
  onClose(): void;
}

/**
 * …(マネージャ経由)の設定 (seed L2615–2633), the agent's "send through a manager" window of every
 * method with that route: the manager's IP address or host name and port (初期値 31136 for
 * Express, 31138 for Express (HTTPS)), the relay key the manager shows (docs/formats/relay.md),
 * the manager certificate pinned at the first successful test (with [証明書の確認] and accepting
 * a changed one), [テスト通報] and [開局通報]. A test is sent with what the window shows and
 * stores nothing; only OK stores it (one `settings:patch`), キャンセル just closes.
 */
export function ManagerTargetDialog({ method, onClose }: ManagerTargetDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const store = useSettingsStore();
  const host = `methods.${method}.manager.host`;
  const port = `methods.${method}.manager.port`;
  const key = `methods.${method}.manager.key`;
  const form = useSettingsForm([host, port, key], store.settings);
  const storedKey = store.settings.methods[method].manager.key;
  const { defaultMail, defaultFrom } = defaultMailOf(store.settings.opening);
  const testedAt = store.settings.methods[method].testedAt;
  const initialPort = MANAGER_PORTS[method];
  const saving = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('https.saveFailed')));
  const { busy } = saving;
  /** a test from this window reached the center (the opening report may follow with the same values) */
  const [testedHere, setTestedHere] = useState(false);
  /**
   * The certificate of the manager a test from this window reached (proven by the relay key both
   * ways), while nothing is pinned: the test used a draft and pinned nothing, so OK pins it with
   * the values it stores.
   */
  const [seen, setSeen] = useState<{ fingerprint: string; target: string } | null>(null);
  /** reports from this window refused because the manager presented another certificate than the pinned one */
  const [refusedAtCertificate, setRefusedAtCertificate] = useState(0);
  const targetOf = (draft: SettingsChanges) => JSON.stringify([draft[host], draft[port]]);

  /** After a test that reached the center: what the manager presented, to pin on OK. */
  const noteCertificate = async (draft: SettingsChanges) => {
    const { fingerprint, caFile } = store.settings.methods[method].manager;
    if (fingerprint || caFile) return;
    try {
      const probe = await client.call('manager:probe', { method, draft });
      if (probe.reached && probe.fingerprint && probe.pinned === '') setSeen({ fingerprint: probe.fingerprint, target: targetOf(draft) });
    } catch {
      // the next report pins it
    }
  };
  const [child, setChild] = useState<{ kind: 'test' | 'opening'; draft: SettingsChanges } | null>(null);
  const labels = { test: t('https.dest.managerTest'), opening: t('https.dest.opening'), initial: t('https.dest.managerDefault') };

  /** The window's values as a draft, checked here and (`dryRun`, before a test) by the backend as OK checks them; null (shown) when refused. Stores nothing. */
  const check = async (dryRun: boolean): Promise<SettingsChanges | null> => {
    form.setBanner(null);
    const name = form.text(host).trim();
    const number = parsePort(form.text(port));
    form.fill({ [host]: name });
    const passed = form.show({
      [host]: name === '' ? t('https.dest.managerHostRequired') : isHostName(name) ? null : t('https.proxy.hostInvalid'),
      [port]: number === null ? t('https.proxy.portInvalid') : null,
    });
    if (!passed || number === null) return null;
    const draft = { [host]: name, [port]: number, [key]: form.text(key).trim() };
    // OK's own call checks the same
    return dryRun ? saving.dryRun(draft) : draft;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check(false);
    if (!draft || !(await saving.save(draft))) return;
    if (seen && seen.target === targetOf(draft)) {
      try {
        await client.call('manager:trust', { method, fingerprint: seen.fingerprint });
        await store.refresh();
      } catch {
        // stored without the pin: the next report that reaches the manager pins it
      }
    }
    onClose();
  };

  const run = async (kind: 'test' | 'opening') => {
    if (busy) return;
    const draft = await check(true);
    if (draft) setChild({ kind, draft });
  };

  return (
    <FormDialog
      title={t('https.dest.managerTitle', { method: methodLabel(i18n, method) })}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      onCancel={onClose}
      nested={
        <>
          {child?.kind === 'test' ? (
            <TestReportFlow method={method} destination={1} defaultMail={defaultMail} defaultFrom={defaultFrom} draft={child.draft}
              onDone={(outcome) => {
                setChild(null);
                if (outcome?.delivered) {
                  setTestedHere(true);
                  void noteCertificate(child.draft);
                } else if (outcome?.step === 'manager-cert') setRefusedAtCertificate((n) => n + 1);
              }}
            />
          ) : null}
          {child?.kind === 'opening' ? <OpeningReportFlow method={method} draft={child.draft} onDone={() => setChild(null)} /> : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <div className="setting-fields">
        <SettingField {...form.field(host)} label={t('https.dest.managerHost')} hint={t('https.dest.managerHostHint')} />
        <div className="setting-row">
          <SettingField
            {...form.field(port)}
            label={t('https.dest.managerPort')}
            hint={t('https.dest.managerPortHint', { port: initialPort })}
            inputMode="numeric"
            className="setting-input--port"
          />
          <Button type="button" onClick={() => form.set(port, String(initialPort))} {...mnemonicProps(labels.initial)}>
            <MnemonicButtonText label={labels.initial} />
          </Button>
        </div>
        <SettingField
          {...form.field(key)}
          label={t('relayui.agent.key')}
          type="password"
          hint={storedKey === SECRET_MASK && form.text(key) === SECRET_MASK ? t('relayui.agent.keyKept') : t('relayui.agent.keyHint')}
        />
      </div>
      <ManagerCertificate method={method} busy={busy} draft={() => check(true)} pending={seen?.fingerprint ?? null} refusedAtCertificate={refusedAtCertificate} />
      <p className="hint">{t(method === 'express' ? 'relayui.agent.resultNote' : 'relayui.agent.resultNoteHttps')}</p>
      <div className="https-actions-row">
        <Button type="button" disabledFocusable={busy} onClick={() => void run('test')} {...mnemonicProps(labels.test)}>
          <MnemonicButtonText label={labels.test} />
        </Button>
        <Button type="button" disabled={!testedAt && !testedHere} disabledFocusable={busy} onClick={() => void run('opening')} {...mnemonicProps(labels.opening)}>
          <MnemonicButtonText label={labels.opening} />
        </Button>
      </div>
    </FormDialog>
  );
}
