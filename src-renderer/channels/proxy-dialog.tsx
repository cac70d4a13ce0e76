import { Checkbox } from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { SettingsChanges } from '../../src-shared/api';
import { SECRET_MASK, type Settings } from '../../src-shared/settings';
import { isHostName, parsePort } from '../lib/host-check';
import { useI18n, type I18n } from '../lib/i18n-context';
import { mnemonicProps } from '../lib/mnemonics';
import { useSettingsForm } from '../lib/settings-form';
import { FormDialog } from '../ui/form-dialog';
import { MnemonicText } from '../ui/mnemonic-text';
import { SettingField } from '../ui/setting-field';

/** The methods whose settings have a `proxy` block (they reach the center over HTTPS). */
export type ProxyMethod = 'express-https' | 'manager-express-https';
export type Proxy = Settings['methods'][ProxyMethod]['proxy'];

const PARTS = ['host', 'port', 'user', 'password'] as const;

function proxyKeys(method: ProxyMethod) {
  const base = `methods.${method}.proxy`;
  return { base, enabled: `${base}.enabled`, host: `${base}.host`, port: `${base}.port`, user: `${base}.user`, password: `${base}.password` };
}

/** The changes that turn `stored` into `next` (for the parent's one `settings:patch`); with the proxy off, the greyed-out fields keep what is stored. */
export function proxyChanges(method: ProxyMethod, stored: Proxy, next: Proxy): SettingsChanges {
  const keys = proxyKeys(method);
  const changes: SettingsChanges = {};
  if (next.enabled) {
    for (const part of PARTS) if (next[part] !== stored[part]) changes[keys[part]] = next[part];
  }
  if (next.enabled !== stored.enabled) changes[keys.enabled] = next.enabled;
  return changes;
}

/** The one line under [設定] of a method's basic settings: no proxy, or which one (and its user). */
export function proxySummary({ t }: I18n, proxy: Proxy): string {
  if (!proxy.enabled) return t('https.basic.proxyNone');
  const params = { host: proxy.host, port: proxy.port, user: proxy.user };
  return t(proxy.user ? 'https.basic.proxyUser' : 'https.basic.proxyUsed', params);
}

export interface ProxyDialogProps {
  method: ProxyMethod;
  /** what the parent window holds: the stored proxy settings or its own unsaved ones (a stored password as SECRET_MASK) */
  proxy: Proxy;
  /** OK: the values for the parent, which stores them on its own OK */
  onOk(proxy: Proxy): void;
  onClose(): void;
}

/**
 * プロキシの設定 (seed L2347–2362): 指定したプロキシサーバを使用する, アドレス (IP address, host
 * name or FQDN), ポート, and for user authentication ユーザー名 / パスワード. Basic authentication
 * only; no automatic configuration script and no auto-detection. OK checks the fields and hands
 * the values to the method's basic settings, which stores them on its OK (its キャンセル drops
 * them); a refusal is shown under its field and the dialog stays open.
 */
export function ProxyDialog({ method, proxy, onOk, onClose }: ProxyDialogProps) {
  const { t } = useI18n();
  const keys = proxyKeys(method);
  const fields = [keys.enabled, keys.host, keys.port, keys.user, keys.password];
  // switching the proxy off takes the fields' messages with it
  const form = useSettingsForm(fields, proxy, { base: keys.base, related: { [keys.enabled]: fields } });
  const enabled = form.checked(keys.enabled);
  const useLabel = t('https.proxy.use');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // With the proxy switched off, the greyed-out fields keep what the parent holds.
    if (!enabled) {
      form.show({});
      onOk({ ...proxy, enabled: false });
      return;
    }
    const host = form.text(keys.host).trim();
    const port = parsePort(form.text(keys.port));
    const user = form.text(keys.user);
    const password = form.text(keys.password);
    const passed = form.show({
      [keys.host]: host === '' ? t('https.proxy.hostRequired') : isHostName(host) ? null : t('https.proxy.hostInvalid'),
      [keys.port]: port === null ? t('https.proxy.portInvalid') : null,
      // Basic authentication sends a user and a password: a password alone would be dropped without a word
      [keys.user]: user.trim() === '' && password !== '' ? t('https.proxy.userForPassword') : null,
    });
    if (passed && port !== null) onOk({ enabled: true, host, port, user, password });
  };

  return (
    <FormDialog
      title={t('https.proxy.title')}
      surfaceClassName="dialog dialog--medium"
      mnemonics
      onSubmit={submit}
      noValidate
      onCancel={onClose}
    >
      <Checkbox label={<MnemonicText label={useLabel} />} {...form.checkbox(keys.enabled)} {...mnemonicProps(useLabel)} />
      <div className="setting-fields proxy-server">
        <SettingField {...form.field(keys.host)} label={t('https.proxy.host')} disabled={!enabled} />
        <SettingField {...form.field(keys.port)} label={t('https.proxy.port')} disabled={!enabled} inputMode="numeric" className="setting-input--port" />
      </div>
      <p className="hint proxy-server">{t('https.proxy.hostHint')}</p>
      <fieldset className="group">
        <legend>{t('https.proxy.auth')}</legend>
        <div className="setting-fields">
          <SettingField {...form.field(keys.user)} label={t('https.proxy.user')} disabled={!enabled} />
          <SettingField
            {...form.field(keys.password)}
            label={t('https.proxy.password')}
            type="password"
            disabled={!enabled}
            hint={proxy.password === SECRET_MASK && form.text(keys.password) === SECRET_MASK ? t('https.proxy.passwordKept') : undefined}
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
