import { escapeControls } from '../../src-shared/control-chars';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { api, isApiMethod, type ApiEvent, type ApiMethod, type CallOutcome, type MethodStatus, type Notice, type Result } from '../../src-shared/api';
import { EVENT_CATALOG } from '../../src-shared/event-catalog';
import { ApiError } from '../../src-shared/errors';
import { resolveLanguage, translate, type Language, type MessageKey } from '../../src-shared/i18n';
import { METHOD_NAMES, MUTUALLY_EXCLUSIVE, type MethodName } from '../../src-shared/methods';
import { missingFor } from '../../src-shared/readiness';
import { redactSecrets, scheduleSchema, settingsSchema, unmaskSecrets, type Settings } from '../../src-shared/settings';
import { PRODUCT_VERSION, REPORT_MODULE_VERSION } from '../../src-shared/version';
import { osLocale as readOsLocale } from '../platform/locale';
import { loadSecretCodec } from '../platform/secrets';
import { openingHandlers, type OpeningOptions } from '../opening/opening-handlers';
import { checkPages } from '../opening/pages';
import type { HbiDefinition } from '../inf';
import { ensureDefinitionFiles, readDefinition } from '../reports/definition-dir';
import { HeartbeatRunner } from '../reports/heartbeat-runner';
import { httpsFlows, type HttpsFlows } from '../channels/https/flows';
import { ReportPipeline } from '../reports/pipeline';
import { extend, isReporting, MAX_TIMER_MS, msUntilNextChange, serviceStatus, terminate } from '../contract/service-life';
import type { EventSource, FaultEvent } from '../events/fault-event';
import { Suppressor } from '../events/suppression';
import { osHostName } from '../platform/device-info';
import { QueueLockedError, type QueueItem } from '../queue';
import { createHttpsReporter, type HttpsReporterConfig } from '../channels/https/https-reporter';
import type { Reporter } from '../channels/reporter';
import { writeFileAtomic } from '../lib/atomic-file';
import type { Handlers, ServiceContext } from './handlers';
import { historyItem, reportHandlers, reportingMethods, type FaultOutcome } from './report-handlers';
import { NoticeBoard, render } from './notices';
import { reportFailedFacts } from './report-notice';
import { fieldProblem } from './field-checks';
import { refuseStateChange, refuseStateKey } from './protected-keys';
import { coerceText, getAt, setAt } from './settings-keys';
import { SettingsStore } from './settings-store';
import { parseIn } from './validation';
import { errorText } from '../lib/error-text';

/** Settings that change where or how Express (HTTPS) delivers. */
const DELIVERY_KEY = /^methods\.express-https\.(url1|url2|caFile|route|proxy(\..+)?)$/;

export interface AlertServiceOptions {
  dataDir: string;
  /** the OS locale (Electron: app.getLocale()); defaults to the POSIX variables */
  osLocale?: string;
  /** the clock; tests inject one */
  now?: () => Date;
  /** where device identity and host name come from; tests point them at fixtures */
  opening?: OpeningOptions;
  /** where collected archives are built (default `<dataDir>/tmp`) */
  tempDir?: string;
  /** makes the reporter for an HTTPS destination (tests shorten the timeout) */
  reporterFactory?: (config: HttpsReporterConfig) => Reporter;
  hostName?: () => string;
  /** the event sources startBackground() runs (default: the platform's, see events/) */
  eventSources?: (dataDir: string, log: (line: string) => void) => EventSource[];
  /** the timer the queue and the service's life use; tests inject a manual clock's */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * The backend: owns the settings and (in later stages) the reporters, queue and schedules.
 * Electron main, the loopback web server and the CLI all drive it through `call`.
 */
export class AlertService {
  private settings!: Settings;
  private fingerprint: string | null = null;
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Notices raised while opening (e.g. a corrupt settings file), for the CLI to print. */
  readonly startupNotices: Notice[] = [];

