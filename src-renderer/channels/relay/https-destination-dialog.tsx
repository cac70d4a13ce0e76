import { useState, type FormEvent } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { useSettingsForm } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { useEnableAfterSave } from '../../methods/enable-after-save';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { useSaveChanges } from '../../methods/save-changes';
import { useReportChildren } from '../../reports/report-children';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import '../../ui/setting-dialogs.css';
import { HttpsDestinationsGroup } from '../https-destinations-group';
import { urlProblem } from '../url-check';

const METHOD = 'manager-express-https';
const URL1 = `methods.${METHOD}.url1`;
const URL2 = `methods.${METHOD}.url2`;
const CA_FILE = `methods.${METHOD}.caFile`;
const KEYS = [URL1, URL2, CA_FILE];

/**
 * マネージャからのエクスプレス(HTTPS)通報の宛先設定 (seed L2531–2570): 1 次 / 2 次通報先 URL, each
 * with [テスト通報] (the generic test flow, method manager-express-https, destination 1 or 2, with
 * the window's values as a draft: nothing is stored), 宛先定義ファイルの読み込み with the seed's
 * caution, and the CA file. OK stores them and, when the method is disabled but now set up, asks
 * whether to enable it — which starts its receive service (seed L2566–2569).
 */
export function ManagerHttpsDestinationDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const store = useSettingsStore();
  const form = useSettingsForm(KEYS, store.settings);
  const reports = useReportChildren(method);
  const saving = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('relayui.saveFailed')));
  const enabling = useEnableAfterSave(method, onClose);
  const { busy, setBusy } = saving;
  const [help, setHelp] = useState(false);

  /** The window's values, checked here (and before a test by the backend, dryRun); null when refused (shown). */
  const check = async (need: 1 | 2 | null): Promise<SettingsChanges | null> => {
    form.setBanner(null);
    const url1 = form.text(URL1).trim();
    const url2 = form.text(URL2).trim();
    const caFile = form.text(CA_FILE).trim();
    form.fill({ [URL1]: url1, [URL2]: url2, [CA_FILE]: caFile });
    const problem = (url: string, key: 'https.dest.url1' | 'https.dest.url2') => (url === '' ? null : urlProblem(i18n, url, t(key)));
    const passed = form.show({
      [URL1]: need === 1 && url1 === '' ? t('https.dest.url1Required') : problem(url1, 'https.dest.url1'),
      [URL2]: problem(url2, 'https.dest.url2') ?? (need === 2 && url2 === '' ? t('https.dest.url2Missing') : null),
    });
    if (!passed) return null;
    const draft = { [URL1]: url1, [URL2]: url2, [CA_FILE]: caFile };
    return need === null ? draft : saving.dryRun(draft);
  };

  const test = async (destination: 1 | 2) => {
    if (busy) return;
    const draft = await check(destination);
    // the window shows no tested state: the delivery only names the draft
    if (draft) reports.test(destination, draft, JSON.stringify(draft));
  };

  const load = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const result = await client.call('https:loadAddressFile', {});
      form.set(URL1, result.url1);
      form.set(URL2, result.url2);
      const none = t('https.dest.none');
      reports.message('info', t('https.dest.loaded', { path: result.path }), [
        t('https.dest.loadedUrl1', { url: result.url1 || none }),
        t('https.dest.loadedUrl2', { url: result.url2 || none }),
      ]);
    } catch (error) {
      const e = asApiError(error, lang);
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

  const labels = { help: t('relayui.help') };
  return (
    <FormDialog
      title={t('relayui.dest.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      onCancel={onClose}
      help={{ label: labels.help, onClick: () => setHelp(true) }}
      nested={
        <>
          {reports.dialog}
          {enabling.dialog}
          {help ? <MessageBox title={t('relayui.dest.title')} message={t('relayui.dest.helpText')} onClose={() => setHelp(false)} /> : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <HttpsDestinationsGroup form={form} keys={{ url1: URL1, url2: URL2, caFile: CA_FILE }} busy={busy} onTest={(destination) => void test(destination)} onLoad={() => void load()} />
    </FormDialog>
  );
}
