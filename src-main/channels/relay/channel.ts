/**
 * マネージャ経由 as a channel (../channel.ts), named `manager-target` (registry.ts routeOf maps
 * the route `manager` of Express and Express (HTTPS) to it). The agent side: one destination,
 * the manager at `methods.<method>.manager.host:port`, sent to over the relay link
 * (docs/formats/relay.md); Express (HTTPS) keeps its opening check and configuration report.
 * The manager side runs as this channel's services: one receive service per manager method,
 * listening while the method is enabled, and the agents list; the manager forwards what it
 * receives on its own method's lane through whatever channel routeOf gives that method.
 */
import { z } from 'zod';
import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import { DEFAULT_LANE } from '../../queue';
import { configurationAfterOpening, scheduledConfiguration, syntaxErrors } from '../../reports/configuration-report';
import type { Channel, ChannelDeps, ChannelService } from '../channel';
import { AgentBook } from './agents';
import { createRelayReporter, type RelayTarget } from './agent-reporter';
import { heartbeatService, type AgentMethod } from './heartbeat';
import { pinWatch } from './pin-watch';
import { relayHandlers } from './handlers';
import type { ManagerMethod } from './intake';
import type { ReceiverLimits } from './receiver';
import { ReceiveService } from './receive-service';

export interface RelayChannelOptions {
  /** the link's time limit: connecting and the hello, and the longest silence while a report is in hand (default 30 s) */
  timeoutMs?: number;
  /** how long a report that waits for its forward may take (default 150 s: the HTTPS reporter's 120 s and some) */
  forwardTimeoutMs?: number;
  /** where a manager listens (default every interface, or EXPRESS_REPORT_RELAY_LISTEN) */
  listenHost?: string;
  limits?: Partial<ReceiverLimits>;
  /** how often the agent looks whether a heartbeat is due (default one minute) */
  heartbeatCheckMs?: number;
  heartbeatFirstMs?: number;
}

const limitsSchema = z
  .object({
    maxConnections: z.number().int().min(1),
    maxPending: z.number().int().min(1),
    helloMs: z.number().int().min(100),
    idleMs: z.number().int().min(100),
    maxReportBytes: z.number().int().min(0),
    maxInFlight: z.number().int().min(1),
    keepaliveMs: z.number().int().min(100),
    maxWriteBacklog: z.number().int().min(1024),
  })
  .partial()
  .strict();

/** The receive services' limits from EXPRESS_REPORT_RELAY_LIMITS (JSON, docs/operations.md); a bad value is said and ignored. */
function limitsFromEnv(text: string | undefined): Partial<ReceiverLimits> {
  if (!text) return {};
  try {
    return limitsSchema.parse(JSON.parse(text));
  } catch (err) {
    process.stderr.write(`EXPRESS_REPORT_RELAY_LIMITS is ignored: ${(err as Error).message.split('\n')[0]}\n`);
    return {};
  }
}

export const MANAGER_METHODS: readonly ManagerMethod[] = ['manager-express', 'manager-express-https'];

function agentMethod(method: MethodName): AgentMethod {
  if (method !== 'express' && method !== 'express-https') throw new Error(`the manager-target channel does not carry ${method}`);
  return method;
}

/** What the link to the manager of `method` is made with. */
export function relayTarget(settings: Settings, method: MethodName, timeoutMs: number): RelayTarget {
  const m = settings.methods[agentMethod(method)].manager;
  return { host: m.host, port: m.port, key: m.key, fingerprint: m.fingerprint, caFile: m.caFile, heartbeatHours: m.heartbeatHours, timeoutMs };
}

/** The manager side's parts, shared by the channel's services and its handlers. */
export interface ManagerSide {
  receivers: Map<ManagerMethod, ReceiveService>;
  agents: AgentBook | null;
}

export function relayChannel(options: RelayChannelOptions = {}): Channel {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const forwardTimeoutMs = options.forwardTimeoutMs ?? 150_000;
  const listenHost = options.listenHost ?? process.env.EXPRESS_REPORT_RELAY_LISTEN ?? '0.0.0.0';
  const limits = { ...limitsFromEnv(process.env.EXPRESS_REPORT_RELAY_LIMITS), ...options.limits };
  const side: ManagerSide = { receivers: new Map(), agents: null };
  // The deps of the service this channel is registered in (the first report pins the manager's certificate through them).
  let bound: ChannelDeps | null = null;

  /** The first report that reached a manager pins its certificate, unless the settings changed meanwhile. */
  const pin = (method: AgentMethod, target: RelayTarget) => async (fingerprint: string) => {
    await bound?.ctx.mutate((s) => {
      const m = s.methods[method].manager;
      if (m.fingerprint || m.caFile || m.host !== target.host || m.port !== target.port) return s;
      bound?.log(`relay: pinned the certificate ${fingerprint} of the manager ${m.host}:${m.port} for ${method}`);
      return { ...s, methods: { ...s.methods, [method]: { ...s.methods[method], manager: { ...m, fingerprint } } } };
    });
  };

  const bookFor = (deps: ChannelDeps): AgentBook => (side.agents ??= new AgentBook(deps.ctx.dataDir, () => deps.ctx.now(), (line) => deps.log(line)));

  return {
    name: 'manager-target',
    deliveryFields: () => ['manager.host', 'manager.port', 'manager.key', 'manager.caFile'],
    destinations(settings, method, pin) {
      const m = settings.methods[agentMethod(method)].manager;
      return m.host.trim() && (pin === null || pin === 1) ? [{ index: 1, label: `${m.host.trim()}:${m.port}` }] : [];
    },
    reporter(settings, method, _destination) {
      const a = agentMethod(method);
      // A report that waits for the forward to the center gets that much longer.
      const target = relayTarget(settings, a, timeoutMs);
      return createRelayReporter({ ...target, timeoutMs: Math.max(timeoutMs, forwardTimeoutMs) }, { onFirstContact: pin(a, target) });
    },
    destinationField: (method) => `methods.${method}.manager.host`,
    destinationMissing: 'manager-host',
    limits: () => DEFAULT_LANE,
    opening: {
      check: async (deps) => ((await deps.ctx.current()).methods['express-https'].route === 'manager' ? syntaxErrors(deps) : []),
      after: async (deps, report) => (report.method === 'express-https' ? configurationAfterOpening(deps, report) : null),
    },
    handlers: (deps) => {
      bound = deps;
      return relayHandlers(deps, side, { bookFor, timeoutMs });
    },
    services: (deps): ChannelService[] => {
      bound = deps;
      const book = bookFor(deps);
      for (const method of MANAGER_METHODS) side.receivers.set(method, new ReceiveService(deps, method, book, { listenHost, limits, recheckMs: 30_000 }));
      return [
        ...side.receivers.values(),
        heartbeatService(deps, { checkMs: options.heartbeatCheckMs ?? 60_000, firstMs: options.heartbeatFirstMs ?? 10_000, target: (s, m) => relayTarget(s, m, timeoutMs) }),
        scheduledConfiguration(deps, 'manager'),
        pinWatch(deps),
      ];
    },
  };
}
