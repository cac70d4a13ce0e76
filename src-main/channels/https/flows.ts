import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { DeliveryOutcome, HttpsDraft, InfDiagnosticData, Result } from '../../../src-shared/api';
import { ApiError } from '../../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../../src-shared/i18n';
import type { ReportEnvelope } from '../../../src-shared/report';
import type { Settings } from '../../../src-shared/settings';
import type { Handlers, ServiceContext } from '../../core/handlers';
import { serviceEnded } from '../../core/report-handlers';
import { DEFINITION_FILE_NAMES, localizeDiagnostic, renderDiagnostic, type HbiDefinition } from '../../inf';
import type { QueueItem } from '../../queue';
import { definitionDir, definitionPath, ensureDefinitionFiles, readDefinition } from '../../reports/definition-dir';
import { testedDrafts, withDraft } from '../../reports/https-draft';
import { itemOutcome, localTime, outcomeOf } from '../../reports/outcome';
import { httpsDestinations, type ReportPipeline, type SettingsOverlay } from '../../reports/pipeline';
import { errorText } from '../../lib/error-text';

type HttpsHandlers = Pick<Handlers, 'https:definitions' | 'https:loadAddressFile' | 'https:saveDestinations' | 'https:checkDestinations' | 'report:test' | 'report:opening' | 'report:cancel'>;

function fail(code: 'invalid-value' | 'not-ready' | 'busy', lang: Language, key: MessageKey, field?: string, params: Record<string, string> = {}): ApiError {
  return new ApiError({ code, field, message: translate(lang, key, params) });
}

export interface HttpsFlows {
  handlers: HttpsHandlers;
  /**
   * The scheduled configuration report (AMHTPHBI.INF): collected and queued for Express (HTTPS)'s
   * destinations; null when the method is not enabled or another report is being prepared.
   */
  sendScheduledConfiguration(): Promise<{ message: string } | null>;
  /** Stops the work in hand (service shutdown). */
  cancel(): void;
}

