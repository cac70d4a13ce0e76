/**
 * Express Report by e-mail as a channel (../channel.ts): エクスプレス通報サービス with 通報手段
 * インターネット メール経由, and マネージャからのエクスプレス通報 forwarding by mail. The method's
 * one destination is the center's address (宛先, preset from the opening); the settings are
 * `methods.<method>.mail.*` and `methods.<method>.smime`. S/MIME is used with a key-file opening
 * only (it carries the center's certificate); a certificate that cannot be used is refused at
 * test time with the reason. Test and opening reports go through the generic flows.
 */
import { ApiError } from '../../../src-shared/errors';
import { resolveLanguage, translate, type Language, type MessageKey } from '../../../src-shared/i18n';
import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import { osLocale } from '../../platform/locale';
import type { LaneLimits } from '../../queue';
import type { Channel, ChannelDestination } from '../channel';
import type { Reporter } from '../reporter';
import { createMailReporter, type MailReporterConfig } from './mail-reporter';
import { SASL_ORDER, type SaslMechanism } from './sasl';
import { certificateProblem } from './smime';

export interface MailChannelOptions {
  /** every reporter's time limit (tests shorten it) */
  timeoutMs?: number;
  /** makes the reporter for a destination (default: the real one) */
  makeReporter?: (config: MailReporterConfig) => Reporter;
  now?: () => Date;
}

type MailMethod = 'express' | 'manager-express';
type MailSettings = Settings['methods'][MailMethod]['mail'];

function mailMethod(method: MethodName): MailMethod {
  if (method !== 'express' && method !== 'manager-express') throw new Error(`the mail channel does not carry ${method}`);
  return method;
}

function mailOf(settings: Settings, method: MethodName): MailSettings {
  return settings.methods[mailMethod(method)].mail;
}

/** The center certificate the method's mails are enveloped to, or null without S/MIME (off, or a key-code opening). */
export function smimeCertificateOf(settings: Settings, method: MethodName): string | null {
  const m = mailMethod(method);
  if (!settings.methods[m].smime) return null;
  // A manager forwards to the certificate 宛先登録 read from the key file (docs/formats/relay.md).
  const registered = m === 'manager-express' ? settings.methods['manager-express'].centerCertificatePem : '';
  if (registered) return registered;
  if (settings.opening?.mode !== 'key-file') return null;
  return settings.opening.centerCertificatePem;
}

/** The checked SMTP AUTH mechanisms, in the product's order. */
export function checkedMechanisms(mail: MailSettings): SaslMechanism[] {
  const on: Record<SaslMechanism, boolean> = { 'CRAM-MD5': mail.smtp.cramMd5, LOGIN: mail.smtp.login, PLAIN: mail.smtp.plain, XOAUTH2: mail.smtp.xoauth2 };
  return SASL_ORDER.filter((m) => on[m]);
}

