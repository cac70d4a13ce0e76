import type { KeyFileSource, Result } from '../../src-shared/api';
import { ApiError } from '../../src-shared/errors';
import { translate, type Language } from '../../src-shared/i18n';
import { checkField, KEY_CODE_FIELDS, normalizeField } from '../../src-shared/opening';
import { defaultSettings, redactSecrets, type Opening, type Settings } from '../../src-shared/settings';
import type { Handlers, ServiceContext } from '../core/handlers';
import { osHostName, readDeviceIdentity, type DeviceInfoOptions } from '../platform/device-info';
import { KeyFileError, parseKeyFile, readKeyFile, type KeyFile } from './keyfile';
import { checkPages, issueMessage } from './pages';

/** The user ID of a key-code opening (seed L1311–1318). */
export const KEY_CODE_USER_ID = 'OPFILELESS';

export interface OpeningOptions {
  deviceInfo?: DeviceInfoOptions;
  hostName?: () => string;
}

/** Reads a key file named by path or uploaded from the window; a bad file is a `key-file` error. */
async function loadKeyFile(source: KeyFileSource, lang: Language, now: Date): Promise<KeyFile> {
  try {
    if ('path' in source) return await readKeyFile(source.path, { now });
    return parseKeyFile(Buffer.from(source.contentBase64, 'base64'), source.name, { now });
  } catch (err) {
    if (err instanceof KeyFileError) {
      throw new ApiError({ code: 'key-file', message: translate(lang, 'error.key-file', { reason: err.reasonIn(lang) }) });
    }
    throw err;
  }
}

function sameHost(a: string, b: string): boolean {
  return a.split('.')[0]!.toLowerCase() === b.split('.')[0]!.toLowerCase();
}

/**
 * Every earlier opening setting is erased on (re-)opening (seed L3117): the contract, and the
 * set-up of the two methods that report under it (Express and Express (HTTPS)), which are also
 * disabled. The relay functions of a manager and the window language are not part of a contract.
 * A new contract also starts the service again after [サービスの終了] (the way back for a key-code
 * opening, which has no extension keys).
 */
export function eraseOpening(current: Settings, opening: Opening): Settings {
  const fresh = defaultSettings();
  const next: Settings = {
    ...current,
    opening,
    methods: { ...current.methods, express: fresh.methods.express, 'express-https': fresh.methods['express-https'] },
    service: fresh.service,
  };
  const d = opening.destinations;
  next.methods.express.mail.destination = d.mail;
  next.methods.express.dialup.primary.number = d.phonePrimary;
  next.methods.express.dialup.secondary.number = d.phoneSecondary;
  next.methods['express-https'].url1 = d.httpsPrimary;
  next.methods['express-https'].url2 = d.httpsSecondary;
  return next;
}

type OpeningHandlers = Pick<Handlers, 'opening:get' | 'opening:readKeyFile' | 'opening:commit' | 'opening:update'>;

export function openingHandlers(ctx: ServiceContext, options: OpeningOptions = {}): OpeningHandlers {
  const hostName = options.hostName ?? (() => osHostName());
  return {
    'opening:get': async () => {
      const settings = await ctx.current();
      return {
        opening: settings.opening ? redactSecrets(settings.opening) : null,
        hostName: hostName(),
        device: await readDeviceIdentity(options.deviceInfo),
      };
    },

    'opening:readKeyFile': async ({ file }) => {
      const k = await loadKeyFile(file, ctx.language(), ctx.now());
      return {
        keyFile: {
          customer: k.customer,
          device: k.device,
          options: k.options,
          dealer: k.dealer,
          userSystemCode: k.userSystemCode,
          expiresAt: k.expiresAt,
          destinations: k.destinations,
          certificateSubject: k.certificate.subject,
          certificateNotAfter: k.certificate.notAfter,
        },
        hostName: hostName(),
        hostNameMatches: sameHost(k.device.serverName, hostName()),
      };
    },

    'opening:commit': async ({ source, ...pages }) => {
      const lang = ctx.language();
      const checked = checkPages(pages, source.mode, lang);
      const base = { openedAt: ctx.now().toISOString(), ...checked };
      let opening: Opening;
      if (source.mode === 'key-code') {
        const keyCode = normalizeField(KEY_CODE_FIELDS.keyCode, source.keyCode);
        const resultMail = normalizeField(KEY_CODE_FIELDS.resultMail, source.resultMail);
        const issue =
          checkField('keyCode.keyCode', KEY_CODE_FIELDS.keyCode, keyCode) ??
          checkField('keyCode.resultMail', { ...KEY_CODE_FIELDS.resultMail, required: source.forHttps }, resultMail);
        if (issue) throw new ApiError({ code: 'invalid-value', field: issue.field, message: issueMessage(lang, issue), reason: translate(lang, issue.key, issue.params) });
        opening = {
          ...base,
          mode: 'key-code',
          userSystemCode: KEY_CODE_USER_ID,
          keyCode,
          resultMail,
          expiresAt: null,
          destinations: { mail: '', httpsPrimary: '', httpsSecondary: '', phonePrimary: '', phoneSecondary: '' },
          centerCertificatePem: '',
          extensionSecret: '',
        };
      } else {
        const k = await loadKeyFile(source.file, lang, ctx.now());
        if (!sameHost(k.device.serverName, hostName()) && !source.acceptHostNameMismatch) {
          throw new ApiError({
            code: 'hostname-mismatch',
            message: translate(lang, 'error.hostname-mismatch', { fileName: k.device.serverName, hostName: hostName() }),
          });
        }
        opening = {
          ...base,
          mode: 'key-file',
          userSystemCode: k.userSystemCode,
          keyCode: '',
          resultMail: '',
          expiresAt: k.expiresAt,
          destinations: k.destinations,
          centerCertificatePem: k.centerCertificatePem,
          extensionSecret: k.extensionSecret,
        };
      }
      const saved = await ctx.mutate((current) => eraseOpening(current, opening));
      return redactSecrets(saved.opening!) as Result<'opening:commit'>;
    },

    'opening:update': async (pages) => {
      const lang = ctx.language();
      const saved = await ctx.mutate((current) => {
        if (!current.opening) {
          throw new ApiError({ code: 'invalid-value', field: 'opening', message: translate(lang, 'missing.opening') });
        }
        return { ...current, opening: { ...current.opening, ...checkPages(pages, current.opening.mode, lang) } };
      });
      return redactSecrets(saved.opening!) as Result<'opening:update'>;
    },
  };
}