  private constructor(
    readonly dataDir: string,
    private readonly store: SettingsStore,
    private readonly notices: NoticeBoard,
    private readonly osLocale: string,
    private readonly clock: () => Date,
    openingOptions: OpeningOptions,
    private readonly options: AlertServiceOptions,
  ) {
    this.pipeline = new ReportPipeline({
      dataDir,
      settings: () => this.settings,
      now: () => this.clock(),
      hostName: options.hostName ?? (() => osHostName()),
      makeReporter: options.reporterFactory ?? createHttpsReporter,
      onChange: (item) => this.reportChanged(item),
      log: (line) => this.log(line),
      onDamage: (n) => void this.tell('notice.queue-damage', { file: n.file, aside: n.aside ?? '-', reason: n.reason }).catch(() => undefined),
      tempDir: options.tempDir,
      setTimer: options.setTimer,
      clearTimer: options.clearTimer,
    });
    const ctx: ServiceContext = {
      dataDir,
      language: () => this.language(),
      current: async () => {
        await this.refresh();
        return this.settings;
      },
      mutate: (change) => this.mutate(change),
      withValue: (current, key, value) => this.withValue(current, key, value),
      now: () => this.clock(),
      reporting: () => isReporting(this.settings, this.clock()),
      emit: (event) => this.emit(event),
    };
    this.https = httpsFlows(ctx, this.pipeline);
    this.handlers = { ...this.ownHandlers(), ...openingHandlers(ctx, openingOptions), ...this.https.handlers, ...reportHandlers(ctx, this.pipeline, (event) => this.reportFault(event)) };
  }

  static async open(options: AlertServiceOptions): Promise<AlertService> {
    const dataDir = path.resolve(options.dataDir);
    const service = new AlertService(
      dataDir,
      new SettingsStore(path.join(dataDir, 'settings.json'), await loadSecretCodec(dataDir)),
      new NoticeBoard(path.join(dataDir, 'notices.json')),
      options.osLocale ?? readOsLocale(),
      options.now ?? (() => new Date()),
      options.opening ?? {},
      options,
    );
    await service.notices.load();
    await service.reload();
    // The HTTPS edition's definition files are there for an administrator to edit from the start.
    await ensureDefinitionFiles(dataDir);
    return service;
  }

  /** Runs one contract method. Never throws: failures come back as `{ ok: false, error }`. */
  async call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>> {
    try {
      if (!isApiMethod(method)) {
        throw new ApiError({ code: 'unknown-method', message: `unknown API method: ${String(method)}` });
      }
      return { ok: true, result: await this.run(method, params) };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.toData() };
      if (err instanceof QueueLockedError) {
        return { ok: false, error: { code: 'busy', message: translate(this.language(), 'error.queue-locked', { pid: err.pid ?? '?' }) } };
      }
      const detail = errorText(err);
      return { ok: false, error: { code: 'internal', message: translate(this.language(), 'error.internal', { detail }) } };
    }
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts what the service does with nobody at the window: the queue delivers, the event
   * sources report faults, the configuration report runs on its schedule, and the contract's end
   * is watched. Resolves once the queue is open (it may be held by another process: then it says
   * why and the window works without reports).
   */
  async startBackground(write: (line: string) => void): Promise<void> {
    // Every service-log line, whoever writes it, is one line: control characters are written out.
    const log = (line: string): void => write(escapeControls(line));
    this.logLine = log;
    this.background = true;
    this.heartbeat?.stop();
    this.heartbeat = new HeartbeatRunner({
      now: () => this.clock(),
      readSchedule: async () => (await readDefinition(this.dataDir, 'hbi')).value as HbiDefinition,
      send: () => this.https.sendScheduledConfiguration(),
      log,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    });
    this.heartbeat.start();
    await this.syncLife();
    const sources = this.options.eventSources?.(this.dataDir, log) ?? [];
    for (const source of sources) {
      source.start((event) => this.faultFromSource(event));
      this.sources.push(source);
    }
  }

  /** A fault from an event source: reported by every delivering method unless suppressed or the service has ended. */
  async onFault(event: FaultEvent): Promise<QueueItem[]> {
    try {
      return (await this.reportFault(event)).items;
    } catch (err) {
      this.log(`event ${event.source} ${event.eventId} not reported: ${errorText(err)}`);
      return [];
    }
  }

