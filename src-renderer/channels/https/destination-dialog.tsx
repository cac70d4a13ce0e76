import { Button, Spinner } from '@fluentui/react-components';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { HttpsDraft } from '../../../src-shared/api';
import type { ApiError } from '../../../src-shared/errors';
import type { Settings } from '../../../src-shared/settings';
import { FormError } from '../../ui/form-error';
import { useApiClient } from '../../lib/client-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { FormDialog } from '../../ui/form-dialog';
import { asApiError } from '../../lib/errors';
import '../../ui/setting-dialogs.css';
import { HttpsManagerDialog } from '../manager-target/manager-target-dialog';
import { useI18n } from '../../lib/i18n-context';
import { methodLabel } from '../../lib/labels';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { OpeningReportFlow } from '../../reports/opening-report-flow';
import { QuestionBox } from '../../ui/question-box';
import { SettingField } from '../../ui/setting-field';
import { refusalText } from '../../lib/settings-save';
import { defaultMailOf, type DefaultFrom } from '../../reports/test-result-destination-dialog';
import { dateText, deliveryOf, draftOf, FIELD_ORDER, formOf, KEYS, urlProblem, type FieldErrors, type FieldName, type Form } from './destination-form';
import { RemoteAccessFields } from './remote-access';
import { TestReportFlow } from '../../reports/test-report-flow';

type Https = Settings['methods']['express-https'];

interface Loaded {
  https: Https;
  /** AMHTPADR.INF in the WebReprt folder */
  addressFile: string;
  /** the opening's result mail, else the customer's e-mail */
  defaultMail: string;
  /** where defaultMail comes from */
  defaultFrom: DefaultFrom;
}

type Child =
  | { kind: 'test'; destination: 1 | 2; draft: HttpsDraft; delivery: string }
  | { kind: 'opening'; draft: HttpsDraft }
  | { kind: 'message'; intent: 'info' | 'error'; message: string; details?: string[]; then?: () => void }
  | { kind: 'enable' };

export interface HttpsDestinationDialogProps {
  onClose(): void;
}

/**
 * エクスプレス通報サービス(HTTPS)の宛先設定 (seed L2372–2460): 1 次 / 2 次通報先 URL with a
 * [テスト通報] each, [宛先の読み込み] from AMHTPADR.INF in the WebReprt folder, the CA file, the
 * remote-access entry, and [開局通報] once a test has succeeded. A test or the opening report is
 * sent with what the window shows (a draft over the stored settings) and stores nothing; only OK
 * stores the values (`https:saveDestinations`), and キャンセル just closes. OK stores them and, when the method is disabled but now set up, asks
 * whether to enable it (seed L2453–2464). With マネージャ経由 chosen in the basic settings, the
 * manager's window is shown instead.
 */
