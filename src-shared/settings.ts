import { z } from 'zod';
import { customerSchema, dealerSchema, deviceSchema, optionDeviceSchema } from './opening';
import { ALL_DAY_WINDOW, RETRY_INTERVAL_RANGE, RETRY_UNTIL_RANGE, parseWindow } from './schedule';

/** Settings schema v1 with the seed's defaults. Bump SETTINGS_VERSION and add a migration for v2+. */
export const SETTINGS_VERSION = 1;

const port = z.number().int().min(1).max(65535);
const text = (max: number) => z.string().max(max);

export const scheduleSchema = z
  .object({
    /** 通報リトライ間隔 (minutes), seed default 5 */
    retryIntervalMinutes: z.number().int().min(RETRY_INTERVAL_RANGE.min).max(RETRY_INTERVAL_RANGE.max).default(5),
    /** リトライ期限 (hours), seed default 72 */
    retryUntilHours: z.number().int().min(RETRY_UNTIL_RANGE.min).max(RETRY_UNTIL_RANGE.max).default(72),
    /** 通報時間帯, seed default all day */
    window: z
      .string()
      .refine((v) => parseWindow(v) !== null, { message: 'invalid.window' })
      .default(ALL_DAY_WINDOW),
  })
  .refine((s) => s.retryUntilHours * 60 >= s.retryIntervalMinutes, {
    message: 'invalid.retry-until-short',
    path: ['retryUntilHours'],
  });
export type Schedule = z.infer<typeof scheduleSchema>;

const proxySchema = z.object({
  enabled: z.boolean().default(false),
  host: text(255).default(''),
  port: port.default(8080),
  user: text(255).default(''),
  password: text(255).default(''),
});

const remoteAccessSchema = z.object({
  use: z.boolean().default(false),
  entry: text(255).default(''),
  user: text(255).default(''),
  password: text(255).default(''),
});

/**
 * Express by e-mail (docs/formats/mail.md). `security` is one explicit choice, never guessed from
 * the port: STARTTLS required, STARTTLS when offered (the default), TLS from the start (465), or
 * none. Certificates are always verified (`caFile` adds a CA). Credentials never go over an
 * unencrypted connection unless `allowUnencryptedAuth` is ticked.
 */
export const MAIL_SECURITY = ['starttls', 'starttls-if-offered', 'tls', 'none'] as const;
export type MailSecurity = (typeof MAIL_SECURITY)[number];

/** OAuth 2.0 for SMTP AUTH XOAUTH2 (providers that switch basic AUTH off). */
const oauthSchema = z.object({
  /** the token endpoint (https://…/token) */
  tokenUrl: text(500).default(''),
  clientId: text(255).default(''),
  clientSecret: text(1024).default(''),
  /** a refresh token, when the provider gives one (stored encrypted like a password) */
  refreshToken: text(4096).default(''),
  scope: text(500).default(''),
});

const mailSchema = z.object({
  smtpHost: text(255).default(''),
  smtpPort: port.default(25),
  security: z.enum(MAIL_SECURITY).default('starttls-if-offered'),
  allowUnencryptedAuth: z.boolean().default(false),
  /** an extra CA file trusted besides the system CAs; verification is never switched off */
  caFile: text(4096).default(''),
  sender: text(255).default(''),
  popBeforeSmtp: z.boolean().default(false),
  smtpAuth: z.boolean().default(false),
  pop: z
    .object({
      host: text(255).default(''),
      port: port.default(110),
      account: text(255).default(''),
      password: text(255).default(''),
      waitSeconds: z.number().int().min(0).max(600).default(0),
    })
    .prefault({}),
  smtp: z
    .object({
      account: text(255).default(''),
      password: text(255).default(''),
      cramMd5: z.boolean().default(true),
      login: z.boolean().default(true),
      plain: z.boolean().default(true),
      /** OAuth 2.0 (XOAUTH2), tried after the seed's three; off by default */
      xoauth2: z.boolean().default(false),
      oauth: oauthSchema.prefault({}),
    })
    .prefault({}),
  destination: text(255).default(''),
  encoding: z.enum(['uuencode', 'base64']).default('uuencode'),
  remoteAccess: remoteAccessSchema.prefault({}),
});

const phoneSchema = z.object({ number: text(64).default(''), comment: text(255).default('') });