  /**
   * What an event source hands a fault to: resolves once the fault is durable (in the queue, or
   * recorded while its logs are collected) or refused — so the source commits its place in the
   * log (the journal cursor) only then. Never rejects.
   */
  private async faultFromSource(event: FaultEvent): Promise<void> {
    try {
      const { done } = await this.admitFault(event);
      void done.catch((err: unknown) => this.log(`event ${event.source} ${event.eventId}: ${errorText(err)}`));
    } catch (err) {
      this.log(`event ${event.source} ${event.eventId} not reported: ${errorText(err)}`);
    }
  }

  /** Suppression, then the pipeline, until the reports are in the queue; throws (ApiError) when nothing can report it. */
  private async reportFault(event: FaultEvent): Promise<FaultOutcome> {
    const { suppressed, done } = await this.admitFault(event);
    return { suppressed, items: await done };
  }

  /** faults are admitted one at a time (a few fsyncs each): the suppression decision of one is final before the next */
  private admitting: Promise<unknown> = Promise.resolve();

  /**
   * 通報の抑制 decides, the pipeline makes the fault durable, and only then is the suppression
   * entry saved: a crash in between means a repeat is reported, never that a fault is held back
   * that was not reported. A fault the pipeline refuses leaves suppression as it was.
   */
  private admitFault(event: FaultEvent): Promise<{ suppressed: boolean; done: Promise<QueueItem[]> }> {
    const work = this.admitting.then(async () => {
      const methods = reportingMethods(this.settings, isReporting(this.settings, this.clock()), this.language());
      // One decision per event: the methods share it (Express and Express (HTTPS) never run together).
      const method = methods[0]!;
      const suppressors = await this.suppression();
      const suppressor = suppressors.get(method) ?? new Suppressor();
      const before = suppressor.toJSON();
      suppressors.set(method, suppressor);
      const decision = suppressor.offer({ source: event.source, eventId: event.eventId }, this.clock(), this.settings.methods[method].suppression);
      if (!decision.report) {
        await this.saveSuppression().catch((err: unknown) => this.log(`suppression state not saved: ${errorText(err)}`));
        this.log(`event ${event.source} ${event.eventId} suppressed (通報の抑制)`);
        return { suppressed: true, done: Promise.resolve([] as QueueItem[]) };
      }
      let admission;
      try {
        admission = await this.pipeline.admitEvent(event, { suppressedCount: decision.suppressedCount });
      } catch (err) {
        suppressors.set(method, Suppressor.fromJSON(before));
        throw err;
      }
      await this.saveSuppression().catch((err: unknown) => this.log(`suppression state not saved: ${errorText(err)}`));
      const done = admission.done.then((items) => {
        for (const item of items) this.log(`event ${event.source} ${event.eventId}: report ${item.id} accepted (${item.method})`);
        return items;
      });
      done.catch(() => undefined);
      return { suppressed: false, done };
    });
    this.admitting = work.catch(() => undefined);
    return work;
  }

  /** Resolves when no report is being collected or tried (tests run the schedule on a manual clock with it). */
  idle(): Promise<void> {
    return this.pipeline.idle();
  }

  async close(): Promise<void> {
    this.heartbeat?.stop();
    this.https.cancel();
    this.disarmLife();
    this.disarmQueueRetry();
    this.background = false;
    await Promise.all(this.sources.splice(0).map((s) => s.stop().catch(() => undefined)));
    await this.queue.catch(() => undefined);
    await this.pipeline.close();
    this.listeners.clear();
  }

  private suppressors: Promise<Map<MethodName, Suppressor>> | null = null;

  private get suppressionFile(): string {
    return path.join(this.dataDir, 'suppression.json');
  }

  /** What was suppressed before a restart still counts (a lost file only means one extra report). */
  private suppression(): Promise<Map<MethodName, Suppressor>> {
    this.suppressors ??= (async () => {
      const map = new Map<MethodName, Suppressor>();
      const raw = await fsp.readFile(this.suppressionFile, 'utf8').catch(() => null);
      let data: unknown = null;
      try {
        data = raw === null ? null : JSON.parse(raw);
      } catch {
        this.log(`${this.suppressionFile} is not JSON: suppression starts afresh`);
      }
      for (const name of METHOD_NAMES) {
        const state = (data as Record<string, unknown> | null)?.[name];
        if (state !== undefined) map.set(name, Suppressor.fromJSON(state));
      }
      return map;
    })();
    return this.suppressors;
  }

