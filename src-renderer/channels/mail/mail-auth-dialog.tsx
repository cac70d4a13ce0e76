import { Checkbox } from '@fluentui/react-components';
import { useId, type FormEvent } from 'react';
import { SECRET_MASK } from '../../../src-shared/settings';
import { isHostName, parsePort } from '../../lib/host-check';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm, type Shown } from '../../lib/settings-form';
import { FormDialog } from '../../ui/form-dialog';
import { MnemonicText } from '../../ui/mnemonic-text';
import { SettingField } from '../../ui/setting-field';
import '../../ui/setting-dialogs.css';
import { nestValues, parseWait, type MailKeys } from './mail-form';
import './mail-dialogs.css';

export interface MailAuthDialogProps {
  keys: MailKeys;
  /** what the parent window holds for the auth keys (stored secrets as SECRET_MASK) */
  values: Readonly<Record<string, Shown>>;
  /** the parent's [このサーバは POP Before SMTP が必要] / [このサーバは SMTP 認証が必要]: the other group is greyed out */
  popBeforeSmtp: boolean;
  smtpAuth: boolean;
  /** OK: the values for the parent, which stores them on its own OK */
  onOk(values: Record<string, Shown>): void;
  onClose(): void;
}

/**
 * インターネットメール通報の認証設定 (seed L824–840): POP before SMTP (メールサーバー(POP),
 * アカウント名, パスワード, POP ポート番号 110, 待ち時間) and SMTP 認証 (アカウント名, パスワード,
 * CRAM-MD5 / LOGIN / PLAIN, tried in that order, and OAuth 2.0 (XOAUTH2) with its token endpoint,
 * client, secret or refresh token and scope). Only the groups the parent has checked are usable.
 * OK checks them and hands the values back; it stores nothing.
 */
