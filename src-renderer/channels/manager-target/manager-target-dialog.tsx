import { Button } from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { HttpsDraft } from '../../../src-shared/api';
import type { Settings } from '../../../src-shared/settings';
import { asApiError } from '../../lib/errors';
import { FormError } from '../../ui/form-error';
import { useApiClient } from '../../lib/client-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { FormDialog } from '../../ui/form-dialog';
import { isHostName, parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import { MnemonicButtonText } from '../../ui/mnemonic-text';
import { OpeningReportFlow } from '../../reports/opening-report-flow';
import { SettingField } from '../../ui/setting-field';
import { refusalText } from '../../lib/settings-save';
import type { DefaultFrom } from '../../reports/test-result-destination-dialog';
import { TestReportFlow } from '../../reports/test-report-flow';

type Https = Settings['methods']['express-https'];
type FieldName = 'host' | 'port';

const KEY = 'methods.express-https.manager';
const DEFAULT_PORT = 31138;

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
 * or host name and port (初期値 31138), [テスト通報] and [開局通報]. A test is sent with what the
 * window shows and stores nothing; only OK stores it (`https:saveDestinations`), キャンセル just closes. Sending through a manager is
 * refused by this version's backend, which says so.
 */
export function HttpsManagerDialog({ https, defaultMail, defaultFrom, onClose }: HttpsManagerDialogProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [host, setHost] = useState(https.manager.host);
  const [port, setPort] = useState(String(https.manager.port));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [child, setChild] = useState<{ kind: 'test' | 'opening'; draft: HttpsDraft } | null>(null);
  const refs = { host: useRef<HTMLInputElement>(null), port: useRef<HTMLInputElement>(null) };
  const labels = { test: t('https.dest.managerTest'), opening: t('https.dest.opening'), initial: t('https.dest.managerDefault') };

  /** The window's values as a draft, checked here and by the backend as OK checks them; null (shown) when refused. Stores nothing. */
  const check = async (): Promise<HttpsDraft | null> => {
    setFormError(null);
    const name = host.trim();
    const number = parsePort(port);
    const errs: Partial<Record<FieldName, string>> = {};
    if (name === '') errs.host = t('https.dest.managerHostRequired');
    else if (!isHostName(name)) errs.host = t('https.proxy.hostInvalid');
    if (number === null) errs.port = t('https.proxy.portInvalid');
    setErrors(errs);
    setHost(name);
    if (errs.host || errs.port || number === null) {
      refs[errs.host ? 'host' : 'port'].current?.focus();
      return null;
    }
    const draft: HttpsDraft = { manager: { host: name, port: number } };
    return (await call('https:checkDestinations', draft)) ? draft : null;
  };

  /** Calls the backend with the draft; false with the refusal shown under its field or in the banner. */
  const call = async (method: 'https:checkDestinations' | 'https:saveDestinations', draft: HttpsDraft): Promise<boolean> => {
    setBusy(true);
    try {
      await client.call(method, draft);
      return true;
    } catch (err) {
      const error = asApiError(err, lang);
      const field: FieldName | null = error.field === `${KEY}.host` ? 'host' : error.field === `${KEY}.port` ? 'port' : null;
      if (field) {
        setErrors({ [field]: refusalText(error) });
        refs[field].current?.focus();
      } else setFormError(`${t('https.saveFailed')} ${error.message}`);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check();
    if (draft && (await call('https:saveDestinations', draft))) onClose();
  };

  const run = async (kind: 'test' | 'opening') => {
    if (busy) return;
    const draft = await check();
    if (draft) setChild({ kind, draft });
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
      onCancel={onClose}
      nested={
        <>
          {child?.kind === 'test' ? (
            <TestReportFlow destination={1} defaultMail={defaultMail} defaultFrom={defaultFrom} draft={child.draft} onDone={() => setChild(null)} />
          ) : null}
          {child?.kind === 'opening' ? <OpeningReportFlow draft={child.draft} onDone={() => setChild(null)} /> : null}
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
