/**
 * The seam every report channel plugs into (docs/architecture.md "Adding a channel"). A channel
 * is how a method's reports travel — HTTPS, internet mail, a modem, a manager — and one object
 * says everything the service needs of it: where the destinations are, how to send to one, what
 * a test of the method covers, what the opening report does before and after, its own API
 * handlers and background services, and the limits of its lane in the queue. The pipeline, the
 * generic test and opening flows and the service ask the registry (./registry.ts); none of them
 * names a channel.
 */
import type { DeliveryOutcome, InfDiagnosticData } from '../../src-shared/api';
import type { ApiError } from '../../src-shared/errors';
import type { Language } from '../../src-shared/i18n';
import type { MethodName } from '../../src-shared/methods';
import type { MissingItem } from '../../src-shared/readiness';
import type { Settings } from '../../src-shared/settings';
import type { Handlers, ServiceContext } from '../core/handlers';
import type { LaneLimits } from '../queue';
import type { ReportPipeline, SettingsOverlay } from '../reports/pipeline';
import type { Reporter } from './reporter';

/** One destination of a method: primary (1) or secondary (2). */
export interface ChannelDestination {
  index: 1 | 2;
  /** what the history and the window show (a URL, an address, a phone number) */
  label: string;
}

/** What a channel's hooks, handlers and services may use of the service. */
export interface ChannelDeps {
  ctx: ServiceContext;
  pipeline: ReportPipeline;
  /**
   * Runs long work that a window waits for (a test, an opening report, a collection) one at a
   * time; a second one is refused as busy. `report:cancel` aborts the signal.
   */
  exclusive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** whether long work is in hand (a scheduled job skips its turn then) */
  busy(): boolean;
  log(line: string): void;
}

/** Work a channel does with nobody at the window (a schedule, a receiver); started with the service's background. */
export interface ChannelService {
  start(): void;
  stop(): Promise<void> | void;
  /** the settings were changed (saved by a window, the CLI, an action): a service that follows them looks again */
  settingsChanged?(): void;
}

/** What the opening report of a method does besides the report itself. */
export interface OpeningHooks {
  /** checked before the report (HTTPS: the definition files); errors stop it unless ignored */
  check?(deps: ChannelDeps): Promise<InfDiagnosticData[]>;
  /**
   * sent after a delivered opening report, to the same destination with the same draft (HTTPS:
   * the configuration report); its outcome is the flow's `configuration` (null: nothing was sent)
   */
  after?(deps: ChannelDeps, report: { method: MethodName; destination: 1 | 2; label: string; signal: AbortSignal; overlay?: SettingsOverlay }): Promise<DeliveryOutcome | null>;
}

export interface Channel {
  /** the registry's key: the route that picks it (registry.ts routeOf) */
  readonly name: string;
  /**
   * The keys below `methods.<method>.` that decide where and how the method delivers: a test of
   * these values is a test of the method, and a changed one needs a new test (the seed's rule).
   */
  deliveryFields(method: MethodName): readonly string[];
  /** The destinations in order (primary, secondary), or only the pinned one; empty when none is set up. */
  destinations(settings: Settings, method: MethodName, pin: number | null): ChannelDestination[];
  /** The reporter for one destination. */
  reporter(settings: Settings, method: MethodName, destination: ChannelDestination): Reporter;
  /**
   * Why destination `index` cannot be sent to now (for a test or an opening report), or null;
   * asked after the generic checks (opening, service ended).
   */
  refuse?(settings: Settings, method: MethodName, index: 1 | 2, lang: Language): ApiError | null;
  /** the settings key the window shows when destination `index` is missing */
  destinationField(method: MethodName, index: 1 | 2): string;
  /** what the refusal says is missing then (`missing.<item>` in the catalogues) */
  readonly destinationMissing: MissingItem;
  /** the lane's limits in the queue (a modem is one line) */
  limits(settings: Settings, method: MethodName): LaneLimits;
  opening?: OpeningHooks;
  /** sets up what the channel keeps in the data folder (at every open of the service) */
  prepare?(dataDir: string): Promise<void>;
  /** the channel's own API methods (each key has one owner: the registry refuses a second) */
  handlers?(deps: ChannelDeps): Partial<Handlers>;
  services?(deps: ChannelDeps): ChannelService[];
}
