import { Button, Spinner } from '@fluentui/react-components';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../src-shared/errors';
import type { Settings } from '../src-shared/settings';
import { FormError } from './form-error';
import { useApiClient } from './client-context';
import { mnemonicProps } from './dialog-mnemonics';
import { FormDialog } from './form-dialog';
import { asApiError } from './errors';
import './https-dialogs.css';
import { HttpsManagerDialog } from './https-manager-dialog';
import { useI18n } from './i18n-context';
import { methodLabel } from './labels';
import { MessageBox } from './message-box';
import { MnemonicButtonText } from './mnemonic-text';
import { OpeningReportFlow } from './opening-report-flow';
import { QuestionBox } from './question-box';
import { SettingField } from './setting-field';
import { changed, refusalText, saveChanges, type SettingChange } from './settings-save';
import { defaultMailOf, type DefaultFrom } from './test-result-destination-dialog';
import { CHECKPOINT_KEYS, dateText, FIELD_ORDER, formOf, KEYS, urlProblem, type FieldErrors, type FieldName, type Form } from './https-destination-form';
import { RemoteAccessFields } from './https-remote-access';
import { TestReportFlow } from './test-report-flow';
import { useCheckpoint } from './use-checkpoint';

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
  | { kind: 'test'; destination: 1 | 2 }
  | { kind: 'opening' }
  | { kind: 'message'; intent: 'info' | 'error'; message: string; details?: string[]; then?: () => void }
  | { kind: 'enable' };

export interface HttpsDestinationDialogProps {
  onClose(): void;
}

