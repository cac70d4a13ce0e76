import { Button } from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { Settings } from '../src-shared/settings';
import { asApiError } from './errors';
import { FormError } from './form-error';
import { useApiClient } from './client-context';
import { mnemonicProps } from './dialog-mnemonics';
import { FormDialog } from './form-dialog';
import { isHostName, parsePort } from './host-check';
import { useI18n } from './i18n-context';
import { MnemonicButtonText } from './mnemonic-text';
import { OpeningReportFlow } from './opening-report-flow';
import { SettingField } from './setting-field';
import { changed, refusalText, saveChanges } from './settings-save';
import { MessageBox } from './message-box';
import type { DefaultFrom } from './test-result-destination-dialog';
import { TestReportFlow } from './test-report-flow';
import { useCheckpoint } from './use-checkpoint';

type Https = Settings['methods']['express-https'];
type FieldName = 'host' | 'port';

const KEY = 'methods.express-https.manager';
const DEFAULT_PORT = 31138;
/** What a test or the opening report may store before OK: キャンセル puts it back. */
const CHECKPOINT_KEYS: readonly string[] = [KEY, 'methods.express-https.testedAt'];

export interface HttpsManagerDialogProps {
  /** the stored Express (HTTPS) settings */
  https: Https;
  /** the opening's result mail, else the customer's e-mail */
  defaultMail: string;
  defaultFrom: DefaultFrom;
  onClose(): void;
}

/**
 * エクスプレス通報サービス(HTTPS)(マネージャ経由)の設定 (seed L2615–2633): the manager's IP address
 * or host name and port (初期値 31138), [テスト通報] and [開局通報]. A test uses what the window
 * shows; only OK keeps it (キャンセル restores the starting state). Sending through a manager is
 * refused by this version's backend, which says so.
 */
export function HttpsManagerDialog({ https, defaultMail, defaultFrom, onClose }: HttpsManagerDialogProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [stored, setStored] = useState(https.manager);
  const [host, setHost] = useState(https.manager.host);
  const [port, setPort] = useState(String(https.manager.port));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [child, setChild] = useState<'test' | 'opening' | { message: string; details?: string[] } | null>(null);
  const checkpoint = useCheckpoint(CHECKPOINT_KEYS);
  const refs = { host: useRef<HTMLInputElement>(null), port: useRef<HTMLInputElement>(null) };
  const labels = { test: t('https.dest.managerTest'), opening: t('https.dest.opening'), initial: t('https.dest.managerDefault') };

  const save = async (forTest = false): Promise<boolean> => {
    setFormError(null);
    const name = host.trim();
    const number = parsePort(port);
    const errs: Partial<Record<FieldName, string>> = {};
    if (name === '') errs.host = t('https.dest.managerHostRequired');
    else if (!isHostName(name)) errs.host = t('https.proxy.hostInvalid');
    if (number === null) errs.port = t('https.proxy.portInvalid');
    setErrors(errs);
    if (errs.host || errs.port || number === null) {
      refs[errs.host ? 'host' : 'port'].current?.focus();
      return false;
    }
    setBusy(true);
    if (forTest) {
      try {
        await checkpoint.take();
      } catch (error) {
        setBusy(false);
        setFormError(`${t('https.saveFailed')} ${asApiError(error, lang).message}`);
        return false;
      }
    }
    const outcome = await saveChanges(
      client,
      changed([
        { key: `${KEY}.host`, value: name, stored: stored.host },
        { key: `${KEY}.port`, value: number, stored: stored.port },
      ]),
      lang,
    );
    setBusy(false);
    if (outcome.settings) setStored(outcome.settings.methods['express-https'].manager);
    setHost(name);
    if (outcome.ok) return true;
    const field: FieldName | null = outcome.error.field === `${KEY}.host` ? 'host' : outcome.error.field === `${KEY}.port` ? 'port' : null;
    if (field) {
      setErrors({ [field]: refusalText(outcome.error) });
      refs[field].current?.focus();
    } else setFormError(`${t('https.saveFailed')} ${outcome.error.message}`);
    return false;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !(await save())) return;
    checkpoint.release();
    onClose();
  };

  const run = async (which: 'test' | 'opening') => {
    if (!busy && (await save(true))) setChild(which);
  };

  const cancel = async () => {
    try {
      await checkpoint.rollback();
      onClose();
    } catch (error) {
      const e = asApiError(error, lang);
      setChild({ message: `${t('https.dest.restoreFailed')} ${e.message}`, details: e.details });
    }
  };

  return (
    <FormDialog
      title={t('https.dest.managerTitle')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onCancel={() => void cancel()}
      nested={
        <>
          {child === 'test' ? <TestReportFlow destination={1} defaultMail={defaultMail} defaultFrom={defaultFrom} onDone={() => setChild(null)} /> : null}
          {child === 'opening' ? <OpeningReportFlow onDone={() => setChild(null)} /> : null}
          {typeof child === 'object' && child !== null ? (
            <MessageBox intent="error" title={t('https.box.title')} message={child.message} details={child.details} onClose={onClose} />
          ) : null}
        </>
      }
    >
      <FormError intent="warning" text={t('error.route-manager')} />
      <FormError text={formError} />
      <div className="setting-fields">
        <SettingField
          field={`${KEY}.host`}
          label={t('https.dest.managerHost')}
          value={host}
          error={errors.host}
          hint={t('https.dest.managerHostHint')}
          inputRef={refs.host}
          onChange={(value) => {
            setHost(value);
            setErrors((e) => ({ ...e, host: undefined }));
            setFormError(null);
          }}
        />
        <div className="setting-row">
          <SettingField
            field={`${KEY}.port`}
            label={t('https.dest.managerPort')}
            value={port}
            error={errors.port}
            hint={t('https.dest.managerPortHint')}
            inputMode="numeric"
            className="setting-input--port"
            inputRef={refs.port}
            onChange={(value) => {
              setPort(value);
              setErrors((e) => ({ ...e, port: undefined }));
              setFormError(null);
            }}
          />
          <Button
            type="button"
            onClick={() => {
              setPort(String(DEFAULT_PORT));
              setErrors((e) => ({ ...e, port: undefined }));
            }}
            {...mnemonicProps(labels.initial)}
          >
            <MnemonicButtonText label={labels.initial} />
          </Button>
        </div>
      </div>
      <div className="https-actions-row">
        <Button type="button" disabledFocusable={busy} onClick={() => void run('test')} {...mnemonicProps(labels.test)}>
          <MnemonicButtonText label={labels.test} />
        </Button>
        <Button type="button" disabled={!https.testedAt} disabledFocusable={busy} onClick={() => void run('opening')} {...mnemonicProps(labels.opening)}>
          <MnemonicButtonText label={labels.opening} />
        </Button>
      </div>
    </FormDialog>
  );
}