  private async saveSuppression(): Promise<void> {
    if (!this.suppressors) return;
    const data = Object.fromEntries([...(await this.suppressors)].map(([name, s]) => [name, s.toJSON()]));
    await writeFileAtomic(this.suppressionFile, JSON.stringify(data));
  }

  /** The queue delivers while the service runs; ended or expired, it keeps what it has until an extension. */
  private async syncLife(): Promise<void> {
    if (!this.background) return;
    const reporting = isReporting(this.settings, this.clock());
    try {
      if (reporting && !this.pipeline.isRunning) await this.pipeline.start();
      else if (!reporting && this.pipeline.isRunning) await this.pipeline.stop();
    } catch (err) {
      // Another process has it (serve while the Electron window runs): try again in a minute.
      this.log(`the report queue cannot be opened: ${errorText(err)}; trying again in a minute`);
      this.disarmQueueRetry();
      this.queueRetry = this.timer()(() => {
        this.queueRetry = null;
        void this.syncLife();
      }, 60_000);
    }
    this.armLife();
  }

  private queueRetry: unknown = null;

  private disarmQueueRetry(): void {
    if (this.queueRetry === null) return;
    this.clearTimer()(this.queueRetry);
    this.queueRetry = null;
  }

  /** The injected timer, or a real one that does not keep the process alive. */
  private timer(): (fn: () => void, ms: number) => unknown {
    return this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  }

