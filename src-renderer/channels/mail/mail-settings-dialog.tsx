import { Button, Checkbox, Select } from '@fluentui/react-components';
import { useId, useState, type FormEvent } from 'react';
import type { MessageKey } from '../../../src-shared/i18n';
import { MAIL_SECURITY, type MailSecurity } from '../../../src-shared/settings';
import { asApiError } from '../../lib/errors';
import { isHostName, parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm, type Shown } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { FormDialog } from '../../ui/form-dialog';
import { useSaveChanges } from '../../methods/save-changes';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import { SettingField, SettingFieldFrame } from '../../ui/setting-field';
import '../../ui/setting-dialogs.css';
import { MailAuthDialog } from './mail-auth-dialog';
import { isMailAddress, mailKeys, mailMethod, mechanismsOf } from './mail-form';
import './mail-dialogs.css';

const SECURITY_LABELS: Readonly<Record<MailSecurity, MessageKey>> = {
  starttls: 'mailui.mail.security.starttls',
  'starttls-if-offered': 'mailui.mail.security.starttls-if-offered',
  tls: 'mailui.mail.security.tls',
  none: 'mailui.mail.security.none',
};

function isSecurity(value: string): value is MailSecurity {
  return (MAIL_SECURITY as readonly string[]).includes(value);
}

/**
 * エクスプレス通報(インターネット メール経由)の基本設定 (seed L808–842): the SMTP server and its
 * port (25; 587, 465), 接続の保護 (one explicit choice, certificates always verified, an optional
 * CA file), 暗号化なしでの認証を許可する, the sender, [このサーバは POP Before SMTP が必要],
 * [このサーバは SMTP 認証が必要] and [設定] for インターネットメール通報の認証設定. Opened by [設定]
 * next to インターネット メール経由 in the method's basic settings; its OK stores this window's
 * values (the authentication window's too) in one `settings:patch` and goes back there. A group
 * that is not checked keeps what is stored.
 */