const dialupSchema = z.object({
  via: z.enum(['serial', 'server-management-port', 'management-port']).default('serial'),
  primary: phoneSchema.prefault({}),
  secondary: phoneSchema.prefault({}),
  serialPort: text(255).default(''),
  sharePortWithRemoteAccess: z.boolean().default(false),
  dialIntervalSeconds: z.number().int().min(1).max(3600).default(60),
  dialMode: z.enum(['tone', 'pulse']).default('tone'),
  /** the modem's init string (docs/formats/dialup.md): reset, echo off, verbose, extended results, hang up on DTR drop */
  initString: text(255).default('ATZ E0 V1 X4 &D2'),
  /** the port's speed (8N1) */
  baudRate: z.number().int().min(300).max(921600).default(115200),
});


/** マネージャ経由: the manager's address and port, and the relay key that proves this agent belongs (docs/formats/relay.md). */
const managerTarget = (defaultPort: number) =>
  z.object({
    host: text(255).default(''),
    port: port.default(defaultPort),
    key: text(255).default(''),
    /** the manager's certificate (SHA-256 of its DER, `AB:CD:…`) pinned at the first successful report; '' until then */
    fingerprint: z.string().regex(/^(|[0-9A-F]{2}(:[0-9A-F]{2}){31})$/).default(''),
    /** a CA file that issued the manager's certificate (instead of pinning); verification is never switched off */
    caFile: text(4096).default(''),
    /** how often a small heartbeat tells the manager this agent is alive (docs/formats/relay.md) */
    heartbeatHours: z.number().int().min(1).max(168).default(24),
  });

/**
 * 通報の抑制 (docs/event-sources.md): the same source + event id within `periodMinutes` of its last
 * report is reported once; the repeats are counted and go with the next report of that event.
 * The seed asks users not to change the defaults unless the maintenance company says so.
 */
export const SUPPRESSION_PERIOD_RANGE = { min: 1, max: 1440 } as const;
export const suppressionSchema = z.object({
  enabled: z.boolean().default(true),
  periodMinutes: z.number().int().min(SUPPRESSION_PERIOD_RANGE.min).max(SUPPRESSION_PERIOD_RANGE.max).default(60),
});
export type Suppression = z.infer<typeof suppressionSchema>;

const common = {
  enabled: z.boolean().default(false),
  schedule: scheduleSchema.prefault({}),
  suppression: suppressionSchema.prefault({}),
};

export const methodsSchema = z.object({
  express: z
    .object({
      ...common,
      route: z.enum(['mail', 'dialup', 'manager']).nullable().default(null),
      smime: z.boolean().default(true),
      mail: mailSchema.prefault({}),
      dialup: dialupSchema.prefault({}),
      manager: managerTarget(31136).prefault({}),
      testedAt: z.string().nullable().default(null),
      openingReportedAt: z.string().nullable().default(null),
    })
    .prefault({}),
  'express-https': z
    .object({
      ...common,
      route: z.enum(['https', 'manager']).default('https'),
      proxy: proxySchema.prefault({}),
      /** 1 次 / 2 次通報先 URL (AMHTPADR.INF [URL1] / [URL2]) */
      url1: text(500).default(''),
      url2: text(500).default(''),
      /** an extra CA file trusted besides the system CAs; verification is never switched off */
      caFile: text(4096).default(''),
      remoteAccess: remoteAccessSchema.prefault({}),
      manager: managerTarget(31138).prefault({}),
      testedAt: z.string().nullable().default(null),
      openingReportedAt: z.string().nullable().default(null),
    })
    .prefault({}),
  'manager-express': z
    .object({
      ...common,
      receivePort: port.default(31136),
      forward: z.enum(['mail', 'dialup']).nullable().default(null),
      smime: z.boolean().default(true),
      mail: mailSchema.prefault({}),
      dialup: dialupSchema.prefault({}),
      destinationsRegisteredAt: z.string().nullable().default(null),
      /** the center's S/MIME certificate (PEM) read by 宛先登録 from the key file, for forwarding by mail */
      centerCertificatePem: z.string().max(65536).default(''),
    })
    .prefault({}),
  'manager-express-https': z
    .object({
      ...common,
      receivePort: port.default(31138),
      proxy: proxySchema.prefault({}),
      url1: text(500).default(''),
      url2: text(500).default(''),
      caFile: text(4096).default(''),
    })
    .prefault({}),
});