  private clearTimer(): (handle: unknown) => void {
    return this.options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  /** One timer for the contract's next change (the warning period, the last day's end). */
  private armLife(): void {
    this.disarmLife();
    const wait = msUntilNextChange(this.settings, this.clock());
    if (wait === null) return;
    this.lifeTimer = this.timer()(() => {
      this.lifeTimer = null;
      this.emit({ type: 'service:changed' });
      void this.syncLife();
    }, Math.min(wait + 1000, MAX_TIMER_MS));
  }

  private disarmLife(): void {
    if (this.lifeTimer === null) return;
    this.clearTimer()(this.lifeTimer);
    this.lifeTimer = null;
  }

  private lifeTimer: unknown = null;
  private background = false;
  private readonly sources: EventSource[] = [];
  private logLine: ((line: string) => void) | null = null;

  private log(line: string): void {
    this.logLine?.(line);
  }

  /** A report changed: the history view hears it; one that failed for good is never silent. */
  private reportChanged(item: QueueItem): void {
    this.emit({ type: 'report:changed', item: historyItem(item, this.language()) });
    if (item.state !== 'failed') return;
    const detail = item.lastError ? `${item.lastError.step}: ${item.lastError.detail}` : (item.failure ?? '');
    this.log(`report ${item.id} (${item.kind}, ${item.method}) failed for good: ${item.failure ?? ''} ${detail}`);
    // Test and opening reports showed their outcome in the window; the others become a notice.
    if (item.kind === 'test' || item.kind === 'opening') return;
    void this.tell('notice.report-failed', reportFailedFacts(item)).catch(() => undefined);
  }

  /** The language messages are given in: the ui.language setting, else the OS locale. */
  language(): Language {
    return resolveLanguage(this.settings.ui.language, this.osLocale);
  }

  private async run<M extends ApiMethod>(method: M, params: unknown): Promise<Result<M>> {
    const parsed = parseIn(api[method].params, params ?? {}, this.language());
    if (!parsed.ok) throw this.invalid(parsed.problem.field, parsed.problem.reason);
    const handler = this.handlers[method] as (p: unknown) => Promise<Result<M>>;
    return handler(parsed.value);
  }

  private readonly handlers: Handlers;
  private readonly https: HttpsFlows;
  private readonly pipeline: ReportPipeline;
  private heartbeat: HeartbeatRunner | null = null;

  private ownHandlers(): Omit<Handlers, keyof ReturnType<typeof openingHandlers> | keyof HttpsFlows['handlers'] | keyof ReturnType<typeof reportHandlers>> {
    return {
    'app:info': async () => {
      await this.refresh();
      return {
        productVersion: PRODUCT_VERSION,
        reportModuleVersion: REPORT_MODULE_VERSION,
        osLocale: this.osLocale,
        languageSetting: this.settings.ui.language,
        language: this.language(),
        dataDir: this.dataDir,
        notices: this.notices.list(this.language()),
      };
    },
    'settings:get': async () => {
      await this.refresh();
      return redactSecrets(this.settings);
    },
    'settings:set': ({ key, value }) => this.mutate((current) => this.withValue(current, key, value)).then(redactSecrets),
    'methods:list': async () => {
      await this.refresh();
      return this.statuses(this.settings);
    },
    'methods:setEnabled': ({ name, enabled }) =>
      this.mutate((current) => this.withValue(current, `methods.${name}.enabled`, enabled)).then((s) => this.statuses(s)),
    'schedule:set': async ({ method, schedule }) => {
      const lang = this.language();
      const parsed = parseIn(scheduleSchema, schedule, lang, `methods.${method}.schedule`);
      if (!parsed.ok) throw this.invalid(parsed.problem.field, parsed.problem.reason);
      const saved = await this.mutate((current) => this.withValue(current, `methods.${method}.schedule`, parsed.value));
      return saved.methods[method].schedule;
    },
    // The tree shows what this machine's event sources can report: the systemd journal's sources only on Linux.
    'catalog:get': async () =>
      EVENT_CATALOG.map((log) => ({
        ...log,
        sources: log.sources.filter((s) => s.platform === undefined || s.platform === process.platform).map((s) => structuredClone(s)),
      })) as Result<'catalog:get'>,
    'service:status': async () => {
      await this.refresh();
      return serviceStatus(this.settings, this.clock(), this.language());
    },
    'service:terminate': async () => {
      const saved = await this.mutate((current) => terminate(current, this.clock(), this.language()));
      return serviceStatus(saved, this.clock(), this.language());
    },
    'service:extend': async ({ key }) => {
      const saved = await this.mutate((current) => extend(current, key, this.clock(), this.language()));
      return serviceStatus(saved, this.clock(), this.language());
    },
    'notices:dismiss': async ({ id }) => {
      await this.notices.dismiss(id);
      return this.notices.list(this.language());
    },
    };
  }

  /** The settings with one value changed, validated as a whole and by the method rules. */
  private withValue(current: Settings, key: string, rawValue: unknown): Settings {
    const lang = this.language();
    const found = getAt(current, key);
    if (!found.found || key === 'version') {
      throw new ApiError({ code: 'unknown-key', field: key, message: translate(lang, 'error.unknown-key', { field: key }) });
    }
    refuseStateKey(key, lang);
    const nullable = () => settingsSchema.safeParse(setAt(current, key, null)).success;
    const typed = typeof rawValue === 'string' ? coerceText(found.value, rawValue, rawValue === 'null' && nullable()) : rawValue;
    const value = unmaskSecrets(typed, found.value, key.split('.').pop()!);
    const parsed = parseIn(settingsSchema, setAt(current, key, value), lang);
    if (!parsed.ok) throw this.invalid(parsed.problem.field, parsed.problem.reason);
    const problem = fieldProblem(key, value, lang);
    if (problem) throw this.invalid(key, problem);
    const next = parsed.value;
    refuseStateChange(current, next, key, lang);
    // A changed destination has not been tested: the opening report waits for a new test report.
    const after = getAt(next, key);
    if (DELIVERY_KEY.test(key) && after.found && JSON.stringify(after.value) !== JSON.stringify(found.value)) {
      next.methods['express-https'].testedAt = null;
    }
    // A field of the settings utility's pages follows the same rules as in the wizard.
    if ((key === 'opening' || key.startsWith('opening.')) && next.opening) {
      next.opening = { ...next.opening, ...checkPages(next.opening, next.opening.mode, lang) };
    }
    this.checkMethodRules(current, next);
    return next;
  }

  /** Enabling follows the seed: never Express and Express (HTTPS) together; never a method not set up. */
  private checkMethodRules(before: Settings, after: Settings): void {
    const lang = this.language();
    for (const name of METHOD_NAMES) {
      if (!after.methods[name].enabled || before.methods[name].enabled) continue;
      const label = translate(lang, `method.${name}`);
      const other = MUTUALLY_EXCLUSIVE[name];
      if (other && after.methods[other].enabled) {
        throw new ApiError({
          code: 'mutual-exclusion',
          field: `methods.${name}.enabled`,
          message: translate(lang, 'error.mutual-exclusion', { method: label, other: translate(lang, `method.${other}`) }),
        });
      }
      const missing = missingFor(after, name);
      if (missing.length > 0) {
        throw new ApiError({
          code: 'not-configured',
          field: `methods.${name}.enabled`,
          message: translate(lang, 'error.not-configured', { method: label }),
          details: missing.map((m) => translate(lang, `missing.${m}`)),
        });
      }
    }
  }

  private statuses(settings: Settings): MethodStatus[] {
    const lang = this.language();
    return METHOD_NAMES.map((name: MethodName) => {
      const missing = missingFor(settings, name);
      return {
        name,
        enabled: settings.methods[name].enabled,
        configured: missing.length === 0,
        missing,
        missingText: missing.map((m) => translate(lang, `missing.${m}`)),
      };
    });
  }

  private invalid(field: string, reason: string): ApiError {
    return new ApiError({ code: 'invalid-value', field, reason, message: translate(this.language(), 'error.invalid-value', { field, reason }) });
  }

  /** Serialises changes: re-read what is on disk, apply, write atomically, tell listeners. */
  private mutate(change: (current: Settings) => Settings): Promise<Settings> {
    const next = this.queue.then(async () => {
      await this.refresh();
      const updated = change(this.settings);
      if (updated === this.settings) return updated;
      await this.store.save(updated);
      this.settings = updated;
      this.fingerprint = await this.store.fingerprint();
      this.emit({ type: 'settings:changed' });
      this.emit({ type: 'methods:changed' });
      this.emit({ type: 'service:changed' });
      await this.syncLife();
      this.pipeline.kick();
      return updated;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Picks up changes another process (the CLI, a second window) wrote to the settings file. */
  private async refresh(): Promise<void> {
    const fp = await this.store.fingerprint();
    if (fp !== this.fingerprint) await this.reload();
  }

  private async reload(): Promise<void> {
    const { settings, corrupt, lostSecrets } = await this.store.load();
    const before = this.settings as Settings | undefined;
    this.settings = settings;
    if (before && JSON.stringify(before.service) + before.opening?.expiresAt !== JSON.stringify(settings.service) + settings.opening?.expiresAt) {
      // Another process (the CLI) ended or extended the service.
      this.emit({ type: 'service:changed' });
      await this.syncLife();
    }
    this.fingerprint = await this.store.fingerprint();
    if (corrupt && corrupt.reset.length > 0) {
      await this.tell('notice.settings-repaired', { file: corrupt.file, aside: corrupt.aside, fields: corrupt.reset.join(', ') });
    } else if (corrupt) {
      await this.tell('notice.settings-corrupt', { file: corrupt.file, aside: corrupt.aside, reason: corrupt.reason });
    }
    if (lostSecrets.length > 0) {
      // Save at once, so the loss is reported once and not at every start.
      await this.store.save(settings);
      this.fingerprint = await this.store.fingerprint();
      // The contract's secrets came from the center's key file: nobody can type them in again.
      const issued = lostSecrets.filter((key) => key.startsWith('opening.'));
      const typed = lostSecrets.filter((key) => !key.startsWith('opening.'));
      if (typed.length > 0) await this.tell('notice.secrets-lost', { keys: typed.join(', ') });
      if (issued.length > 0) await this.tell('lockweb.notice.contractSecretLost', { keys: issued.join(', ') });
    }
  }

  /** Stores a notice for the window (until dismissed) and for the CLI's stderr. */
  private async tell(key: MessageKey, params: Record<string, string>): Promise<void> {
    const rendered = render(await this.notices.add('error', key, params), this.language());
    this.startupNotices.push(rendered);
    this.emit({ type: 'notice', notice: rendered });
    this.emit({ type: 'settings:changed' });
    this.emit({ type: 'methods:changed' });
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed window) must not stop the others.
      }
    }
  }
}