/**
 * エクスプレス通報サービス(HTTPS)の宛先設定 (seed L2372–2460): 1 次 / 2 次通報先 URL with a
 * [テスト通報] each, [宛先の読み込み] from AMHTPADR.INF in the WebReprt folder, the CA file, the
 * remote-access entry, and [開局通報] once a test has succeeded. A test or the opening report uses
 * what the window shows (stored for it after a checkpoint); キャンセル restores the checkpoint, so
 * only OK keeps a tested value. OK stores it and, when the method is disabled but now set up, asks
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
  const checkpoint = useCheckpoint(CHECKPOINT_KEYS);
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

  /** Re-reads the stored state (testedAt, openingReportedAt) after a test or the opening report. */
  const refreshStored = useCallback(async () => {
    try {
      const settings = await client.call('settings:get', {});
      setLoaded((l) => l && { ...l, https: settings.methods['express-https'] });
    } catch {
      // the next action reads them again
    }
  }, [client]);

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

  /** Checks and stores what the window shows; false (with the refusal shown) when it cannot. */
  const save = async (need: 1 | 2 | null): Promise<boolean> => {
    if (!loaded || !form) return false;
    setFormError(null);
    const values: Form = { ...form, url1: form.url1.trim(), url2: form.url2.trim(), caFile: form.caFile.trim() };
    const errs: FieldErrors = {};
    for (const name of ['url1', 'url2'] as const) {
      const problem = values[name] === '' ? null : urlProblem(i18n, values[name], t(`https.dest.${name}`));
      if (problem) errs[name] = problem;
    }
    if (need === 1 && values.url1 === '') errs.url1 = t('https.dest.url1Required');
    if (need === 2 && values.url2 === '' && !errs.url2) errs.url2 = t('https.dest.url2Missing');
    if (Object.keys(errs).length > 0) {
      showErrors(errs);
      return false;
    }
    setErrors({});
    const m = loaded.https;
    // With remote access off, its greyed-out fields keep what is stored.
    const remote = values.remoteUse
      ? [
          { key: KEYS.remoteEntry, value: values.remoteEntry, stored: m.remoteAccess.entry },
          { key: KEYS.remoteUser, value: values.remoteUser, stored: m.remoteAccess.user },
          { key: KEYS.remotePassword, value: values.remotePassword, stored: m.remoteAccess.password },
        ]
      : [];
    const changes: SettingChange[] = changed([
      { key: KEYS.url1, value: values.url1, stored: m.url1 },
      { key: KEYS.url2, value: values.url2, stored: m.url2 },
      { key: KEYS.caFile, value: values.caFile, stored: m.caFile },
      ...remote,
      { key: KEYS.remoteUse, value: values.remoteUse, stored: m.remoteAccess.use },
    ]);
    setBusy(true);
    if (need !== null && !(await keepStart())) {
      setBusy(false);
      return false;
    }
    const outcome = await saveChanges(client, changes, lang);
    setBusy(false);
    if (outcome.settings) {
      const https = outcome.settings.methods['express-https'];
      setLoaded((l) => l && { ...l, https });
    }
    setForm(values);
    if (outcome.ok) return true;
    const name = FIELD_ORDER.find((f) => outcome.error.field === KEYS[f]);
    if (name) showErrors({ [name]: refusalText(outcome.error) });
    else setFormError(`${t('https.saveFailed')} ${[outcome.error.message, ...(outcome.error.details ?? [])].join(' ')}`);
    return false;
  };

  /** Before anything is stored for a test: the starting state that キャンセル restores. */
  const keepStart = async (): Promise<boolean> => {
    try {
      await checkpoint.take();
      return true;
    } catch (error) {
      setFormError(`${t('https.saveFailed')} ${asApiError(error, lang).message}`);
      return false;
    }
  };

  const cancel = async () => {
    try {
      await checkpoint.rollback();
      onClose();
    } catch (error) {
      const e = asApiError(error, lang);
      setChild({ kind: 'message', intent: 'error', message: `${t('https.dest.restoreFailed')} ${e.message}`, details: e.details, then: onClose });
    }
  };

  const test = async (destination: 1 | 2) => {
    if (busy) return;
    if (await save(destination)) setChild({ kind: 'test', destination });
  };

  const opening = async () => {
    if (busy) return;
    if (await save(1)) setChild({ kind: 'opening' });
  };

  const loadAddresses = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await checkpoint.take();
      const result = await client.call('https:loadAddressFile', {});
      setForm((f) => f && { ...f, url1: result.url1, url2: result.url2 });
      setErrors((e) => ({ ...e, url1: undefined, url2: undefined }));
      await refreshStored();
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
    if (busy || !(await save(null))) return;
    checkpoint.release();
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
      onCancel={() => void cancel()}
      nested={
        <>
          {child?.kind === 'test' && loaded ? (
            <TestReportFlow
              destination={child.destination}
              defaultMail={loaded.defaultMail}
              defaultFrom={loaded.defaultFrom}
              onDone={(outcome) => {
                setChild(null);
                if (outcome?.delivered) void refreshStored();
              }}
            />
          ) : null}
          {child?.kind === 'opening' ? (
            <OpeningReportFlow
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
              disabled={!m.testedAt}
              disabledFocusable={busy}
              aria-describedby={stateId}
              onClick={() => void opening()}
              {...mnemonicProps(labels.opening)}
            >
              <MnemonicButtonText label={labels.opening} />
            </Button>
            <div id={stateId}>
              <p className={m.testedAt ? 'https-state https-state--ok' : 'https-state'} data-testid="tested-state">
                {m.testedAt ? t('https.dest.tested', { date: dateText(lang, m.testedAt) }) : t('https.dest.notTested')}
              </p>
              <p className={m.openingReportedAt ? 'https-state https-state--ok' : 'https-state'}>
                {m.openingReportedAt
                  ? t('https.dest.openingDone', { date: dateText(lang, m.openingReportedAt) })
                  : t('https.dest.notOpened')}
              </p>
              {m.testedAt ? null : <p className="hint https-state">{t('https.dest.openingHint')}</p>}
            </div>
          </div>
        </>
      )}
    </FormDialog>
  );
}