/** What the opening (開局) recorded: the contract and the settings utility's pages. */
export const openingSchema = z.object({
  mode: z.enum(['key-file', 'key-code']),
  openedAt: z.string(),
  /** ユーザシステムコード; OPFILELESS for a key-code opening (seed L1311–1318) */
  userSystemCode: text(64),
  /** 通報開局キーコード (key-code opening) */
  keyCode: text(5).default(''),
  /** テスト・開局結果返信メールアドレス (key-code opening for HTTPS) */
  resultMail: text(100).default(''),
  /** the contract's end (key file), ISO date; null when the contract states none */
  expiresAt: z.string().nullable().default(null),
  customer: customerSchema.prefault({}),
  device: deviceSchema.prefault({}),
  options: z.array(optionDeviceSchema).max(99).default([]),
  dealer: dealerSchema.prefault({}),
  /** the maintenance center's destinations from the key file */
  destinations: z
    .object({
      mail: text(255).default(''),
      httpsPrimary: text(500).default(''),
      httpsSecondary: text(500).default(''),
      phonePrimary: text(64).default(''),
      phoneSecondary: text(64).default(''),
    })
    .prefault({}),
  /** the center's S/MIME certificate (PEM) from the key file */
  centerCertificatePem: z.string().max(65536).default(''),
  /** per-contract secret that verifies extension keys; never shown */
  extensionSecret: text(256).default(''),
});
export type Opening = z.infer<typeof openingSchema>;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  ui: z.object({ language: z.enum(['auto', 'ja', 'en']).default('auto') }).prefault({}),
  opening: openingSchema.nullable().default(null),
  methods: methodsSchema.prefault({}),
  /** [サービスの終了]: when the user ended the service (null while it runs); an extension key clears it */
  service: z.object({ terminatedAt: z.string().nullable().default(null) }).prefault({}),
});
export type Settings = z.infer<typeof settingsSchema>;
export type MethodSettings = Settings['methods'];

export function defaultSettings(): Settings {
  return settingsSchema.parse({ version: SETTINGS_VERSION });
}

/** A migration takes the raw object of version N and returns the raw object of version N+1. */
export type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[n] upgrades version n to n+1. Version 1 is the first; add entries for v2+. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export class MigrationError extends Error {}

/** Brings a raw settings object up to `target`, one migration at a time. */
export function migrateSettings(
  raw: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  target: number = SETTINGS_VERSION,
): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let current = raw as Record<string, unknown>;
  let version = current.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return raw;
  if (version > target) {
    throw new MigrationError(`settings version ${version} is newer than this program understands (${target})`);
  }
  while (version < target) {
    const step = migrations[version];
    if (!step) throw new MigrationError(`no migration from settings version ${version}`);
    current = { ...step(current), version: version + 1 };
    version += 1;
  }
  return current;
}

/** Keys whose values are secrets: never printed, never logged (passwords, the OAuth secret and refresh token, the relay key). */
export const SECRET_KEY = /(password|secret|token)$|^key$/i;
export const SECRET_MASK = '********';

/** A deep copy with every non-empty secret replaced by SECRET_MASK. */
export function redactSecrets<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (SECRET_KEY.test(key) && typeof v === 'string' && v !== '' ? SECRET_MASK : v)),
  ) as T;
}

/**
 * `value` as the user sent it back, with every SECRET_MASK under a secret key (at any depth,
 * `key` naming `value` itself) replaced by the stored secret at the same place: the mask means
 * "unchanged", so an object read with `settings:get` and written back keeps its passwords. A
 * mask where nothing is stored means no password.
 */
export function unmaskSecrets(value: unknown, stored: unknown, key = ''): unknown {
  if (value === SECRET_MASK && SECRET_KEY.test(key)) return typeof stored === 'string' ? stored : '';
  if (Array.isArray(value)) return value.map((v, i) => unmaskSecrets(v, Array.isArray(stored) ? stored[i] : undefined, String(i)));
  if (typeof value !== 'object' || value === null) return value;
  const from = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const restored = unmaskSecrets(v, Object.prototype.hasOwnProperty.call(from, k) ? from[k] : undefined, k);
    // defineProperty: a JSON key "__proto__" stays a plain key, never the prototype
    Object.defineProperty(out, k, { value: restored, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
