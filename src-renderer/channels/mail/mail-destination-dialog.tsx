import { Button, Radio, RadioGroup } from '@fluentui/react-components';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { useEnableAfterSave } from '../../methods/enable-after-save';
import { useSaveChanges } from '../../methods/save-changes';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { LazyOpeningEditor } from '../../opening/lazy';
import { useReportChildren } from '../../reports/report-children';
import { OpeningReportButton } from '../../reports/report-state';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';
import '../../ui/setting-dialogs.css';
import { remoteAccessKeys, RemoteAccessFields, type RemoteAccessLabels } from '../remote-access';
import { isMailAddress, mailKeys, mailMethod } from './mail-form';
import './mail-dialogs.css';

const REMOTE_LABELS: RemoteAccessLabels = {
  legend: 'mailui.dest.remote',
  use: 'mailui.dest.remoteUse',
  entry: 'mailui.dest.remoteEntry',
  user: 'mailui.dest.remoteUser',
  password: 'mailui.dest.remotePassword',
  hints: ['mailui.dest.remoteHint1', 'mailui.dest.remoteHint2'],
};


/** The values of this window that decide where and how the mail goes: a test of them is a test of the destination. */
function deliveryOf(destination: unknown, encoding: unknown): string {
  return JSON.stringify([destination ?? '', encoding ?? '']);
}

/**
 * エクスプレス通報サービス(インターネット メール経由)の設定 (seed L857–896): 宛先 (set by a key-file
 * opening; typed for a key-code one), エンコード方式 uuencode / Base64, [設定情報の変更...],
 * リモートアクセスサービスの利用, [テスト通報] → テスト通報の結果送付先 → confirmation → result, and
 * [開局通報] once a test has succeeded (L885). Tests and the opening report are sent with what the
 * window shows (a draft of the mail route's keys) and store nothing; OK stores the values in one
 * `settings:patch` and, when the method is disabled but now set up, asks whether to enable it.
 * For the manager's forwarding (which has no test or opening report here) only the destination
 * and the encoding are shown.
 */
