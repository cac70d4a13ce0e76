/**
 * The agent's heartbeat to its manager: a `heartbeat` frame (not a report: nothing goes to the
 * center) soon after the service starts and then every `heartbeatHours`, for each method that
 * is enabled and reports through a manager. The manager's agents list shows it and notices an
 * agent silent for more than twice its interval. A heartbeat that fails is tried again at the
 * next check; it is never queued.
 */
import type { Settings } from '../../../src-shared/settings';
import type { ChannelDeps, ChannelService } from '../channel';
import { linkConfig, linkFor, type RelayTarget } from './agent-reporter';
import { RelayError } from './relay-error';
import { errorText } from '../../lib/error-text';

export type AgentMethod = 'express' | 'express-https';
export const AGENT_METHODS: readonly AgentMethod[] = ['express', 'express-https'];

export interface HeartbeatOptions {
  /** how often it looks whether a heartbeat is due (default one minute) */
  checkMs: number;
  /** the first one after the start (default 10 s) */
  firstMs: number;
  target(settings: Settings, method: AgentMethod): RelayTarget;
}

export function viaManager(settings: Settings, method: AgentMethod): boolean {
  return settings.methods[method].enabled && settings.methods[method].route === 'manager';
}

export function heartbeatService(deps: ChannelDeps, options: HeartbeatOptions): ChannelService {
  const last = new Map<AgentMethod, number>();
  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  let beating = false;

  const beat = async (): Promise<void> => {
    if (beating) return;
    beating = true;
    try {
      const settings = await deps.ctx.current();
      for (const method of AGENT_METHODS) {
        if (!viaManager(settings, method)) continue;
        const target = options.target(settings, method);
        const due = (last.get(method) ?? 0) + target.heartbeatHours * 3600_000;
        if (Date.now() < due) continue;
        const envelope = deps.pipeline.envelope('heartbeat', method);
        const config = await linkConfig(target, { userSystemCode: envelope.contract.userSystemCode, serverName: envelope.server.serverName });
        if (config instanceof RelayError) continue;
        try {
          const link = await linkFor(config);
          await link.heartbeat();
          last.set(method, Date.now());
        } catch (err) {
          deps.log(`relay: the heartbeat to the manager ${target.host}:${target.port} (${method}) failed: ${errorText(err)}`);
        }
      }
    } finally {
      beating = false;
    }
  };

  return {
    start() {
      first = setTimeout(() => void beat(), options.firstMs);
      timer = setInterval(() => void beat(), options.checkMs);
      first.unref();
      timer.unref();
    },
    stop() {
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      first = timer = null;
    },
  };
}