export function HttpsDestinationDialog({ onClose }: HttpsDestinationDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [child, setChild] = useState<Child | null>(null);
  const stateId = useId();
  /** the delivery values of the window's last successful test, and when (stored only by OK) */
  const [tested, setTested] = useState<{ delivery: string; at: string } | null>(null);
  const refs = {
    url1: useRef<HTMLInputElement>(null),
    url2: useRef<HTMLInputElement>(null),
    caFile: useRef<HTMLInputElement>(null),
    remoteEntry: useRef<HTMLInputElement>(null),
    remoteUser: useRef<HTMLInputElement>(null),
    remotePassword: useRef<HTMLInputElement>(null),
  };

  useEffect(() => {
    let cancelled = false;
    Promise.all([client.call('settings:get', {}), client.call('https:definitions', {}), client.call('opening:get', {})]).then(
      ([settings, definitions, { opening }]) => {
        if (cancelled) return;
        const https = settings.methods['express-https'];
        const adr = definitions.files.find((f) => f.kind === 'adr');
        setLoaded({ https, addressFile: adr?.path ?? definitions.dir, ...defaultMailOf(opening) });
        setForm(formOf(https));
      },
      (error: unknown) => {
        if (!cancelled) setFormError(`${t('https.loadFailed')} ${asApiError(error, lang).message}`);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, t, lang]);

  /** Re-reads the stored state (openingReportedAt) after the opening report. */
  const refreshStored = async () => {
    try {
      const settings = await client.call('settings:get', {});
      setLoaded((l) => l && { ...l, https: settings.methods['express-https'] });
    } catch {
      // the next action reads them again
    }
  };

  /** A field's message and the banner go when it is edited; switching remote access off takes its fields' messages. */
  const update = (patch: Partial<Form>) => {
    setForm((f) => f && { ...f, ...patch });
    // the banner was about what the window showed: it goes with the edit, like the field's message
    setFormError(null);
    setErrors((e) => {
      const next = { ...e };
      for (const name of Object.keys(patch)) delete next[name as FieldName];
      if (patch.remoteUse === false) {
        delete next.remoteEntry;
        delete next.remoteUser;
        delete next.remotePassword;
      }
      return next;
    });
  };

  const showErrors = (errs: FieldErrors) => {
    setErrors(errs);
    const first = FIELD_ORDER.find((name) => errs[name] !== undefined);
    if (first) refs[first].current?.focus();
  };

  /** A refusal from the backend: under its field when it names one, else in the banner. */
  const showRefusal = (error: ApiError, banner: string) => {
    const name = FIELD_ORDER.find((f) => error.field === KEYS[f]);
    if (name) showErrors({ [name]: refusalText(error) });
    else setFormError(`${banner} ${[error.message, ...(error.details ?? [])].join(' ')}`);
  };

  /**
   * Checks what the window shows — its own checks, then the backend's (the same as OK's) — and
   * gives it as a draft; null (with the refusal shown) when it cannot be used. Stores nothing.
   */
  const check = async (need: 1 | 2 | null): Promise<HttpsDraft | null> => {
    if (!loaded || !form) return null;
    setFormError(null);
    const values: Form = { ...form, url1: form.url1.trim(), url2: form.url2.trim(), caFile: form.caFile.trim() };
    const errs: FieldErrors = {};
    for (const name of ['url1', 'url2'] as const) {
      const problem = values[name] === '' ? null : urlProblem(i18n, values[name], t(`https.dest.${name}`));
      if (problem) errs[name] = problem;
    }
    if (need === 1 && values.url1 === '') errs.url1 = t('https.dest.url1Required');
    if (need === 2 && values.url2 === '' && !errs.url2) errs.url2 = t('https.dest.url2Missing');
    setForm(values);
    if (Object.keys(errs).length > 0) {
      showErrors(errs);
      return null;
    }
    setErrors({});
    const draft = draftOf(values);
    setBusy(true);
    try {
      await client.call('https:checkDestinations', draft);
      return draft;
    } catch (error) {
      showRefusal(asApiError(error, lang), t('https.saveFailed'));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const test = async (destination: 1 | 2) => {
    if (busy) return;
    const draft = await check(destination);
    if (draft) setChild({ kind: 'test', destination, draft, delivery: deliveryOf(draft) });
  };

  const opening = async () => {
    if (busy) return;
    const draft = await check(1);
    if (draft) setChild({ kind: 'opening', draft });
  };

  const loadAddresses = async () => {
    if (busy) return;
    setBusy(true);
    try {
      // The file's URLs fill the fields; OK stores them.
      const result = await client.call('https:loadAddressFile', {});
      setForm((f) => f && { ...f, url1: result.url1, url2: result.url2 });
      setErrors((e) => ({ ...e, url1: undefined, url2: undefined }));
      const none = t('https.dest.none');
      setChild({
        kind: 'message',
        intent: 'info',
        message: t('https.dest.loaded', { path: result.path }),
        details: [t('https.dest.loadedUrl1', { url: result.url1 || none }), t('https.dest.loadedUrl2', { url: result.url2 || none })],
      });
    } catch (error) {
      const e: ApiError = asApiError(error, lang);
      setChild({ kind: 'message', intent: 'error', message: `${t('https.dest.loadFailed')} ${e.message}`, details: e.details });
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check(null);
    if (!draft) return;
    setBusy(true);
    try {
      const settings = await client.call('https:saveDestinations', draft);
      setLoaded((l) => l && { ...l, https: settings.methods['express-https'] });
    } catch (error) {
      showRefusal(asApiError(error, lang), t('https.saveFailed'));
      return;
    } finally {
      setBusy(false);
    }
    try {
      const status = (await client.call('methods:list', {})).find((s) => s.name === 'express-https');
      if (status && !status.enabled && status.configured) {
        setChild({ kind: 'enable' });
        return;
      }
    } catch {
      // the settings are stored; the question can wait for the next time
    }
    onClose();
  };

  const enable = async () => {
    try {
      await client.call('methods:setEnabled', { name: 'express-https', enabled: true });
      onClose();
    } catch (error) {
      const e = asApiError(error, lang);
      setChild({ kind: 'message', intent: 'error', message: `${t('https.dest.enableFailed')} ${e.message}`, details: e.details, then: onClose });
    }
  };

  const m = loaded?.https;
  // Tested: what the window shows is what is stored and was tested, or what its last successful test used.
  const shown = form ? deliveryOf(draftOf(form)) : null;
  const testedAt = m && form ? (m.testedAt && shown === deliveryOf(draftOf(formOf(m))) ? m.testedAt : tested?.delivery === shown ? tested.at : null) : null;
  const method = methodLabel(i18n, 'express-https');
  const labels = {
    test1: t('https.dest.test1'),
    test2: t('https.dest.test2'),
    load: t('https.dest.load'),
    opening: t('https.dest.opening'),
  };

  // マネージャ経由 (基本設定) has a window of its own: the manager's address and port.
  if (loaded?.https.route === 'manager') {
    return <HttpsManagerDialog https={loaded.https} defaultMail={loaded.defaultMail} defaultFrom={loaded.defaultFrom} onClose={onClose} />;
  }

  return (
    <FormDialog
      title={t('https.dest.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy || !loaded}
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onCancel={onClose}
      nested={
        <>
          {child?.kind === 'test' && loaded ? (
            <TestReportFlow
              destination={child.destination}
              defaultMail={loaded.defaultMail}
              defaultFrom={loaded.defaultFrom}
              draft={child.draft}
              onDone={(outcome) => {
                setChild(null);
                if (outcome?.delivered) setTested({ delivery: child.delivery, at: new Date().toISOString() });
              }}
            />
          ) : null}
          {child?.kind === 'opening' ? (
            <OpeningReportFlow
              draft={child.draft}
              onDone={() => {
                setChild(null);
                void refreshStored();
              }}
            />
          ) : null}
          {child?.kind === 'message' ? (
            <MessageBox
              intent={child.intent}
              title={t('https.box.title')}
              message={child.message}
              details={child.details}
              onClose={() => {
                setChild(null);
                child.then?.();
              }}
            />
          ) : null}
          {child?.kind === 'enable' ? (
            <QuestionBox
              title={t('https.box.title')}
              message={t('https.dest.enableQuestion', { method })}
              note={t('https.dest.enableLater', { method })}
              onYes={() => void enable()}
              onNo={onClose}
            />
          ) : null}
        </>
      }
    >
      <FormError text={formError} />
      {!loaded || !form || !m ? (
        formError ? null : <Spinner size="small" label={t('https.loading')} />
      ) : (
        <>
          <fieldset className="group">
            <legend>{t('https.dest.destinations')}</legend>
            <div className="setting-fields">
              <div className="setting-row">
                <SettingField
                  field={KEYS.url1}
                  label={t('https.dest.url1')}
                  value={form.url1}
                  error={errors.url1}
                  inputMode="url"
                  inputRef={refs.url1}
                  onChange={(url1) => update({ url1 })}
                />
                <Button type="button" disabledFocusable={busy} onClick={() => void test(1)} {...mnemonicProps(labels.test1)}>
                  <MnemonicButtonText label={labels.test1} />
                </Button>
              </div>
              <div className="setting-row">
                <SettingField
                  field={KEYS.url2}
                  label={t('https.dest.url2')}
                  value={form.url2}
                  error={errors.url2}
                  inputMode="url"
                  inputRef={refs.url2}
                  onChange={(url2) => update({ url2 })}
                />
                <Button type="button" disabledFocusable={busy} onClick={() => void test(2)} {...mnemonicProps(labels.test2)}>
                  <MnemonicButtonText label={labels.test2} />
                </Button>
              </div>
            </div>
            <div className="https-actions-row">
              <Button type="button" disabledFocusable={busy} onClick={() => void loadAddresses()} {...mnemonicProps(labels.load)}>
                <MnemonicButtonText label={labels.load} />
              </Button>
              <p className="https-path" data-testid="address-file">
                {t('https.dest.addressFile')}: <code>{loaded.addressFile}</code>
              </p>
            </div>
            <p className="hint">{t('https.dest.loadWarning')}</p>
            <div className="setting-fields">
              <SettingField
                field={KEYS.caFile}
                label={t('https.dest.caFile')}
                value={form.caFile}
                error={errors.caFile}
                inputRef={refs.caFile}
                onChange={(caFile) => update({ caFile })}
              />
            </div>
            <p className="hint">{t('https.dest.caHint')}</p>
          </fieldset>
          <RemoteAccessFields
            form={form}
            errors={errors}
            refs={{ remoteEntry: refs.remoteEntry, remoteUser: refs.remoteUser, remotePassword: refs.remotePassword }}
            update={update}
          />
          <div className="https-actions-row">
            <Button
              type="button"
              disabled={!testedAt}
              disabledFocusable={busy}
              aria-describedby={stateId}
              onClick={() => void opening()}
              {...mnemonicProps(labels.opening)}
            >
              <MnemonicButtonText label={labels.opening} />
            </Button>
            <div id={stateId}>
              <p className={testedAt ? 'https-state https-state--ok' : 'https-state'} data-testid="tested-state">
                {testedAt ? t('https.dest.tested', { date: dateText(lang, testedAt) }) : t('https.dest.notTested')}
              </p>
              <p className={m.openingReportedAt ? 'https-state https-state--ok' : 'https-state'}>
                {m.openingReportedAt
                  ? t('https.dest.openingDone', { date: dateText(lang, m.openingReportedAt) })
                  : t('https.dest.notOpened')}
              </p>
              {testedAt ? null : <p className="hint https-state">{t('https.dest.openingHint')}</p>}
            </div>
          </div>
        </>
      )}
    </FormDialog>
  );
}