export function MailAuthDialog({ keys, values, popBeforeSmtp, smtpAuth, onOk, onClose }: MailAuthDialogProps) {
  const { t } = useI18n();
  const { pop, smtp, oauth } = keys;
  const form = useSettingsForm(keys.authKeys, nestValues(values), { related: { [smtp.xoauth2]: keys.oauthKeys } });
  const xoauth2 = form.checked(smtp.xoauth2);
  const mechanismsId = useId();
  const oauthId = useId();
  const kept = (key: string) => (values[key] === SECRET_MASK && form.text(key) === SECRET_MASK ? t('mailui.auth.passwordKept') : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trim = (key: string) => form.text(key).trim();
    const host = trim(pop.host);
    const problems: Record<string, string | null> = {};
    if (popBeforeSmtp) {
      problems[pop.host] = host === '' ? t('mailui.auth.popHostRequired') : isHostName(host) ? null : t('mailui.auth.popHostInvalid');
      problems[pop.account] = trim(pop.account) === '' ? t('mailui.auth.popAccountRequired') : null;
      problems[pop.port] = parsePort(form.text(pop.port)) === null ? t('mailui.auth.popPortInvalid') : null;
      problems[pop.wait] = parseWait(form.text(pop.wait)) === null ? t('mailui.auth.waitInvalid') : null;
    }
    if (smtpAuth) {
      const any = [smtp.cramMd5, smtp.login, smtp.plain, smtp.xoauth2].some((key) => form.checked(key));
      problems[smtp.cramMd5] = any ? null : t('mailui.auth.mechanismRequired');
      problems[smtp.account] = trim(smtp.account) === '' ? t('mailui.auth.smtpAccountRequired') : null;
      if (xoauth2) {
        problems[oauth.tokenUrl] = /^https:\/\/[^/?#\s]+\S*$/i.test(trim(oauth.tokenUrl)) ? null : t('mailui.auth.tokenUrlInvalid');
        problems[oauth.clientId] = trim(oauth.clientId) === '' ? t('mailui.auth.clientIdRequired') : null;
        problems[oauth.clientSecret] = form.text(oauth.clientSecret) === '' && form.text(oauth.refreshToken) === '' ? t('mailui.auth.secretRequired') : null;
      }
    }
    if (!form.show(problems)) return;
    const out: Record<string, Shown> = { ...form.values };
    for (const key of [pop.host, pop.account, pop.port, pop.wait, smtp.account, oauth.tokenUrl, oauth.clientId, oauth.scope]) out[key] = trim(key);
    onOk(out);
  };

  const check = (key: string, label: string, disabled: boolean) => (
    <Checkbox
      ref={form.register(key)}
      label={<MnemonicText label={label} />}
      {...form.checkbox(key)}
      disabled={disabled}
      {...mnemonicProps(label)}
    />
  );
  const mechanismError = form.errors[smtp.cramMd5];
  const oauthOff = !smtpAuth || !xoauth2;

  return (
    <FormDialog
      title={t('mailui.auth.title')}
      surfaceClassName="dialog dialog--https"
      mnemonics
      onSubmit={submit}
      noValidate
      onCancel={onClose}
    >
      <fieldset className="group">
        <legend>{t('mailui.auth.pop')}</legend>
        {popBeforeSmtp ? null : <p className="hint">{t('mailui.auth.popOff')}</p>}
        <div className="setting-fields">
          <SettingField {...form.field(pop.host)} label={t('mailui.auth.popHost')} disabled={!popBeforeSmtp} />
          <SettingField {...form.field(pop.account)} label={t('mailui.auth.popAccount')} disabled={!popBeforeSmtp} />
          <SettingField {...form.field(pop.password)} label={t('mailui.auth.popPassword')} type="password" disabled={!popBeforeSmtp} hint={kept(pop.password)} />
          <SettingField
            {...form.field(pop.port)}
            label={t('mailui.auth.popPort')}
            inputMode="numeric"
            className="setting-input--port"
            disabled={!popBeforeSmtp}
            hint={t('mailui.auth.popPortHint')}
          />
          <SettingField
            {...form.field(pop.wait)}
            label={t('mailui.auth.popWait')}
            inputMode="numeric"
            className="setting-input--port"
            disabled={!popBeforeSmtp}
            hint={t('mailui.auth.popWaitHint')}
          />
        </div>
      </fieldset>
      <fieldset className="group">
        <legend>{t('mailui.auth.smtp')}</legend>
        {smtpAuth ? null : <p className="hint">{t('mailui.auth.smtpOff')}</p>}
        <div className="setting-fields">
          <SettingField {...form.field(smtp.account)} label={t('mailui.auth.smtpAccount')} disabled={!smtpAuth} />
          <SettingField {...form.field(smtp.password)} label={t('mailui.auth.smtpPassword')} type="password" disabled={!smtpAuth} hint={kept(smtp.password)} />
        </div>
        <div className="mail-mechanisms" role="group" aria-labelledby={mechanismsId}>
          <span className="mail-row-label" id={mechanismsId}>
            {t('mailui.auth.mechanisms')}
          </span>
          <div className="mail-mechanisms__boxes">
            {check(smtp.cramMd5, t('mailui.auth.cramMd5'), !smtpAuth)}
            {check(smtp.login, t('mailui.auth.login'), !smtpAuth)}
            {check(smtp.plain, t('mailui.auth.plain'), !smtpAuth)}
            {check(smtp.xoauth2, t('mailui.auth.xoauth2'), !smtpAuth)}
          </div>
        </div>
        <div className="mail-column">
          {mechanismError ? (
            <p className="mail-error" role="alert">
              {mechanismError}
            </p>
          ) : null}
          <p className="hint mail-column__hint">{t('mailui.auth.order')}</p>
        </div>
        {xoauth2 ? (
          <div className="mail-oauth" role="group" aria-labelledby={oauthId}>
            <p className="mail-oauth__title" id={oauthId}>
              {t('mailui.auth.oauth')}
            </p>
            <div className="setting-fields">
              <SettingField {...form.field(oauth.tokenUrl)} label={t('mailui.auth.tokenUrl')} inputMode="url" disabled={oauthOff} />
              <SettingField {...form.field(oauth.clientId)} label={t('mailui.auth.clientId')} disabled={oauthOff} />
              <SettingField {...form.field(oauth.clientSecret)} label={t('mailui.auth.clientSecret')} type="password" disabled={oauthOff} hint={kept(oauth.clientSecret)} />
              <SettingField {...form.field(oauth.refreshToken)} label={t('mailui.auth.refreshToken')} type="password" disabled={oauthOff} hint={kept(oauth.refreshToken)} />
              <SettingField {...form.field(oauth.scope)} label={t('mailui.auth.scope')} disabled={oauthOff} />
            </div>
            <p className="hint">
              {t('mailui.auth.secretHint')}
              <br />
              {t('mailui.auth.oauthHint')}
            </p>
          </div>
        ) : null}
      </fieldset>
    </FormDialog>
  );
}
