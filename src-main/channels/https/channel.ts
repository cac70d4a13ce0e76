/**
 * Express Report (HTTPS) as a channel (../channel.ts): the destinations are URL1 / URL2 of the
 * method's settings (AMHTPADR.INF), sent to by the HTTPS reporter, directly or through the
 * proxy; the opening report checks the WebReprt definition files first and sends the
 * configuration report (AMHTPHBI.INF) after; the configuration report also runs on its schedule.
 */
import type { DeliveryOutcome, InfDiagnosticData } from '../../../src-shared/api';
import { translate } from '../../../src-shared/i18n';
import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import { localizeDiagnostic, type HbiDefinition } from '../../inf';
import { DEFAULT_LANE, type QueueItem } from '../../queue';
import { ensureDefinitionFiles, readDefinition } from '../../reports/definition-dir';
import { HeartbeatRunner } from '../../reports/heartbeat-runner';
import { itemOutcome, localTime, outcomeOf } from '../../reports/outcome';
import type { SettingsOverlay } from '../../reports/pipeline';
import type { Channel, ChannelDeps, ChannelDestination, ChannelService } from '../channel';
import type { Reporter } from '../reporter';
import { definitionHandlers } from './definition-handlers';
import { createHttpsReporter, type HttpsReporterConfig } from './https-reporter';
import { errorText } from '../../lib/error-text';

export interface HttpsChannelOptions {
  /** the reporter's time limit (tests shorten it) */
  timeoutMs?: number;
  /** makes the reporter for a destination (default: the real one) */
  makeReporter?: (config: HttpsReporterConfig) => Reporter;
}

type HttpsMethod = 'express-https' | 'manager-express-https';
type HttpsSettings = Settings['methods'][HttpsMethod];

function httpsSettings(settings: Settings, method: MethodName): HttpsSettings {
  if (method !== 'express-https' && method !== 'manager-express-https') throw new Error(`the HTTPS channel does not carry ${method}`);
  return settings.methods[method];
}

/** What a destination is sent with: its URL, the extra CA file and the proxy. */
export function httpsConfig(settings: Settings, method: MethodName, url: string): HttpsReporterConfig {
  const m = httpsSettings(settings, method);
  const proxy = m.proxy.enabled ? { host: m.proxy.host, port: m.proxy.port, user: m.proxy.user, password: m.proxy.password } : null;
  return { url, caFile: m.caFile || null, proxy };
}

/**
 * Collects AMHTPHBI.INF [Tools] and queues the configuration report of `method` (to `pin` only,
 * when given); progress goes to the window. Resolves with the report as accepted.
 */
async function queueConfiguration(deps: ChannelDeps, method: MethodName, pin: 1 | 2 | null, signal: AbortSignal, waited?: { overlay?: SettingsOverlay }): Promise<QueueItem> {
  const { ctx, pipeline } = deps;
  const progress = (phase: 'tools' | 'scan' | 'zip' | 'send' | 'done', done: number, total: number, detail?: string) =>
    ctx.emit({ type: 'progress', task: 'configuration', phase, done, total, detail });
  const hbi = await readDefinition(ctx.dataDir, 'hbi');
  const value = hbi.value as HbiDefinition;
  const archive = await pipeline.collect(
    {
      tools: value.tools.command || value.tools.logFiles.length ? [{ name: 'Tools', ...value.tools }] : [],
      timeoutSeconds: value.timeoutSeconds,
      maxBytes: value.maxSizeBytes,
      archiveName: 'config.zip',
    },
    { signal, onProgress: (p) => progress(p.phase, p.done, p.total, p.detail) },
  );
  try {
    progress('send', 0, 1);
    const envelope = pipeline.envelope('heartbeat', method, { attachments: [{ name: 'config.zip', size: archive.size, sha256: archive.sha256 }] });
    return await pipeline.accept(envelope, [{ file: archive.path }], { pin }, waited);
  } finally {
    // The queue moved the archive into its folder; this removes the work folder.
    await archive.dispose();
  }
}

