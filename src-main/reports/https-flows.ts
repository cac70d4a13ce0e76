import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import type { DeliveryOutcome, InfDiagnosticData, Result } from '../../src-shared/api';
import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { ReportEnvelope, ReportKind } from '../../src-shared/report';
import type { Settings } from '../../src-shared/settings';
import { collect, type CollectedArchive } from '../collect/collector';
import type { Handlers, ServiceContext } from '../core/handlers';
import { DEFINITION_FILE_NAMES, type HbiDefinition } from '../inf';
import { osHostName } from '../platform/device-info';
import { createHttpsReporter, type HttpsReporterConfig } from '../reporters/https/https-reporter';
import type { Delivery, OutgoingAttachment, Reporter } from '../reporters/reporter';
import { definitionDir, definitionPath, ensureDefinitionFiles, readDefinition } from './definition-dir';
import { buildEnvelope } from './envelope';

export interface HttpsFlowOptions {
  /** makes the reporter for a destination (tests shorten the timeout) */
  reporterFactory?: (config: HttpsReporterConfig) => Reporter;
  hostName?: () => string;
  /** where collected archives are written (default the OS temp folder) */
  tempDir?: string;
}

type HttpsHandlers = Pick<Handlers, 'https:definitions' | 'https:loadAddressFile' | 'report:test' | 'report:opening' | 'report:cancel'>;

/** A delivery in the user's words: what failed and what to check, with the reporter's detail. */
export function outcomeOf(delivery: Delivery, lang: Language): DeliveryOutcome {
  if (delivery.ok) {
    return { delivered: true, destination: delivery.destination, step: null, message: translate(lang, 'delivery.ok', { destination: delivery.destination }) };
  }
  return {
    delivered: false,
    destination: delivery.destination,
    step: delivery.step,
    message: translate(lang, 'delivery.failed', {
      destination: delivery.destination,
      what: translate(lang, `delivery.step.${delivery.step}` as MessageKey),
      detail: delivery.detail,
    }),
  };
}

function fail(code: 'invalid-value' | 'not-ready' | 'busy', lang: Language, key: MessageKey, field?: string, params: Record<string, string> = {}): ApiError {
  return new ApiError({ code, field, message: translate(lang, key, params) });
}

/** The file as an attachment streamed from disk. */
function archiveAttachment(archive: CollectedArchive, name: string): OutgoingAttachment {
  return { name, size: archive.size, sha256: archive.sha256, open: () => createReadStream(archive.path) };
}

export interface HttpsFlows {
  handlers: HttpsHandlers;
  /**
   * The scheduled configuration report (AMHTPHBI.INF), sent to destination 1, else 2; null when
   * Express (HTTPS) is not enabled or another report is being sent.
   */
  sendScheduledConfiguration(): Promise<DeliveryOutcome | null>;
  /** Stops the work in hand (service shutdown). */
  cancel(): void;
}

