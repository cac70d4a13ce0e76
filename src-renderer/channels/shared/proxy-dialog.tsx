import {
  Checkbox,
} from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import { SECRET_MASK, type Settings } from '../../../src-shared/settings';
import { isHostName, parsePort } from '../../lib/host-check';
import { mnemonicProps } from '../../lib/mnemonics';
import { useI18n, type I18n } from '../../lib/i18n-context';
import { MnemonicText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';
import { changed, type SettingChange } from '../../lib/settings-save';
import { FormDialog } from '../../ui/form-dialog';

export type Proxy = Settings['methods']['express-https']['proxy'];
type FieldName = 'host' | 'port' | 'user' | 'password';
type FieldErrors = Partial<Record<FieldName, string>>;

const KEY = 'methods.express-https.proxy';
const FIELDS: readonly FieldName[] = ['host', 'port', 'user', 'password'];

export interface ProxyDialogProps {
  /** what the parent window holds: the stored proxy settings or its own unsaved ones (a stored password as SECRET_MASK) */
  proxy: Proxy;
  /** OK: the values for the parent, which stores them on its own OK */
  onOk(proxy: Proxy): void;
  onClose(): void;
}

/** The settings:set changes that turn `stored` into `next`, the switch last (see saveChanges). */
export function proxyChanges(stored: Proxy, next: Proxy): SettingChange[] {
  // With the proxy switched off, the greyed-out fields keep what is stored.
  const values = next.enabled
    ? [
        { key: `${KEY}.host`, value: next.host, stored: stored.host },
        { key: `${KEY}.port`, value: next.port, stored: stored.port },
        { key: `${KEY}.user`, value: next.user, stored: stored.user },
        { key: `${KEY}.password`, value: next.password, stored: stored.password },
      ]
    : [];
  return changed([...values, { key: `${KEY}.enabled`, value: next.enabled, stored: stored.enabled }]);
}

interface Form {
  enabled: boolean;
  host: string;
  port: string;
  user: string;
  password: string;
}

function validate(form: Form, { t }: I18n): { errors: FieldErrors; port: number | null } {
  const errors: FieldErrors = {};
  const port = parsePort(form.port);
  if (!form.enabled) return { errors, port };
  const host = form.host.trim();
  if (host === '') errors.host = t('https.proxy.hostRequired');
  else if (!isHostName(host)) errors.host = t('https.proxy.hostInvalid');
  if (port === null) errors.port = t('https.proxy.portInvalid');
  // Basic authentication sends a user and a password: a password alone would be dropped without a word
  if (form.user.trim() === '' && form.password !== '') errors.user = t('https.proxy.userForPassword');
  return { errors, port };
}

/**
 * プロキシの設定 (seed L2347–2362): 指定したプロキシサーバを使用する, アドレス (IP address, host
 * name or FQDN), ポート, and for user authentication ユーザー名 / パスワード. Basic authentication
 * only; no automatic configuration script and no auto-detection. OK checks the fields and hands
 * the values to エクスプレス通報サービス(HTTPS)の基本設定, which stores them on its OK (its
 * キャンセル drops them); a refusal is shown under its field and the dialog stays open.
 */
export function ProxyDialog({ proxy, onOk, onClose }: ProxyDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<Form>(() => ({
    enabled: proxy.enabled,
    host: proxy.host,
    port: String(proxy.port),
    user: proxy.user,
    password: proxy.password,
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const refs = {
    host: useRef<HTMLInputElement>(null),
    port: useRef<HTMLInputElement>(null),
    user: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };
  const useLabel = t('https.proxy.use');

  /** A field's message goes when it is edited; switching the proxy off takes them all. */
  const update = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => {
      if (patch.enabled === false) return {};
      const next = { ...e };
      for (const name of Object.keys(patch)) delete next[name as FieldName];
      return next;
    });
  };

  const showErrors = (errs: FieldErrors) => {
    setErrors(errs);
    const first = FIELDS.find((name) => errs[name] !== undefined);
    if (first) refs[first].current?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(form, i18n);
    if (Object.keys(checked.errors).length > 0) {
      showErrors(checked.errors);
      return;
    }
    setErrors({});
    // With the proxy switched off, the greyed-out fields keep what the parent holds.
    onOk(
      form.enabled
        ? { enabled: true, host: form.host.trim(), port: checked.port ?? proxy.port, user: form.user, password: form.password }
        : { ...proxy, enabled: false },
    );
  };

  return (
    <FormDialog
      title={t('https.proxy.title')}
      surfaceClassName="dialog dialog--medium"
      mnemonics
      onSubmit={submit}
      noValidate
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onCancel={onClose}
    >
      <Checkbox
        label={<MnemonicText label={useLabel} />}
        checked={form.enabled}
        onChange={(_e, data) => update({ enabled: data.checked === true })}
        {...mnemonicProps(useLabel)}
      />
      <div className="setting-fields proxy-server">
        <SettingField
          field={`${KEY}.host`}
          label={t('https.proxy.host')}
          value={form.host}
          disabled={!form.enabled}
          error={errors.host}
          inputRef={refs.host}
          onChange={(host) => update({ host })}
        />
        <SettingField
          field={`${KEY}.port`}
          label={t('https.proxy.port')}
          value={form.port}
          disabled={!form.enabled}
          error={errors.port}
          inputMode="numeric"
          className="setting-input--port"
          inputRef={refs.port}
          onChange={(port) => update({ port })}
        />
      </div>
      <p className="hint proxy-server">{t('https.proxy.hostHint')}</p>
      <fieldset className="group">
        <legend>{t('https.proxy.auth')}</legend>
        <div className="setting-fields">
          <SettingField
            field={`${KEY}.user`}
            label={t('https.proxy.user')}
            value={form.user}
            disabled={!form.enabled}
            error={errors.user}
            inputRef={refs.user}
            onChange={(user) => update({ user })}
          />
          <SettingField
            field={`${KEY}.password`}
            label={t('https.proxy.password')}
            type="password"
            value={form.password}
            disabled={!form.enabled}
            error={errors.password}
            hint={proxy.password === SECRET_MASK && form.password === SECRET_MASK ? t('https.proxy.passwordKept') : undefined}
            inputRef={refs.password}
            onChange={(password) => update({ password })}
          />
        </div>
        <p className="hint">
          {t('https.proxy.authHint')}
          <br />
          {t('https.proxy.basicOnly')}
          <br />
          {t('https.proxy.noAuto')}
        </p>
      </fieldset>
    </FormDialog>
  );
}
