/**
 * An agent whose manager presented a new certificate refuses it (step `manager-cert`) and keeps
 * its reports. Once the administrator accepts the new one (the window's 証明書の確認, or
 * `manager trust`), the reports it refused go at once, not at their next retry minutes later.
 */
import type { ChannelDeps, ChannelService } from '../channel';
import { AGENT_METHODS, type AgentMethod } from './heartbeat';

export function pinWatch(deps: ChannelDeps): ChannelService {
  const pinned = new Map<AgentMethod, string>();
  let looking: Promise<void> = Promise.resolve();
  const look = (act: boolean) => {
    looking = looking.then(async () => {
      const settings = await deps.ctx.current();
      for (const method of AGENT_METHODS) {
        const now = settings.methods[method].manager.fingerprint;
        const before = pinned.get(method);
        pinned.set(method, now);
        if (!act || before === undefined || now === '' || now === before) continue;
        const count = await deps.pipeline.retryNow(method, 'manager-cert');
        if (count > 0) deps.log(`relay: ${method}: the manager certificate ${now} was accepted; ${count} report(s) it refused go now`);
      }
    }).catch((err: unknown) => deps.log(`relay: the reports refused by the manager's certificate are not tried again now: ${(err as Error).message}`));
  };
  return {
    start: () => look(false),
    stop: () => looking,
    settingsChanged: () => look(true),
  };
}
