import { z } from 'zod';
import type { ApiErrorData } from './errors';
import { MISSING_ITEMS } from './readiness';
import { METHOD_NAMES } from './methods';
import { HISTORY_STATES, historyItemSchema, serviceStatusSchema, type HistoryItem } from './history';
import { customerSchema, dealerSchema, deviceSchema, optionDeviceSchema } from './opening';
import { openingSchema, scheduleSchema, settingsSchema } from './settings';
import { relayApi } from './relay-api';

/**
 * The one contract between the window and the backend. Both transports (Electron IPC and the
 * loopback web server) carry exactly these methods; params and results are checked with zod on
 * both sides. Channel names read `domain:verb`.
 */
const methodName = z.enum(METHOD_NAMES);
const empty = z.object({}).strict();

export const noticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const methodStatusSchema = z.object({
  name: methodName,
  enabled: z.boolean(),
  configured: z.boolean(),
  missing: z.array(z.enum(MISSING_ITEMS)),
  /** the missing items in the user's language */
  missingText: z.array(z.string()),
});
export type MethodStatus = z.infer<typeof methodStatusSchema>;

const catalogEventSchema = z.object({
  id: z.string(),
  shortId: z.number(),
  severity: z.enum(['error', 'warning', 'information']),
  description: z.object({ ja: z.string(), en: z.string() }),
});
const catalogSchema = z.array(
  z.object({
    log: z.enum(['System', 'Application']),
    sources: z.array(z.object({ name: z.string(), events: z.array(catalogEventSchema) })),
  }),
);

export const appInfoSchema = z.object({
  productVersion: z.string(),
  reportModuleVersion: z.string(),
  /** the OS locale the backend sees, e.g. ja_JP.UTF-8 */
  osLocale: z.string(),
  languageSetting: z.enum(['auto', 'ja', 'en']),
  language: z.enum(['ja', 'en']),
  dataDir: z.string(),
  notices: z.array(noticeSchema),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** A key file named by path (Electron, CLI) or uploaded from a file picker (browser mode). */
export const keyFileSourceSchema = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z.object({ name: z.string().max(255), contentBase64: z.string().max(2_000_000) }).strict(),
]);
export type KeyFileSource = z.infer<typeof keyFileSourceSchema>;

/** The settings utility's pages as the wizard sends them (raw text; the backend normalises). */
export const openingPagesSchema = z.object({
  customer: customerSchema.prefault({}),
  device: deviceSchema.prefault({}),
  options: z.array(optionDeviceSchema).max(99).default([]),
  dealer: dealerSchema.prefault({}),
});
export type OpeningPages = z.input<typeof openingPagesSchema>;

export const openingSourceSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('key-code'),
    keyCode: z.string().max(20),
    /** テスト・開局結果返信メールアドレス; required when opening for Express (HTTPS) */
    resultMail: z.string().max(200).default(''),
    forHttps: z.boolean().default(false),
  }),
  z.object({ mode: z.literal('key-file'), file: keyFileSourceSchema, acceptHostNameMismatch: z.boolean().default(false) }),
]);

export const keyFileSummarySchema = openingPagesSchema.extend({
  userSystemCode: z.string(),
  expiresAt: z.string().nullable(),
  destinations: openingSchema.shape.destinations,
  certificateSubject: z.string(),
  certificateNotAfter: z.string(),
});

export const infDiagnosticSchema = z.object({
  file: z.string(),
  line: z.number(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  code: z.string().optional(),
});
export type InfDiagnosticData = z.infer<typeof infDiagnosticSchema>;

/** テスト結果送付先: electronic mail (the default: the customer's address) or facsimile. */
export const resultDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mail'), address: z.string().max(200) }),
  z.object({ kind: z.literal('fax'), number: z.string().max(64) }),
]);

/** The outcome of one delivery, in the user's language, with the step that failed. */
export const deliveryOutcomeSchema = z.object({
  delivered: z.boolean(),
  /** the URL (or other destination) tried */
  destination: z.string(),
  /** the step that failed (dns, connect, tls, proxy, proxy-auth, http-status, timeout, …) */
  step: z.string().nullable(),
  /** what happened and what to check */
  message: z.string(),
});
export type DeliveryOutcome = z.infer<typeof deliveryOutcomeSchema>;

const destinationNumber = z.union([z.literal(1), z.literal(2)]);

/**
 * Settings changes by dotted key (`methods.express-https.url1` → value), applied together: one
 * validation of the result, one atomic write, one change event (`settings:patch`). The same shape
 * is a window's draft: what a dialog shows and has not stored, which a test or the opening report
 * uses over the stored settings for that report only. A password shown as `********` keeps the
 * stored one.
 */
