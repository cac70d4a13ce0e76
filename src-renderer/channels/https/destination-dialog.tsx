import { Spinner } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import type { ApiError } from '../../../src-shared/errors';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { useEnableAfterSave } from '../../methods/enable-after-save';
import { useSaveChanges } from '../../methods/save-changes';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { useReportChildren } from '../../reports/report-children';
import { OpeningReportButton } from '../../reports/report-state';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { HttpsDestinationsGroup } from '../https-destinations-group';
import '../../ui/setting-dialogs.css';
import { CA_FILE, deliveryOf, DESTINATION_KEYS, draftOf, RELATED, storedDelivery, URL1, URL2, urlProblem } from './destination-form';
import { RemoteAccessFields, type RemoteAccessLabels } from '../remote-access';

const REMOTE_LABELS: RemoteAccessLabels = {
  legend: 'https.dest.remote',
  use: 'https.dest.remoteUse',
  entry: 'https.dest.remoteEntry',
  user: 'https.dest.remoteUser',
  password: 'https.dest.remotePassword',
  hints: ['https.dest.remoteHint'],
};

/**
 * エクスプレス通報サービス(HTTPS)の宛先設定 (seed L2372–2460): 1 次 / 2 次通報先 URL with a
 * [テスト通報] each, [宛先の読み込み] from AMHTPADR.INF in the WebReprt folder, the CA file, the
 * remote-access entry, and [開局通報] once a test has succeeded. A test or the opening report is
 * sent with what the window shows (a draft over the stored settings) and stores nothing; only OK
 * stores the values (one `settings:patch`), and キャンセル just closes. OK stores them and, when
 * the method is disabled but now set up, asks whether to enable it (seed L2453–2464). With
 * マネージャ経由 chosen in the basic settings, the registry opens the manager's window instead.
 */
export function HttpsDestinationDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const store = useSettingsStore();
  const stored = store.settings.methods['express-https'];
  const form = useSettingsForm(DESTINATION_KEYS, store.settings, { related: RELATED });
  /** AMHTPADR.INF in the WebReprt folder; null until the backend has said where */
  const [addressFile, setAddressFile] = useState<string | null>(null);
  const reports = useReportChildren(method);
  const saving = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('https.saveFailed')));
  const enabling = useEnableAfterSave(method, onClose);
  const { busy, setBusy } = saving;

  useEffect(() => {
    let cancelled = false;
    client.call('https:definitions', {}).then(
      (definitions) => {
        if (!cancelled) setAddressFile(definitions.files.find((f) => f.kind === 'adr')?.path ?? definitions.dir);
      },
      (error: unknown) => {
        if (!cancelled) form.setBanner(`${t('https.loadFailed')} ${asApiError(error, lang).message}`);
      },
    );
    return () => {
      cancelled = true;
    };
    // once, when the window opens (the form's banner setter does not change)
  }, [client]);

  /**
   * Checks what the window shows — its own checks, then (before a test or the opening report) the
   * backend's: `settings:patch` with dryRun, the same as OK's — and gives it as a draft; null
   * (with the refusal shown) when it cannot be used. Stores nothing.
   */
  const check = async (need: 1 | 2 | null): Promise<SettingsChanges | null> => {
    form.setBanner(null);
    const url1 = form.text(URL1).trim();
    const url2 = form.text(URL2).trim();
    form.fill({ [URL1]: url1, [URL2]: url2, [CA_FILE]: form.text(CA_FILE).trim() });
    const problem = (url: string, key: 'https.dest.url1' | 'https.dest.url2') => (url === '' ? null : urlProblem(i18n, url, t(key)));
    const url2Problem = problem(url2, 'https.dest.url2') ?? (need === 2 && url2 === '' ? t('https.dest.url2Missing') : null);
    const url1Problem = need === 1 && url1 === '' ? t('https.dest.url1Required') : problem(url1, 'https.dest.url1');
    if (!form.show({ [URL1]: url1Problem, [URL2]: url2Problem })) return null;
    const draft = draftOf(form);
    // OK's own call checks the same
    return need === null ? draft : saving.dryRun(draft);
  };

  const test = async (destination: 1 | 2) => {
    if (busy) return;
    const draft = await check(destination);
    if (draft) reports.test(destination, draft, deliveryOf(draft[URL1], draft[URL2], draft[CA_FILE]));
  };

  const opening = async () => {
    if (busy) return;
    const draft = await check(1);
    if (draft) reports.opening(draft);
  };

  const loadAddresses = async () => {
    if (busy) return;
    setBusy(true);
    try {
      // The file's URLs fill the fields; OK stores them.
      const result = await client.call('https:loadAddressFile', {});
      form.set(URL1, result.url1);
      form.set(URL2, result.url2);
      const none = t('https.dest.none');
      reports.message('info', t('https.dest.loaded', { path: result.path }), [
        t('https.dest.loadedUrl1', { url: result.url1 || none }),
        t('https.dest.loadedUrl2', { url: result.url2 || none }),
      ]);
    } catch (error) {
      const e: ApiError = asApiError(error, lang);
      reports.message('error', `${t('https.dest.loadFailed')} ${e.message}`, e.details);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check(null);
    if (draft && (await saving.save(draft))) await enabling.afterSave();
  };

  // Tested: what the window shows is what is stored and was tested, or what its last successful test used.
  const shown = deliveryOf(form.text(URL1).trim(), form.text(URL2).trim(), form.text(CA_FILE).trim());
  const testedAt = reports.testedAt(shown, { delivery: storedDelivery(stored), at: stored.testedAt });
  const labels = { opening: t('https.dest.opening') };

  return (
    <FormDialog
      title={t('https.dest.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy || addressFile === null}
      onCancel={onClose}
      nested={
        <>
          {reports.dialog}
          {enabling.dialog}
        </>
      }
    >
      <FormError text={form.banner} />
      {addressFile === null ? (
        form.banner ? null : <Spinner size="small" label={t('https.loading')} />
      ) : (
        <>
          <HttpsDestinationsGroup
            form={form}
            keys={{ url1: URL1, url2: URL2, caFile: CA_FILE }}
            busy={busy}
            onTest={(destination) => void test(destination)}
            onLoad={() => void loadAddresses()}
            addressFile={addressFile}
          />
          <RemoteAccessFields form={form} base="methods.express-https.remoteAccess" labels={REMOTE_LABELS} />
          <div className="https-actions-row">
            <OpeningReportButton label={labels.opening} testedAt={testedAt} openingReportedAt={stored.openingReportedAt} busy={busy} onClick={() => void opening()}>
              {testedAt ? null : <p className="hint https-state">{t('https.dest.openingHint')}</p>}
            </OpeningReportButton>
          </div>
        </>
      )}
    </FormDialog>
  );
}