/** The definition files' errors (AMHTPLOG.INF, AMHTPHBI.INF), which stop the opening report unless ignored. */
async function syntaxErrors(deps: ChannelDeps): Promise<InfDiagnosticData[]> {
  const { ctx } = deps;
  await ensureDefinitionFiles(ctx.dataDir);
  const results = await Promise.all([readDefinition(ctx.dataDir, 'log'), readDefinition(ctx.dataDir, 'hbi')]);
  return results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => localizeDiagnostic(d, ctx.language())));
}

/** After a delivered opening report: the configuration report to the same destination, with the same draft. */
async function configurationAfterOpening(
  deps: ChannelDeps,
  { method, destination, label, signal, overlay }: { method: MethodName; destination: 1 | 2; label: string; signal: AbortSignal; overlay?: SettingsOverlay },
): Promise<DeliveryOutcome> {
  const { ctx, pipeline } = deps;
  const lang = ctx.language();
  try {
    // The window waits for its first attempt, made with the same draft; a later one uses what is stored.
    const accepted = await queueConfiguration(deps, method, destination, signal, { overlay });
    const due = accepted.nextAttemptAt ? Date.parse(accepted.nextAttemptAt) : 0;
    let configuration: DeliveryOutcome;
    if (due > ctx.now().getTime()) {
      pipeline.release(accepted.id);
      // Outside the method's time window: the queue sends it when the window opens; nobody waits for that.
      configuration = { delivered: false, destination: label, step: null, message: translate(lang, 'delivery.waiting', { time: localTime(accepted.nextAttemptAt!, lang) }) };
    } else {
      configuration = itemOutcome(await pipeline.outcomeOf(accepted.id, signal, accepted), lang);
    }
    ctx.emit({ type: 'progress', task: 'configuration', phase: 'done', done: 1, total: 1 });
    return configuration;
  } catch (err) {
    const detail = errorText(err);
    const step = signal.aborted ? 'cancelled' : 'config';
    return outcomeOf({ ok: false, destination: label, channel: 'https', step, retryable: true, detail }, lang);
  }
}

/** The configuration report on AMHTPHBI.INF's schedule, for Express (HTTPS) when it delivers itself. */
function scheduledConfiguration(deps: ChannelDeps): ChannelService {
  const { ctx } = deps;
  const send = async (): Promise<{ message: string } | null> => {
    const settings = await ctx.current();
    const m = settings.methods['express-https'];
    if (!m.enabled || m.route !== 'https' || deps.busy() || !ctx.reporting()) return null;
    return deps.exclusive(async (signal) => {
      const item = await queueConfiguration(deps, 'express-https', null, signal);
      return { message: `queued as report ${item.id}` };
    });
  };
  const runner = new HeartbeatRunner({
    now: () => ctx.now(),
    readSchedule: async () => (await readDefinition(ctx.dataDir, 'hbi')).value as HbiDefinition,
    send,
    log: (line) => deps.log(line),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  });
  return { start: () => runner.start(), stop: () => runner.stop() };
}

export function httpsChannel(options: HttpsChannelOptions = {}): Channel {
  const make = options.makeReporter ?? ((config: HttpsReporterConfig) => createHttpsReporter({ ...config, timeoutMs: options.timeoutMs ?? config.timeoutMs }));
  return {
    name: 'https',
    deliveryFields: () => ['url1', 'url2', 'caFile', 'proxy'],
    destinations(settings, method, pin): ChannelDestination[] {
      const m = httpsSettings(settings, method);
      return [
        { index: 1 as const, label: m.url1 },
        { index: 2 as const, label: m.url2 },
      ].filter((d) => d.label.trim() !== '' && (pin === null || d.index === pin));
    },
    reporter: (settings, method, destination) => make(httpsConfig(settings, method, destination.label)),
    destinationField: (method, index) => `methods.${method}.url${index}`,
    destinationMissing: 'url',
    limits: () => DEFAULT_LANE,
    opening: { check: syntaxErrors, after: configurationAfterOpening },
    prepare: async (dataDir) => {
      // The HTTPS edition's definition files are there for an administrator to edit from the start.
      await ensureDefinitionFiles(dataDir);
    },
    handlers: (deps) => definitionHandlers(deps.ctx),
    services: (deps) => [scheduledConfiguration(deps)],
  };
}