export function MailSettingsDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const store = useSettingsStore();
  const keys = mailKeys(mailMethod(method));
  const { server, pop, smtp } = keys;
  // what the authentication window sets takes the "use [設定]" message of its check box with it
  const related = Object.fromEntries([...keys.popKeys.map((k) => [k, [server.popBeforeSmtp]]), ...[...keys.smtpKeys, ...keys.oauthKeys].map((k) => [k, [server.smtpAuth]])]);
  const form = useSettingsForm([...keys.serverKeys, ...keys.authKeys], store.settings, { related });
  const [child, setChild] = useState<'auth' | 'help' | null>(null);
  const saver = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('https.saveFailed')));
  const saving = saver.busy;
  const authId = useId();
  const popBeforeSmtp = form.checked(server.popBeforeSmtp);
  const smtpAuth = form.checked(server.smtpAuth);
  const security = form.text(server.security);
  const title = t(method === 'manager-express' ? 'mailui.mail.titleManager' : 'mailui.mail.title');

  const setSecurity = (value: string) => {
    if (!isSecurity(value)) return;
    form.set(server.security, value);
    // TLS from the start listens on 465, the others on 25 (or 587): follow an untouched default
    const port = form.text(server.port).trim();
    if (value === 'tls' && port === '25') form.set(server.port, '465');
    if (value !== 'tls' && port === '465') form.set(server.port, '25');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    form.setBanner(null);
    const host = form.text(server.host).trim();
    const sender = form.text(server.sender).trim();
    form.fill({ [server.host]: host, [server.sender]: sender, [server.caFile]: form.text(server.caFile).trim() });
    const authMissing = (key: string) => form.text(key).trim() === '';
    const ok = form.show({
      [server.host]: host === '' ? t('mailui.mail.serverRequired') : isHostName(host) ? null : t('mailui.mail.serverInvalid'),
      [server.port]: parsePort(form.text(server.port)) === null ? t('mailui.mail.portInvalid') : null,
      [server.sender]: sender === '' ? t('mailui.mail.senderRequired') : isMailAddress(sender) ? null : t('mailui.mail.senderInvalid'),
      [server.popBeforeSmtp]: popBeforeSmtp && (authMissing(pop.host) || authMissing(pop.account)) ? t('mailui.mail.popMissing') : null,
      [server.smtpAuth]: smtpAuth && (authMissing(smtp.account) || mechanismsOf(form.values, keys).length === 0) ? t('mailui.mail.smtpMissing') : null,
    });
    if (!ok) return;
    const saved = [
      ...keys.serverKeys,
      ...(popBeforeSmtp ? keys.popKeys : []),
      ...(smtpAuth ? keys.smtpKeys : []),
      ...(smtpAuth && form.checked(smtp.xoauth2) ? keys.oauthKeys : []),
    ];
    const changes = { ...form.changed(saved), [server.host]: host, [server.sender]: sender, [server.caFile]: form.text(server.caFile).trim() };
    await saver.saveAndClose(changes, onClose);
  };

  const authValues = (): Record<string, Shown> => Object.fromEntries(keys.authKeys.map((key) => [key, form.values[key] ?? '']));
  const check = (key: string, label: string, disabled = false) => (
    <Checkbox ref={form.register(key)} label={<MnemonicText label={label} />} {...form.checkbox(key)} disabled={disabled} {...mnemonicProps(label)} />
  );
  const authLabel = t('mailui.mail.authSettings');
  const securityLabel = t('mailui.mail.security');
  const encrypted = security === 'starttls' || security === 'tls';
  const mechanisms = mechanismsOf(form.values, keys);
  const authError = form.errors[server.popBeforeSmtp] ?? form.errors[server.smtpAuth];

  return (
    <FormDialog
      title={title}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={saving}
      onCancel={onClose}
      help={{ label: t('mailui.help'), onClick: () => setChild('help') }}
      nested={
        <>
          {child === 'auth' ? (
            <MailAuthDialog
              keys={keys}
              values={authValues()}
              popBeforeSmtp={popBeforeSmtp}
              smtpAuth={smtpAuth}
              onOk={(values) => {
                for (const key of keys.authKeys) if (values[key] !== form.values[key]) form.set(key, values[key]!);
                setChild(null);
              }}
              onClose={() => setChild(null)}
            />
          ) : null}
          {child === 'help' ? (
            <MessageBox
              title={t('mailui.helpTitle', { window: title })}
              message={t('mailui.mail.help1')}
              details={[t('mailui.mail.help2'), t('mailui.mail.help3'), t('mailui.mail.help4')]}
              onClose={() => setChild(null)}
            />
          ) : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <fieldset className="group">
        <legend>{t('mailui.mail.smtpGroup')}</legend>
        <div className="setting-fields">
          <SettingField {...form.field(server.host)} label={t('mailui.mail.server')} hint={t('mailui.mail.serverHint')} />
          <SettingField {...form.field(server.port)} label={t('mailui.mail.port')} inputMode="numeric" className="setting-input--port" hint={t('mailui.mail.portHint')} />
          <SettingFieldFrame label={securityLabel} hint={t('mailui.mail.securityHint')}>
            <Select
              className="setting-input"
              size="small"
              value={security}
              data-field={server.security}
              onChange={(_e, data) => setSecurity(data.value)}
              {...mnemonicProps(securityLabel)}
            >
              {MAIL_SECURITY.map((value) => (
                <option key={value} value={value}>
                  {t(SECURITY_LABELS[value])}
                </option>
              ))}
            </Select>
          </SettingFieldFrame>
          <SettingField {...form.field(server.caFile)} label={t('mailui.mail.caFile')} disabled={security === 'none'} hint={t('https.dest.caHint')} />
          <div className="mail-column">
            {check(server.allowUnencryptedAuth, t('mailui.mail.allowPlain'), encrypted)}
            <p className="hint mail-column__hint">{t('mailui.mail.allowPlainHint')}</p>
          </div>
          <SettingField {...form.field(server.sender)} label={t('mailui.mail.sender')} inputMode="email" hint={t('mailui.mail.senderHint')} />
        </div>
      </fieldset>
      <fieldset className="group">
        <legend>{t('mailui.mail.authGroup')}</legend>
        <div className="mail-auth">
          <div className="mail-auth__checks">
            {check(server.popBeforeSmtp, t('mailui.mail.popBeforeSmtp'))}
            {check(server.smtpAuth, t('mailui.mail.smtpAuth'))}
          </div>
          <Button type="button" disabled={!popBeforeSmtp && !smtpAuth} aria-describedby={authId} onClick={() => setChild('auth')} {...mnemonicProps(authLabel)}>
            <MnemonicButtonText label={authLabel} />
          </Button>
        </div>
        {authError ? (
          <p className="mail-error" role="alert">
            {authError}
          </p>
        ) : null}
        <div id={authId} className="mail-auth__summary">
          {popBeforeSmtp ? (
            <p>{t('mailui.mail.popSummary', { host: form.text(pop.host) || '-', port: form.text(pop.port), account: form.text(pop.account) || '-' })}</p>
          ) : null}
          {smtpAuth ? <p>{t('mailui.mail.smtpSummary', { mechanisms: mechanisms.join(', ') || '-', account: form.text(smtp.account) || '-' })}</p> : null}
          <p className="hint">{t('mailui.mail.authHint')}</p>
        </div>
      </fieldset>
    </FormDialog>
  );
}
