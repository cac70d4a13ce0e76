/**
 * The backend's composition root: it puts together the settings, the channels, the report
 * pipeline, the generic report flows, fault admission, the service's life and the notices, and
 * runs the contract's methods. Electron main, the loopback web server and the CLI all drive it
 * through `call`. Each part lives in its own module; this file only wires them.
 */
import path from 'node:path';
import { escapeControls } from '../../src-shared/control-chars';
import { api, isApiMethod, type ApiEvent, type ApiMethod, type CallOutcome, type Notice, type Result } from '../../src-shared/api';
import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { ChannelService } from '../channels/channel';
import { channelRegistry, defaultChannels, type ChannelRegistry } from '../channels/registry';
import type { Channel } from '../channels/channel';
import { isReporting } from '../contract/service-life';
import type { EventSource, FaultEvent } from '../events/fault-event';
import { openingHandlers, type OpeningOptions } from '../opening/opening-handlers';
import { osHostName } from '../platform/device-info';
import { osLocale as readOsLocale } from '../platform/locale';
import { loadSecretCodec } from '../platform/secrets';
import { QueueLockedError, type QueueItem } from '../queue';
import { testedMemory } from '../reports/drafts';
import { ReportPipeline } from '../reports/pipeline';
import { reportFlows, type ReportFlows } from '../reports/report-flows';
import { FaultAdmission } from './fault-admission';
import type { Handlers, ServiceContext } from './handlers';
import { LifeWatch } from './life-watch';
import { NoticeBoard, render } from './notices';
import { historyItem, reportHandlers } from './report-handlers';
import { reportFailedFacts } from './report-notice';
import { serviceHandlers } from './service-handlers';
import { SettingsService } from './settings-service';
import { SettingsStore } from './settings-store';
import { parseIn } from './validation';
import { errorText } from '../lib/error-text';

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
  /** the report channels (default: defaultChannels(); a test adds its own with one line) */
  channels?: readonly Channel[];
  hostName?: () => string;
  /** the event sources startBackground() runs (default: the platform's, see events/) */
  eventSources?: (dataDir: string, log: (line: string) => void) => EventSource[];
  /** the timer the queue and the service's life use; tests inject a manual clock's */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Every contract method from exactly one owner: a key claimed twice, or by nobody, is a wiring mistake. */
function combineHandlers(groups: Partial<Handlers>[]): Handlers {
  const all: Partial<Handlers> = {};
  for (const group of groups) {
    for (const key of Object.keys(group) as ApiMethod[]) {
      if (key in all) throw new Error(`the API method ${key} has two owners`);
      (all as Record<string, unknown>)[key] = group[key];
    }
  }
  const missing = (Object.keys(api) as ApiMethod[]).filter((key) => !(key in all));
  if (missing.length > 0) throw new Error(`the API methods ${missing.join(', ')} have no handler`);
  return all as Handlers;
}

export class AlertService {
  /** Notices raised while opening (e.g. a corrupt settings file), for the CLI to print. */
  readonly startupNotices: Notice[] = [];
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly settingsService: SettingsService;
  private readonly channels: ChannelRegistry;
  private readonly pipeline: ReportPipeline;
  private readonly flows: ReportFlows;
  private readonly admission: FaultAdmission;
  private readonly life: LifeWatch;
  private readonly handlers: Handlers;
  private readonly sources: EventSource[] = [];
  private services: ChannelService[] = [];
  private logLine: ((line: string) => void) | null = null;

  private constructor(
    readonly dataDir: string,
    store: SettingsStore,
    private readonly notices: NoticeBoard,
    osLocale: string,
    private readonly options: AlertServiceOptions,
  ) {
    const clock = options.now ?? (() => new Date());
    this.channels = channelRegistry(options.channels ?? defaultChannels());
    const tested = testedMemory(() => this.channels);
    const settings = new SettingsService(store, osLocale, tested, {
      emit: (event) => this.emit(event),
      tell: (key, params) => this.tell(key, params),
      changed: async (what) => {
        for (const service of this.services) service.settingsChanged?.();
        await this.life.sync();
        if (what === 'saved') this.pipeline.kick();
      },
    });
    this.settingsService = settings;
    this.pipeline = new ReportPipeline({
      dataDir,
      settings: () => settings.settings,
      channels: () => this.channels,
      now: clock,
      hostName: options.hostName ?? (() => osHostName()),
      onChange: (item) => this.reportChanged(item),
      log: (line) => this.log(line),
      onDamage: (n) => void this.tell('notice.queue-damage', { file: n.file, aside: n.aside ?? '-', reason: n.reason }).catch(() => undefined),
      tempDir: options.tempDir,
      setTimer: options.setTimer,
      clearTimer: options.clearTimer,
    });
    const reporting = () => isReporting(settings.settings, clock());
    const ctx: ServiceContext = {
      dataDir,
      language: () => settings.language(),
      current: () => settings.current(),
      mutate: (change) => settings.mutate(change),
      withValue: (current, key, value) => settings.withValue(current, key, value),
      now: clock,
      reporting,
      emit: (event) => this.emit(event),
    };
    this.life = new LifeWatch({
      pipeline: this.pipeline,
      settings: () => settings.settings,
      now: clock,
      emit: (event) => this.emit(event),
      log: (line) => this.log(line),
      setTimer: options.setTimer,
      clearTimer: options.clearTimer,
    });
    this.admission = new FaultAdmission({ dataDir, pipeline: this.pipeline, settings: () => settings.settings, reporting, language: () => settings.language(), now: clock, log: (line) => this.log(line) });
    this.flows = reportFlows({ ctx, pipeline: this.pipeline, registry: () => this.channels, tested, applyChanges: (s, c) => settings.applyChanges(s, c), log: (line) => this.log(line) });
    this.handlers = combineHandlers([
      serviceHandlers({ dataDir, osLocale, settings, notices, now: clock }),
      openingHandlers(ctx, options.opening ?? {}),
      this.flows.handlers,
      reportHandlers(ctx, this.pipeline, async (event: FaultEvent) => {
        const { suppressed, done } = await this.admission.admit(event);
        return { suppressed, items: await done };
      }),
      ...[...this.channels.values()].map((c) => c.handlers?.(this.flows.channelDeps) ?? {}),
    ]);
  }

