/**
 * [テスト通報] and [開局通報] for every method, and the キャンセル of the long work in hand: one
 * flow whatever the channel. The method's channel (channels/registry.ts) says where its
 * destinations are and what the opening report does before and after; the rule "an opening
 * report only after a successful test, and a changed destination needs a new test" is the same
 * for all, keyed by the delivery fields each channel declares (drafts.ts).
 */
import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { MethodName } from '../../src-shared/methods';
import type { ReportEnvelope } from '../../src-shared/report';
import type { Settings } from '../../src-shared/settings';
import type { Channel, ChannelDeps } from '../channels/channel';
import { requireChannel, type ChannelRegistry } from '../channels/registry';
import type { Handlers, ServiceContext } from '../core/handlers';
import { serviceEnded } from '../core/report-handlers';
import { checkDraftKeys, hasOpeningReport, type SettingsChanges, type TestedMemory } from './drafts';
import { itemOutcome } from './outcome';
import type { ReportPipeline, SettingsOverlay } from './pipeline';

type FlowHandlers = Pick<Handlers, 'report:test' | 'report:opening' | 'report:cancel'>;

export interface ReportFlowsDeps {
  ctx: ServiceContext;
  pipeline: ReportPipeline;
  registry: () => ChannelRegistry;
  tested: TestedMemory;
  /** the stored settings with a draft applied, checked as OK checks it */
  applyChanges(current: Settings, changes: SettingsChanges): Settings;
  log(line: string): void;
}

export interface ReportFlows {
  handlers: FlowHandlers;
  /** what channels' hooks, handlers and services get */
  channelDeps: ChannelDeps;
  /** Stops the work in hand (service shutdown). */
  cancel(): void;
}

function fail(code: 'invalid-value' | 'not-ready', lang: Language, key: MessageKey, field: string, params: Record<string, string> = {}): ApiError {
  return new ApiError({ code, field, message: translate(lang, key, params) });
}

/** Where the center answers an opening report: the opening's result mail, else the customer's. */
function defaultResult(settings: Settings): ReportEnvelope['resultDestination'] {
  const address = settings.opening?.resultMail || settings.opening?.customer.email || '';
  return address ? { kind: 'mail', address } : null;
}

export function reportFlows(deps: ReportFlowsDeps): ReportFlows {
  const { ctx, pipeline, tested } = deps;
  let running: AbortController | null = null;

  function exclusive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (running) throw new ApiError({ code: 'busy', message: translate(ctx.language(), 'error.busy') });
    const controller = new AbortController();
    running = controller;
    return work(controller.signal).finally(() => {
      running = null;
    });
  }

  /**
   * The settings a test or the opening report uses: the stored ones, with the window's draft over
   * them (checked as OK checks it). The draft goes with the report only (pipeline.sendAndWait);
   * nothing is stored.
   */
  async function screenSettings(method: MethodName, draft: SettingsChanges | undefined): Promise<{ stored: Settings; settings: Settings; overlay: SettingsOverlay | undefined }> {
    const stored = await ctx.current();
    if (!draft || Object.keys(draft).length === 0) return { stored, settings: stored, overlay: undefined };
    checkDraftKeys(draft, method, ctx.language());
    return { stored, settings: deps.applyChanges(stored, draft), overlay: (s) => deps.applyChanges(s, draft) };
  }

  /** The channel that sends to destination 1 or 2 now, or the refusal saying why it cannot. */
  function checkDestination(settings: Settings, method: MethodName, destination: 1 | 2): Channel {
    const lang = ctx.language();
    if (!settings.opening) throw fail('not-ready', lang, 'missing.opening', 'opening');
    const channel = requireChannel(deps.registry(), settings, method, lang);
    if (channel.destinations(settings, method, destination).length === 0) {
      throw fail('invalid-value', lang, `missing.${channel.destinationMissing}`, channel.destinationField(method, destination));
    }
    const refused = channel.refuse?.(settings, method, destination, lang);
    if (refused) throw refused;
    if (!ctx.reporting()) throw serviceEnded(lang);
    return channel;
  }

  function setState(method: MethodName, key: 'testedAt' | 'openingReportedAt', at: string): Promise<Settings> {
    return ctx.mutate((s) => ({ ...s, methods: { ...s.methods, [method]: { ...s.methods[method], [key]: at } } }));
  }

  const channelDeps: ChannelDeps = { ctx, pipeline, exclusive, busy: () => running !== null, log: (line) => deps.log(line) };

  const handlers: FlowHandlers = {
    'report:test': ({ method, destination, result, draft }) =>
      exclusive(async (signal) => {
        const { settings, overlay } = await screenSettings(method, draft);
        checkDestination(settings, method, destination);
        const envelope = pipeline.envelope('test', method, { resultDestination: result });
        const item = await pipeline.sendAndWait(envelope, [], { pin: destination, singleAttempt: true }, signal, overlay);
        if (item.state === 'delivered' && hasOpeningReport(settings, method)) {
          const at = ctx.now().toISOString();
          // A draft's test is remembered until its OK stores it; a test of the stored values (the CLI) is stored at once.
          if (overlay) tested.record(method, settings, at);
          else await setState(method, 'testedAt', at);
        }
        return itemOutcome(item, ctx.language());
      }),

    'report:opening': ({ method, destination, ignoreSyntaxErrors, draft }) =>
      exclusive(async (signal) => {
        const lang = ctx.language();
        const { stored, settings, overlay } = await screenSettings(method, draft);
        if (!hasOpeningReport(settings, method)) {
          throw fail('not-ready', lang, 'error.no-opening-report', `methods.${method}`, { method: translate(lang, `method.${method}`) });
        }
        // The seed: the opening report only after a successful test — of the values it is sent with.
        if (!tested.testedAt(method, settings, stored)) throw fail('not-ready', lang, 'error.test-first', `methods.${method}.testedAt`);
        const channel = checkDestination(settings, method, destination);
        if (!ignoreSyntaxErrors && channel.opening?.check) {
          const diagnostics = await channel.opening.check(channelDeps);
          if (diagnostics.length > 0) return { stage: 'syntax' as const, diagnostics };
        }
        const envelope = pipeline.envelope('opening', method, { resultDestination: defaultResult(settings) });
        const item = await pipeline.sendAndWait(envelope, [], { pin: destination, singleAttempt: true }, signal, overlay);
        const outcome = itemOutcome(item, lang);
        if (item.state !== 'delivered') {
          return { stage: 'failed' as const, outcome, canTrySecondary: destination === 1 && channel.destinations(settings, method, 2).length > 0 };
        }
        // The center has opened the service: a fact, stored at once, which the dialog's キャンセル does not undo.
        await setState(method, 'openingReportedAt', ctx.now().toISOString());
        const configuration = channel.opening?.after
          ? await channel.opening.after(channelDeps, { method, destination, label: outcome.destination, signal, overlay })
          : null;
        return { stage: 'done' as const, outcome, configuration };
      }),

    'report:cancel': async () => {
      const had = running !== null;
      running?.abort();
      return { cancelled: had };
    },
  };

  return { handlers, channelDeps, cancel: () => running?.abort() };
}