export const settingsChangesSchema = z.record(z.string().min(1), z.unknown());
export type SettingsChanges = z.infer<typeof settingsChangesSchema>;

export const api = {
  'app:info': { params: empty, result: appInfoSchema },
  'settings:get': { params: empty, result: settingsSchema },
  /** Sets one value by dotted key (e.g. `methods.express.schedule.window`), validated as the window does. */
  'settings:set': { params: z.object({ key: z.string().min(1), value: z.unknown() }).strict(), result: settingsSchema },
  /**
   * A dialog's OK: every change at once, checked as a whole (no order among them), stored in one
   * atomic write. A method's `testedAt` then holds when exactly the tested delivery values are
   * stored, else it is cleared where they changed. `dryRun` checks and stores nothing.
   */
  'settings:patch': { params: z.object({ changes: settingsChangesSchema, dryRun: z.boolean().default(false) }).strict(), result: settingsSchema },
  'methods:list': { params: empty, result: z.array(methodStatusSchema) },
  'methods:setEnabled': {
    params: z.object({ name: methodName, enabled: z.boolean() }).strict(),
    result: z.array(methodStatusSchema),
  },
  'schedule:set': {
    params: z.object({ method: methodName, schedule: z.unknown() }).strict(),
    result: scheduleSchema,
  },
  'catalog:get': { params: empty, result: catalogSchema },
  /** The opening information (secrets masked), the OS host name and the device identity read from the machine. */
  'opening:get': {
    params: empty,
    result: z.object({
      opening: openingSchema.nullable(),
      hostName: z.string(),
      device: z.object({ deviceCode: z.string(), serialNumber: z.string(), source: z.enum(['dmi', 'smbios']) }).nullable(),
    }),
  },
  /** Reads and checks a key file without changing anything; says whether its server name matches the host. */
  'opening:readKeyFile': {
    params: z.object({ file: keyFileSourceSchema }).strict(),
    result: z.object({ keyFile: keyFileSummarySchema, hostName: z.string(), hostNameMatches: z.boolean() }),
  },
  /** 完了 of the opening wizard: erases every earlier opening setting and stores the new contract. */
  'opening:commit': { params: openingPagesSchema.extend({ source: openingSourceSchema }).strict(), result: openingSchema },
  /** [設定情報の変更...]: changes the pages of an existing opening; the contract stays. */
  'opening:update': { params: openingPagesSchema.strict(), result: openingSchema },
  /** The WebReprt folder and the check of its definition files (AMHTPADR/AMHTPLOG/AMHTPHBI.INF). */
  'https:definitions': {
    params: empty,
    result: z.object({
      dir: z.string(),
      files: z.array(z.object({ kind: z.enum(['adr', 'log', 'hbi']), path: z.string(), exists: z.boolean(), ok: z.boolean(), diagnostics: z.array(infDiagnosticSchema) })),
    }),
  },
  /** [宛先の読み込み]: URL1/URL2 read from AMHTPADR.INF in the WebReprt folder, for the window's fields (nothing is stored). */
  'https:loadAddressFile': { params: empty, result: z.object({ path: z.string(), url1: z.string(), url2: z.string() }) },
  /**
   * [テスト通報] of any method to its destination 1 or 2 (the method's channel says what they
   * are); the center answers to the result destination. With `draft` (settings keys of that
   * method), the report is sent with the window's values over the stored ones (nothing is stored).
   */
  'report:test': {
    params: z.object({ method: methodName, destination: destinationNumber, result: resultDestinationSchema, draft: settingsChangesSchema.optional() }).strict(),
    result: deliveryOutcomeSchema,
  },
  /**
   * [開局通報] of any method whose channel has one: the channel's check first (HTTPS: the
   * definition files, stage syntax, unless ignored), the opening report to the destination (stage
   * failed, may offer the secondary), then what the channel sends after it (HTTPS: the
   * configuration information, with progress events) (stage done). With `draft` (which must have
   * been tested), both go with the window's values over the stored ones; nothing is stored.
   */
  'report:opening': {
    params: z
      .object({ method: methodName, destination: destinationNumber.default(1), ignoreSyntaxErrors: z.boolean().default(false), draft: settingsChangesSchema.optional() })
      .strict(),
    result: z.discriminatedUnion('stage', [
      z.object({ stage: z.literal('syntax'), diagnostics: z.array(infDiagnosticSchema) }),
      z.object({ stage: z.literal('failed'), outcome: deliveryOutcomeSchema, canTrySecondary: z.boolean() }),
      /** `configuration`: what the channel sends after the opening report (HTTPS: the configuration report), null when nothing */
      z.object({ stage: z.literal('done'), outcome: deliveryOutcomeSchema, configuration: deliveryOutcomeSchema.nullable() }),
    ]),
  },
  /** Cancels the long work in hand (configuration collection); false when there was none. */
  'report:cancel': { params: empty, result: z.object({ cancelled: z.boolean() }) },
  'notices:dismiss': { params: z.object({ id: z.string() }).strict(), result: z.array(noticeSchema) },
  /**
   * 通報テスト (right-click an event id in the tree): a pseudo-failure report of that event goes
   * through the whole pipeline like a real fault — suppression aside — with its log collection
   * (AMHTPLOG.INF). Resolves once the report is accepted (durable); its outcome comes as
   * `report:changed` events and in the history.
   */
  'report:pseudoFault': {
    params: z.object({ log: z.enum(['System', 'Application']), source: z.string().min(1).max(256), eventId: z.string().min(1).max(20) }).strict(),
    result: z.array(historyItemSchema),
  },
  /**
   * A fault reported by hand (`express-report report`), as an event source would: subject to
   * 通報の抑制. `suppressed` when it was held back (counted for the next report of the event);
   * with `wait`, resolves after each report's first attempt.
   */
  'report:event': {
    params: z
      .object({
        log: z.enum(['System', 'Application']).default('System'),
        source: z.string().min(1).max(256),
        eventId: z.string().min(1).max(20),
        message: z.string().max(8192).default(''),
        wait: z.boolean().default(false),
      })
      .strict(),
    result: z.object({ suppressed: z.boolean(), items: z.array(historyItemSchema) }),
  },
  /** The report history, newest first; filter by state. */
  'history:list': {
    params: z.object({ states: z.array(z.enum(HISTORY_STATES)).optional() }).strict(),
    result: z.array(historyItemSchema),
  },
  /** Queues a failed report again (same id: the center stores it once). */
  'history:resend': { params: z.object({ id: z.string().uuid() }).strict(), result: historyItemSchema },
  /** The service's life: running, terminated, expired (S1). */
  'service:status': { params: empty, result: serviceStatusSchema },
  /** [サービスの終了]: nothing is reported any more until an extension key is entered. */
  'service:terminate': { params: empty, result: serviceStatusSchema },
  /** [サービス有効期限の変更]: checks the 期限延長キー, moves the contract's end and restarts the service. */
  'service:extend': { params: z.object({ key: z.string().max(200) }).strict(), result: serviceStatusSchema },
  /** The relay through a manager (src-shared/relay-api.ts): manager:status, :key, :agents, :register, :reachTest, :probe, :trust. */
  ...relayApi,
  /** The serial ports of this machine (COM1… on Windows; /dev/ttyS*, ttyUSB*, ttyACM* on Linux, read from /dev where udev is missing). */
  'dialup:ports': {
    params: empty,
    result: z.object({ ports: z.array(z.object({ path: z.string(), manufacturer: z.string().optional() })) }),
  },
  /**
   * ゼロ発信 of a dial-up method: `on` puts "0," in front of both destination numbers, `off` takes
   * it off, `status` only looks; stored with the number (the channel dials what is stored).
   */
  'dialup:zeroDial': {
    params: z.object({ method: z.enum(['express', 'manager-express']).default('express'), action: z.enum(['on', 'off', 'status']) }).strict(),
    result: z.object({ state: z.enum(['on', 'off', 'partial', 'none']), primary: z.string(), secondary: z.string(), changed: z.boolean() }),
  },
} as const;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export const API_METHODS = Object.keys(api) as ApiMethod[];
export type Params<M extends ApiMethod> = z.input<Api[M]['params']>;
export type Result<M extends ApiMethod> = z.output<Api[M]['result']>;

export function isApiMethod(value: unknown): value is ApiMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(api, value);
}

/** The one event stream from backend to window. */
export type ApiEvent =
  | { type: 'settings:changed' }
  | { type: 'progress'; task: 'configuration'; phase: 'tools' | 'scan' | 'zip' | 'send' | 'done'; done: number; total: number; detail?: string }
  | { type: 'methods:changed' }
  | { type: 'notice'; notice: Notice }
  /** a report was accepted or changed state (history view) */
  | { type: 'report:changed'; item: HistoryItem }
  /** the service was terminated, extended, or its contract ended */
  | { type: 'service:changed' }
  /** a manager method's receive service started or stopped listening (ask `manager:status`) */
  | { type: 'manager:changed' };

/** What a transport returns for one call. */
export type CallOutcome<M extends ApiMethod> = { ok: true; result: Result<M> } | { ok: false; error: ApiErrorData };

/** What the window (and tests) program against; both transports implement it. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** The name under which the Electron preload exposes the contract on `window`. */
export const BRIDGE_NAME = 'expressReport';

/** The shape the preload puts on `window[BRIDGE_NAME]`. */
export interface Bridge {
  invoke(method: ApiMethod, params: unknown): Promise<unknown>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}