/** What one report mail of `method` is sent with. */
export function mailConfig(settings: Settings, method: MethodName, language: Language, timeoutMs?: number): MailReporterConfig {
  const m = mailOf(settings, method);
  const o = m.smtp.oauth;
  return {
    host: m.smtpHost.trim(),
    port: m.smtpPort,
    security: m.security,
    caFile: m.caFile,
    sender: m.sender.trim(),
    destination: m.destination.trim(),
    encoding: m.encoding,
    auth: m.smtpAuth
      ? {
          account: m.smtp.account,
          password: m.smtp.password,
          mechanisms: checkedMechanisms(m),
          oauth: m.smtp.xoauth2 ? { tokenUrl: o.tokenUrl, clientId: o.clientId, clientSecret: o.clientSecret, refreshToken: o.refreshToken, scope: o.scope, timeoutMs: Math.min(timeoutMs ?? 30_000, 30_000) } : null,
        }
      : null,
    allowUnencryptedAuth: m.allowUnencryptedAuth,
    pop: m.popBeforeSmtp ? { host: m.pop.host.trim(), port: m.pop.port, account: m.pop.account, password: m.pop.password, waitSeconds: m.pop.waitSeconds } : null,
    remoteAccess: m.remoteAccess.use ? { entry: m.remoteAccess.entry.trim(), user: m.remoteAccess.user, password: m.remoteAccess.password } : null,
    smimeCertificatePem: smimeCertificateOf(settings, method),
    language,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** The keys below `methods.<method>.` a test of the mail route covers. */
export const MAIL_DELIVERY_FIELDS = [
  'mail.smtpHost',
  'mail.smtpPort',
  'mail.security',
  'mail.allowUnencryptedAuth',
  'mail.caFile',
  'mail.sender',
  'mail.popBeforeSmtp',
  'mail.smtpAuth',
  'mail.pop',
  'mail.smtp',
  'mail.destination',
  'mail.encoding',
  'mail.remoteAccess',
  'smime',
] as const;

/** Why the method's mail cannot be sent now (before a test or opening report), naming the field; or null. */
export function mailRefusal(settings: Settings, method: MethodName, lang: Language, now: Date): ApiError | null {
  const m = mailOf(settings, method);
  const at = (key: string) => `methods.${method}.${key}`;
  const refuse = (field: string, key: MessageKey, params: Record<string, string> = {}) =>
    new ApiError({ code: 'invalid-value', field: at(field), message: translate(lang, key, params) });
  if (!m.smtpHost.trim()) return refuse('mail.smtpHost', 'missing.mail-server');
  if (!m.sender.trim()) return refuse('mail.sender', 'missing.mail-sender');
  if (m.smtpAuth) {
    if (checkedMechanisms(m).length === 0) return refuse('mail.smtp.cramMd5', 'mail.refuse.auth-none');
    if (!m.smtp.account.trim()) return refuse('mail.smtp.account', 'mail.refuse.auth-account');
    const o = m.smtp.oauth;
    if (m.smtp.xoauth2 && (!o.tokenUrl.trim() || !o.clientId.trim() || (!o.clientSecret && !o.refreshToken))) return refuse('mail.smtp.oauth.tokenUrl', 'mail.refuse.oauth');
  }
  if (m.popBeforeSmtp && (!m.pop.host.trim() || !m.pop.account.trim())) return refuse(m.pop.host.trim() ? 'mail.pop.account' : 'mail.pop.host', 'mail.refuse.pop');
  if (m.remoteAccess.use && !m.remoteAccess.entry.trim()) return refuse('mail.remoteAccess.entry', 'mail.refuse.remote-access');
  const pem = smimeCertificateOf(settings, method);
  if (pem !== null) {
    const problem = certificateProblem(pem, now);
    if (problem) {
      switch (problem.kind) {
        case 'missing':
          return refuse('smime', 'mail.refuse.smime-missing');
        case 'unreadable':
          return refuse('smime', 'mail.refuse.smime-unreadable', { reason: problem.reason });
        case 'expired':
          return refuse('smime', 'mail.refuse.smime-expired', { date: problem.notAfter.slice(0, 10) });
        case 'not-yet-valid':
          return refuse('smime', 'mail.refuse.smime-not-yet-valid', { date: problem.notBefore.slice(0, 10) });
        case 'no-rsa':
          return refuse('smime', 'mail.refuse.smime-no-rsa');
      }
    }
  }
  return null;
}

/**
 * One connection at a time over a dial-up link (its entry is the lane's resource); otherwise 3,
 * the most Microsoft 365 allows per mailbox, so a drain overlaps one mail's network wait with
 * the next one's composing.
 */
export function mailLimits(settings: Settings, method: MethodName): LaneLimits {
  const m = mailOf(settings, method);
  if (m.remoteAccess.use) return { concurrency: 1, minGapMs: 0, resource: `remote-access:${m.remoteAccess.entry.trim()}` };
  return { concurrency: 3, minGapMs: 0, resource: null };
}

export function mailChannel(options: MailChannelOptions = {}): Channel {
  const now = options.now ?? (() => new Date());
  // The service's language (its settings and the OS locale it was started with), learnt when it
  // asks for the handlers; until then the settings' language over this process's locale.
  let serviceLanguage: (() => Language) | null = null;
  const languageOf = (settings: Settings): Language => serviceLanguage?.() ?? resolveLanguage(settings.ui.language, osLocale());
  const make = options.makeReporter ?? ((config: MailReporterConfig) => createMailReporter({ now, ...config }));
  return {
    name: 'mail',
    deliveryFields: () => MAIL_DELIVERY_FIELDS,
    destinations(settings, method, pin): ChannelDestination[] {
      const address = mailOf(settings, method).destination.trim();
      return address !== '' && (pin === null || pin === 1) ? [{ index: 1, label: address }] : [];
    },
    reporter: (settings, method) => make(mailConfig(settings, method, languageOf(settings), options.timeoutMs)),
    refuse: (settings, method, _index, lang) => mailRefusal(settings, method, lang, now()),
    destinationField: (method) => `methods.${method}.mail.destination`,
    destinationMissing: 'mail-destination',
    limits: mailLimits,
    handlers: (deps) => {
      serviceLanguage = () => deps.ctx.language();
      return {};
    },
  };
}