export function MailDestinationDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const store = useSettingsStore();
  const mm = mailMethod(method);
  const keys = mailKeys(mm);
  const remote = remoteAccessKeys(keys.remoteBase);
  const methodSettings = store.settings.methods[mm];
  const stored = methodSettings.mail;
  const workflow = 'testedAt' in methodSettings ? methodSettings : null;
  const opening = store.settings.opening;
  const allKeys = [keys.destination, keys.encoding, ...(workflow ? remote.all : [])];
  const form = useSettingsForm(allKeys, store.settings, { related: remote.related });
  /** 設定情報の変更 (the settings utility) is open */
  const [editor, setEditor] = useState(false);
  const reports = useReportChildren(method, () => ({ runningMessage: t('mailui.dest.testRunning'), resultNote: t('mailui.dest.testNote') }));
  const saving = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('https.saveFailed')));
  const enabling = useEnableAfterSave(method, onClose);
  const busy = saving.busy;
  const encodingId = useId();

  useEffect(() => {
    // the key file's center address, when the stored one was cleared
    const fromOpening = opening?.destinations.mail ?? '';
    if (stored.destination === '' && fromOpening !== '') form.fill({ [keys.destination]: fromOpening });
    // once, when the window opens
  }, []);

  const draftOf = (destination: string): SettingsChanges => {
    const saved = [keys.destination, keys.encoding, ...(workflow ? (form.checked(remote.use) ? remote.all : [remote.use]) : [])];
    return { ...form.changes(saved), [keys.destination]: destination };
  };

  /** The window's checks, then (before a test or the opening report) the backend's: what it shows as a draft, or null. */
  const check = async (dryRun: boolean): Promise<SettingsChanges | null> => {
    form.setBanner(null);
    const destination = form.text(keys.destination).trim();
    form.fill({ [keys.destination]: destination });
    const problem = destination === '' ? t('mailui.dest.destinationRequired') : isMailAddress(destination) ? null : t('mailui.dest.destinationInvalid');
    if (!form.show({ [keys.destination]: problem })) return null;
    const draft = draftOf(destination);
    return dryRun ? saving.dryRun(draft) : draft;
  };

  const test = async () => {
    if (busy) return;
    const draft = await check(true);
    if (draft) reports.test(1, draft, deliveryOf(draft[keys.destination], draft[keys.encoding]));
  };

  const opening_ = async () => {
    if (busy) return;
    const draft = await check(true);
    if (draft) reports.opening(draft);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check(false);
    if (draft && (await saving.save(draft))) await enabling.afterSave();
  };

  // Tested: what the window shows is what is stored and was tested, or what its last successful test used.
  const shown = deliveryOf(form.text(keys.destination).trim(), form.text(keys.encoding));
  const testedAt = reports.testedAt(shown, workflow && { delivery: deliveryOf(stored.destination, stored.encoding), at: workflow.testedAt });
  const labels = {
    uuencode: t('mailui.dest.uuencode'),
    base64: t('mailui.dest.base64'),
    utility: t('mailui.dest.utility'),
    test: t('mailui.dest.test'),
    opening: t('mailui.dest.opening'),
  };

  return (
    <FormDialog
      title={t(mm === 'manager-express' ? 'mailui.dest.titleManager' : 'mailui.dest.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      onCancel={onClose}
      nested={
        <>
          {reports.dialog}
          {editor ? <LazyOpeningEditor forHttps={false} onClose={() => setEditor(false)} onSaved={() => setEditor(false)} /> : null}
          {enabling.dialog}
        </>
      }
    >
      <FormError text={form.banner} />
      <fieldset className="group">
        <legend>{t('mailui.dest.destinationGroup')}</legend>
        <div className="setting-fields">
          <SettingField {...form.field(keys.destination)} label={t('mailui.dest.destination')} inputMode="email" />
        </div>
        <p className="hint" data-testid="destination-hint">
          {opening?.mode === 'key-code' || (opening !== null && opening.destinations.mail === '') ? t('mailui.dest.destinationKeyCode') : t('mailui.dest.destinationHint')}
        </p>
        <div className="mail-encoding">
          <span id={encodingId} className="mail-row-label">
            {t('mailui.dest.encoding')}
          </span>
          <RadioGroup layout="horizontal" aria-labelledby={encodingId} value={form.text(keys.encoding)} onChange={(_e, data) => form.set(keys.encoding, data.value)}>
            <Radio value="uuencode" label={<MnemonicText label={labels.uuencode} />} {...mnemonicProps(labels.uuencode)} />
            <Radio value="base64" label={<MnemonicText label={labels.base64} />} {...mnemonicProps(labels.base64)} />
          </RadioGroup>
        </div>
        <p className="hint">{t('mailui.dest.encodingHint')}</p>
        {workflow ? (
          <div className="https-actions-row mail-utility">
            <Button type="button" disabled={opening === null} onClick={() => setEditor(true)} {...mnemonicProps(labels.utility)}>
              <MnemonicButtonText label={labels.utility} />
            </Button>
            <p className="hint">{t('mailui.dest.utilityHint')}</p>
          </div>
        ) : null}
      </fieldset>
      {workflow ? (
        <>
          <RemoteAccessFields form={form} base={keys.remoteBase} labels={REMOTE_LABELS} />
          <div className="https-actions-row">
            <Button type="button" disabledFocusable={busy} onClick={() => void test()} {...mnemonicProps(labels.test)}>
              <MnemonicButtonText label={labels.test} />
            </Button>
            <OpeningReportButton label={labels.opening} testedAt={testedAt} openingReportedAt={workflow.openingReportedAt} busy={busy} onClick={() => void opening_()} />
          </div>
          <p className="hint">{testedAt ? t('mailui.dest.openingNote') : t('https.dest.openingHint')}</p>
        </>
      ) : null}
    </FormDialog>
  );
}