export function httpsFlows(ctx: ServiceContext, pipeline: ReportPipeline): HttpsFlows {
  let running: AbortController | null = null;
  const tested = testedDrafts(ctx);

  /**
   * The settings a test or the opening report uses: the stored ones, with the window's draft over
   * them (checked as OK checks it). The draft goes with the report only (pipeline.sendAndWait);
   * nothing is stored.
   */
  async function screenSettings(draft: HttpsDraft | undefined): Promise<{ stored: Settings; settings: Settings; overlay: SettingsOverlay | undefined }> {
    const stored = await ctx.current();
    if (!draft) return { stored, settings: stored, overlay: undefined };
    return { stored, settings: withDraft(ctx, stored, draft), overlay: (s) => withDraft(ctx, s, draft) };
  }

  /** Why destination 1 or 2 cannot be sent to now, or nothing. */
  function checkDestination(settings: Settings, destination: 1 | 2): void {
    const lang = ctx.language();
    const m = settings.methods['express-https'];
    if (!settings.opening) throw fail('not-ready', lang, 'missing.opening', 'opening');
    if (m.route !== 'https') throw fail('not-ready', lang, 'error.route-manager', 'methods.express-https.route');
    if (httpsDestinations(settings, destination).length === 0) throw fail('invalid-value', lang, 'missing.url', `methods.express-https.url${destination}`);
    if (!ctx.reporting()) throw serviceEnded(lang);
  }

  /** Where the center answers a test or opening report: the opening's result mail, else the customer's. */
  function defaultResult(settings: Settings): ReportEnvelope['resultDestination'] {
    const address = settings.opening?.resultMail || settings.opening?.customer.email || '';
    return address ? { kind: 'mail', address } : null;
  }

  async function syntaxErrors(): Promise<InfDiagnosticData[]> {
    await ensureDefinitionFiles(ctx.dataDir);
    const results = await Promise.all([readDefinition(ctx.dataDir, 'log'), readDefinition(ctx.dataDir, 'hbi')]);
    return results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => localizeDiagnostic(d, ctx.language())));
  }

  /**
   * Collects AMHTPHBI.INF [Tools] and queues the configuration report (to `pin` only, when given);
   * progress goes to the window. Resolves with the report as accepted.
   */
  async function queueConfiguration(pin: 1 | 2 | null, signal: AbortSignal, waited?: { overlay?: SettingsOverlay }): Promise<QueueItem> {
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
      const envelope = pipeline.envelope('heartbeat', 'express-https', { attachments: [{ name: 'config.zip', size: archive.size, sha256: archive.sha256 }] });
      return await pipeline.accept(envelope, [{ file: archive.path }], { pin }, waited);
    } finally {
      // The queue moved the archive into its folder; this removes the work folder.
      await archive.dispose();
    }
  }

  function exclusive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (running) throw fail('busy', ctx.language(), 'error.busy');
    const controller = new AbortController();
    running = controller;
    return work(controller.signal).finally(() => {
      running = null;
    });
  }

  const handlers: HttpsHandlers = {
    'https:definitions': async () => {
      const dir = await ensureDefinitionFiles(ctx.dataDir);
      const files = await Promise.all(
        (['adr', 'log', 'hbi'] as const).map(async (kind) => {
          const path = definitionPath(ctx.dataDir, kind);
          const exists = await fs.stat(path).then(() => true, () => false);
          const r = exists ? await readDefinition(ctx.dataDir, kind) : null;
          return { kind, path, exists, ok: r?.ok ?? false, diagnostics: (r?.diagnostics ?? []).map((d) => localizeDiagnostic(d, ctx.language())) };
        }),
      );
      return { dir, files };
    },

    'https:loadAddressFile': async () => {
      const lang = ctx.language();
      const file = definitionPath(ctx.dataDir, 'adr');
      // No file is not a file with an error at line 1: say where it was looked for.
      if (!(await fs.stat(file).then((st) => st.isFile(), () => false))) {
        throw new ApiError({
          code: 'invalid-value',
          field: 'methods.express-https.url1',
          message: translate(lang, 'error.address-file-missing', { file: DEFINITION_FILE_NAMES.adr, dir: definitionDir(ctx.dataDir) }),
        });
      }
      const adr = await readDefinition(ctx.dataDir, 'adr');
      const errors = adr.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        throw new ApiError({
          code: 'invalid-value',
          field: 'methods.express-https.url1',
          message: translate(lang, 'error.address-file', { file }),
          details: errors.map((d) => `${DEFINITION_FILE_NAMES.adr}:${d.line}: ${renderDiagnostic(d, lang)}`),
        });
      }
      const value = adr.value as { url1: string | null; url2: string | null };
      // For the window's fields only: its OK stores them (and a changed URL is then not tested).
      return { path: file, url1: value.url1 ?? '', url2: value.url2 ?? '' };
    },

    'https:saveDestinations': (draft) => tested.save(draft),
    'https:checkDestinations': async (draft) => {
      withDraft(ctx, await ctx.current(), draft);
      return { ok: true as const };
    },

    'report:test': ({ destination, result, draft }) =>
      exclusive(async (signal) => {
        const { settings, overlay } = await screenSettings(draft);
        checkDestination(settings, destination);
        const envelope = pipeline.envelope('test', 'express-https', { resultDestination: result });
        const item = await pipeline.sendAndWait(envelope, [], { pin: destination, singleAttempt: true }, signal, overlay);
        if (item.state === 'delivered') {
          const at = ctx.now().toISOString();
          // A draft's test is remembered until its OK stores it; a test of the stored values (the CLI) is stored at once.
          if (draft) tested.record(settings, at);
          else await ctx.mutate((s) => ({ ...s, methods: { ...s.methods, 'express-https': { ...s.methods['express-https'], testedAt: at } } }));
        }
        return itemOutcome(item, ctx.language());
      }),

    'report:opening': ({ destination, ignoreSyntaxErrors, draft }) =>
      exclusive(async (signal): Promise<Result<'report:opening'>> => {
        const lang = ctx.language();
        const { stored, settings, overlay } = await screenSettings(draft);
        // The seed: the opening report only after a successful test — of the values it is sent with.
        if (!tested.testedAt(settings, stored)) throw fail('not-ready', lang, 'error.test-first', 'methods.express-https.testedAt');
        checkDestination(settings, destination);
        if (!ignoreSyntaxErrors) {
          const diagnostics = await syntaxErrors();
          if (diagnostics.length > 0) return { stage: 'syntax', diagnostics };
        }
        const envelope = pipeline.envelope('opening', 'express-https', { resultDestination: defaultResult(settings) });
        const item = await pipeline.sendAndWait(envelope, [], { pin: destination, singleAttempt: true }, signal, overlay);
        const outcome = itemOutcome(item, lang);
        if (item.state !== 'delivered') {
          return { stage: 'failed', outcome, canTrySecondary: destination === 1 && settings.methods['express-https'].url2.trim() !== '' };
        }
        // The center has opened the service: a fact, stored at once, which the dialog's キャンセル does not undo.
        await ctx.mutate((s) => ({
          ...s,
          methods: { ...s.methods, 'express-https': { ...s.methods['express-https'], openingReportedAt: ctx.now().toISOString() } },
        }));
        let configuration: DeliveryOutcome;
        try {
          // The window waits for its first attempt, made with the same draft; a later one uses what is stored.
          const accepted = await queueConfiguration(destination, signal, { overlay });
          const due = accepted.nextAttemptAt ? Date.parse(accepted.nextAttemptAt) : 0;
          if (due > ctx.now().getTime()) {
            pipeline.release(accepted.id);
            // Outside the method's time window: the queue sends it when the window opens; nobody waits for that.
            configuration = { delivered: false, destination: outcome.destination, step: null, message: translate(lang, 'delivery.waiting', { time: localTime(accepted.nextAttemptAt!, lang) }) };
          } else {
            configuration = itemOutcome(await pipeline.outcomeOf(accepted.id, signal), lang);
          }
          ctx.emit({ type: 'progress', task: 'configuration', phase: 'done', done: 1, total: 1 });
        } catch (err) {
          const detail = errorText(err);
          const step = signal.aborted ? 'cancelled' : 'config';
          configuration = outcomeOf({ ok: false, destination: outcome.destination, step, retryable: true, detail }, lang);
        }
        return { stage: 'done', outcome, configuration };
      }),

    'report:cancel': async () => {
      const had = running !== null;
      running?.abort();
      return { cancelled: had };
    },
  };

  async function sendScheduledConfiguration(): Promise<{ message: string } | null> {
    const settings = await ctx.current();
    const m = settings.methods['express-https'];
    if (!m.enabled || m.route !== 'https' || running || !ctx.reporting()) return null;
    return exclusive(async (signal) => {
      const item = await queueConfiguration(null, signal);
      return { message: `queued as report ${item.id}` };
    });
  }

  return { handlers, sendScheduledConfiguration, cancel: () => running?.abort() };
}

/** The folder the window shows next to [宛先の読み込み]. */
export { definitionDir };
/** For tests that check an attachment's digest. */
export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