  static async open(options: AlertServiceOptions): Promise<AlertService> {
    const dataDir = path.resolve(options.dataDir);
    const service = new AlertService(
      dataDir,
      new SettingsStore(path.join(dataDir, 'settings.json'), await loadSecretCodec(dataDir)),
      new NoticeBoard(path.join(dataDir, 'notices.json')),
      options.osLocale ?? readOsLocale(),
      options,
    );
    await service.notices.load();
    await service.settingsService.reload();
    for (const channel of service.channels.values()) await channel.prepare?.(dataDir);
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
   * sources report faults, the channels' services run (HTTPS: the configuration report on its
   * schedule), and the contract's end is watched. Resolves once the queue is open (it may be
   * held by another process: then it says why and the window works without reports).
   */
  async startBackground(write: (line: string) => void): Promise<void> {
    // Every service-log line, whoever writes it, is one line: control characters are written out.
    const log = (line: string): void => write(escapeControls(line));
    this.logLine = log;
    await this.stopServices();
    this.services = [...this.channels.values()].flatMap((c) => c.services?.(this.flows.channelDeps) ?? []);
    for (const service of this.services) service.start();
    await this.life.start();
    const sources = this.options.eventSources?.(this.dataDir, log) ?? [];
    for (const source of sources) {
      source.start((event) => this.admission.fromSource(event));
      this.sources.push(source);
    }
  }

  /** A fault from an event source: reported by every delivering method unless suppressed or the service has ended. */
  onFault(event: FaultEvent): Promise<QueueItem[]> {
    return this.admission.report(event);
  }

  /** Resolves when no report is being collected or tried (tests run the schedule on a manual clock with it). */
  idle(): Promise<void> {
    return this.pipeline.idle();
  }

  async close(): Promise<void> {
    await this.stopServices();
    this.flows.cancel();
    this.life.stop();
    await Promise.all(this.sources.splice(0).map((s) => s.stop().catch(() => undefined)));
    await this.settingsService.settled();
    await this.pipeline.close();
    this.listeners.clear();
  }

  /** The language messages are given in: the ui.language setting, else the OS locale. */
  language(): Language {
    return this.settingsService.language();
  }

  private async stopServices(): Promise<void> {
    await Promise.all(this.services.splice(0).map(async (s) => s.stop()));
  }

  private log(line: string): void {
    this.logLine?.(line);
  }

  /** A report changed: the history view hears it; one that failed for good is never silent. */
  private reportChanged(item: QueueItem): void {
    // Nobody watching (a headless manager taking thousands of reports a second): nothing to build.
    if (this.listeners.size > 0) this.emit({ type: 'report:changed', item: historyItem(item, this.language()) });
    if (item.state !== 'failed') return;
    const detail = item.lastError ? `${item.lastError.step}: ${item.lastError.detail}` : (item.failure ?? '');
    this.log(`report ${item.id} (${item.kind}, ${item.method}) failed for good: ${item.failure ?? ''} ${detail}`);
    // Test and opening reports showed their outcome in the window; the others become a notice.
    if (item.kind === 'test' || item.kind === 'opening') return;
    void this.tell('notice.report-failed', reportFailedFacts(item)).catch(() => undefined);
  }

  private async run<M extends ApiMethod>(method: M, params: unknown): Promise<Result<M>> {
    const parsed = parseIn(api[method].params, params ?? {}, this.language());
    if (!parsed.ok) throw this.settingsService.invalid(parsed.problem.field, parsed.problem.reason);
    const handler = this.handlers[method] as (p: unknown) => Promise<Result<M>>;
    return handler(parsed.value);
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
