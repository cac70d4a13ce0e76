/**
 * The configuration report of Express (HTTPS) (AMHTPHBI.INF), whichever route carries it: after
 * a delivered opening report and on its schedule; and the definition files' check that stops the
 * opening report. The HTTPS channel and the manager-target channel (route マネージャ経由) both use
 * these, so they live below the channels.
 */
import type { DeliveryOutcome, InfDiagnosticData } from '../../src-shared/api';
import { translate } from '../../src-shared/i18n';
import type { MethodName } from '../../src-shared/methods';
import { localizeDiagnostic, type HbiDefinition } from '../inf';
import type { QueueItem } from '../queue';
import { ensureDefinitionFiles, readDefinition } from './definition-dir';
import { HeartbeatRunner } from './heartbeat-runner';
import { itemOutcome, localTime, outcomeOf } from './outcome';
import type { SettingsOverlay } from './pipeline';
import type { ChannelDeps, ChannelService } from '../channels/channel';
import { errorText } from '../lib/error-text';

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
export async function syntaxErrors(deps: ChannelDeps): Promise<InfDiagnosticData[]> {
  const { ctx } = deps;
  await ensureDefinitionFiles(ctx.dataDir);
  const results = await Promise.all([readDefinition(ctx.dataDir, 'log'), readDefinition(ctx.dataDir, 'hbi')]);
  return results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => localizeDiagnostic(d, ctx.language())));
}

/** After a delivered opening report: the configuration report to the same destination, with the same draft. */
export async function configurationAfterOpening(
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

/** The configuration report on AMHTPHBI.INF's schedule, for Express (HTTPS) while it is enabled on `route`. */
export function scheduledConfiguration(deps: ChannelDeps, route: 'https' | 'manager'): ChannelService {
  const { ctx } = deps;
  const send = async (): Promise<{ message: string } | null> => {
    const settings = await ctx.current();
    const m = settings.methods['express-https'];
    if (!m.enabled || m.route !== route || deps.busy() || !ctx.reporting()) return null;
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