export function httpsFlows(ctx: ServiceContext, options: HttpsFlowOptions = {}): HttpsFlows {
  const makeReporter = options.reporterFactory ?? createHttpsReporter;
  const hostName = options.hostName ?? (() => osHostName());
  let running: AbortController | null = null;

  /** The reporter for destination 1 or 2 from the HTTPS settings, or why there is none. */
  function reporterFor(settings: Settings, destination: 1 | 2): Reporter {
    const lang = ctx.language();
    const m = settings.methods['express-https'];
    if (!settings.opening) throw fail('not-ready', lang, 'missing.opening', 'opening');
    if (m.route !== 'https') throw fail('not-ready', lang, 'error.route-manager', 'methods.express-https.route');
    const url = destination === 1 ? m.url1 : m.url2;
    if (!url.trim()) throw fail('invalid-value', lang, 'missing.url', `methods.express-https.url${destination}`);
    const proxy = m.proxy.enabled ? { host: m.proxy.host, port: m.proxy.port, user: m.proxy.user, password: m.proxy.password } : null;
    return makeReporter({ url, caFile: m.caFile || null, proxy });
  }

  function envelope(settings: Settings, kind: ReportKind, extra: Partial<Pick<ReportEnvelope, 'resultDestination' | 'attachments'>> = {}): ReportEnvelope {
    return buildEnvelope(settings, { kind, method: 'express-https', hostName: hostName(), now: ctx.now(), ...extra });
  }

  /** Where the center answers a test or opening report: the opening's result mail, else the customer's. */
  function defaultResult(settings: Settings): ReportEnvelope['resultDestination'] {
    const address = settings.opening?.resultMail || settings.opening?.customer.email || '';
    return address ? { kind: 'mail', address } : null;
  }

  async function syntaxErrors(): Promise<InfDiagnosticData[]> {
    await ensureDefinitionFiles(ctx.dataDir);
    const results = await Promise.all([readDefinition(ctx.dataDir, 'log'), readDefinition(ctx.dataDir, 'hbi')]);
    return results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error'));
  }

  /** Collects AMHTPHBI.INF [Tools] and sends the configuration report; progress goes to the window. */
  async function sendConfiguration(settings: Settings, reporter: Reporter, signal: AbortSignal): Promise<Delivery> {
    const progress = (phase: 'tools' | 'scan' | 'zip' | 'send' | 'done', done: number, total: number, detail?: string) =>
      ctx.emit({ type: 'progress', task: 'configuration', phase, done, total, detail });
    const hbi = await readDefinition(ctx.dataDir, 'hbi');
    const value = hbi.value as HbiDefinition;
    const archive = await collect(
      {
        tools: value.tools.command || value.tools.logFiles.length ? [{ name: 'Tools', ...value.tools }] : [],
        timeoutSeconds: value.timeoutSeconds,
        maxBytes: value.maxSizeBytes,
        archiveName: 'config.zip',
      },
      { signal, tempDir: options.tempDir, onProgress: (p) => progress(p.phase, p.done, p.total, p.detail) },
    );
    try {
      progress('send', 0, 1);
      const attachment = archiveAttachment(archive, 'config.zip');
      const report = { envelope: envelope(settings, 'heartbeat', { attachments: [{ name: attachment.name, size: attachment.size, sha256: attachment.sha256 }] }), attachments: [attachment] };
      const delivery = await reporter.send(report, { signal });
      progress('done', 1, 1);
      return delivery;
    } finally {
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
          return { kind, path, exists, ok: r?.ok ?? false, diagnostics: r?.diagnostics ?? [] };
        }),
      );
      return { dir, files };
    },

    'https:loadAddressFile': async () => {
      const lang = ctx.language();
      const file = definitionPath(ctx.dataDir, 'adr');
      const adr = await readDefinition(ctx.dataDir, 'adr');
      const errors = adr.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        throw new ApiError({
          code: 'invalid-value',
          field: 'methods.express-https.url1',
          message: translate(lang, 'error.address-file', { file }),
          details: errors.map((d) => `${DEFINITION_FILE_NAMES.adr}:${d.line}: ${d.message}`),
        });
      }
      const value = adr.value as { url1: string | null; url2: string | null };
      const url1 = value.url1 ?? '';
      const url2 = value.url2 ?? '';
      await ctx.mutate((s) => ({ ...s, methods: { ...s.methods, 'express-https': { ...s.methods['express-https'], url1, url2, testedAt: null } } }));
      return { path: file, url1, url2 };
    },

    'report:test': ({ destination, result }) =>
      exclusive(async (signal) => {
        const settings = await ctx.current();
        const reporter = reporterFor(settings, destination);
        const delivery = await reporter.send({ envelope: envelope(settings, 'test', { resultDestination: result }), attachments: [] }, { signal });
        if (delivery.ok) {
          await ctx.mutate((s) => ({ ...s, methods: { ...s.methods, 'express-https': { ...s.methods['express-https'], testedAt: ctx.now().toISOString() } } }));
        }
        return outcomeOf(delivery, ctx.language());
      }),

    'report:opening': ({ destination, ignoreSyntaxErrors }) =>
      exclusive(async (signal): Promise<Result<'report:opening'>> => {
        const lang = ctx.language();
        const settings = await ctx.current();
        if (!settings.methods['express-https'].testedAt) throw fail('not-ready', lang, 'error.test-first', 'methods.express-https.testedAt');
        const reporter = reporterFor(settings, destination);
        if (!ignoreSyntaxErrors) {
          const diagnostics = await syntaxErrors();
          if (diagnostics.length > 0) return { stage: 'syntax', diagnostics };
        }
        const delivery = await reporter.send({ envelope: envelope(settings, 'opening', { resultDestination: defaultResult(settings) }), attachments: [] }, { signal });
        const outcome = outcomeOf(delivery, lang);
        if (!delivery.ok) {
          return { stage: 'failed', outcome, canTrySecondary: destination === 1 && settings.methods['express-https'].url2.trim() !== '' };
        }
        const saved = await ctx.mutate((s) => ({
          ...s,
          methods: { ...s.methods, 'express-https': { ...s.methods['express-https'], openingReportedAt: ctx.now().toISOString() } },
        }));
        let configuration: DeliveryOutcome;
        try {
          configuration = outcomeOf(await sendConfiguration(saved, reporter, signal), lang);
        } catch (err) {
          const detail = err instanceof Error ? err.message : String(err);
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

  async function sendScheduledConfiguration(): Promise<DeliveryOutcome | null> {
    const settings = await ctx.current();
    const m = settings.methods['express-https'];
    if (!m.enabled || m.route !== 'https' || running) return null;
    return exclusive(async (signal) => {
      let last: DeliveryOutcome | null = null;
      for (const destination of [1, 2] as const) {
        if (!(destination === 1 ? m.url1 : m.url2).trim()) continue;
        last = outcomeOf(await sendConfiguration(settings, reporterFor(settings, destination), signal), ctx.language());
        if (last.delivered) break;
      }
      return last;
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
