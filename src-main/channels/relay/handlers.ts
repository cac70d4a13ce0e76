/**
 * The relay's contract methods (src-shared/relay-api.ts): the manager's receive services, its
 * relay key, its agents, 宛先登録; the agent's look at the manager's certificate and the
 * acceptance of a new one.
 */
import { ApiError } from '../../../src-shared/errors';
import { translate } from '../../../src-shared/i18n';
import type { Settings } from '../../../src-shared/settings';
import type { Handlers } from '../../core/handlers';
import { KeyFileError, parseKeyFile, readKeyFile, type KeyFile } from '../../opening/keyfile';
import type { ChannelDeps } from '../channel';
import { AgentLink } from './agent-link';
import { linkConfig } from './agent-reporter';
import { isSilent, type AgentBook } from './agents';
import type { ManagerSide } from './channel';
import { relayTarget } from './channel';
import { forwardProblem } from './intake';
import { existingFingerprint, managerRelayKey } from './manager-files';
import { RelayError } from './relay-error';
import { itemOutcome } from '../../reports/outcome';

/** Why a receive service cannot listen, in the user's words: a port another program holds, one not allowed, or the system's own text. */
function problemKey(code: string | null | undefined): 'relay.receiver.inUse' | 'relay.receiver.denied' | 'relay.receiver.problem' {
  if (code === 'EADDRINUSE') return 'relay.receiver.inUse';
  if (code === 'EACCES') return 'relay.receiver.denied';
  return 'relay.receiver.problem';
}

type RelayHandlers = Pick<Handlers, 'manager:status' | 'manager:key' | 'manager:agents' | 'manager:register' | 'manager:probe' | 'manager:trust' | 'manager:reachTest'>;

const MANAGER_METHODS = ['manager-express', 'manager-express-https'] as const;

export function relayHandlers(deps: ChannelDeps, side: ManagerSide, options: { bookFor(deps: ChannelDeps): AgentBook; timeoutMs: number }): RelayHandlers {
  const { ctx } = deps;

  async function loadKeyFile(source: { path: string } | { name: string; contentBase64: string }): Promise<KeyFile> {
    try {
      if ('path' in source) return await readKeyFile(source.path, { now: ctx.now() });
      return parseKeyFile(Buffer.from(source.contentBase64, 'base64'), source.name, { now: ctx.now() });
    } catch (err) {
      if (err instanceof KeyFileError) throw new ApiError({ code: 'key-file', message: translate(ctx.language(), 'error.key-file', { reason: err.reasonIn(ctx.language()) }) });
      throw err;
    }
  }

  return {
    'manager:status': async () => {
      const settings = await ctx.current();
      const lang = ctx.language();
      const receivers = await Promise.all(
        MANAGER_METHODS.map(async (method) => {
          const m = settings.methods[method];
          const status = side.receivers.get(method)?.status() ?? { listening: false, address: null, connections: 0, problem: null };
          const why = m.enabled ? forwardProblem(deps, settings, method) : null;
          return {
            method,
            enabled: m.enabled,
            port: m.receivePort,
            listening: status.listening,
            address: status.address,
            connections: status.connections,
            problem: status.problem ? translate(lang, problemKey(status.problemCode), { port: m.receivePort, detail: status.problem }) : null,
            forwardProblem: why ? translate(lang, 'relay.forward.problem', { detail: why }) : null,
          };
        }),
      );
      return { fingerprint: await existingFingerprint(ctx.dataDir), receivers };
    },

    'manager:key': async ({ renew }) => {
      const key = await managerRelayKey(ctx.dataDir, renew);
      if (renew) {
        // The links proved the old key: they are closed, so that every agent proves the new one.
        let dropped = 0;
        for (const receiver of side.receivers.values()) dropped += receiver.dropConnections();
        deps.log(`relay: a new relay key was made; ${dropped} open link(s) closed; agents with the old one are refused until they have the new one`);
      }
      return { key, renewed: renew };
    },

    'manager:agents': async () => {
      const now = ctx.now();
      const lang = ctx.language();
      const agents = (await options.bookFor(deps).list()).map((a) => {
        const silent = isSilent(a, now);
        const notice = silent
          ? translate(lang, 'relay.agent.silent', { server: a.serverName, code: a.userSystemCode, since: new Date(a.lastSeenAt).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US'), hours: a.heartbeatHours * 2 })
          : null;
        return { ...a, silent, notice };
      });
      agents.sort((x, y) => x.serverName.localeCompare(y.serverName) || x.userSystemCode.localeCompare(y.userSystemCode));
      return { agents, silent: agents.filter((a) => a.silent).length };
    },

    'manager:register': async ({ file }) => {
      const k = await loadKeyFile(file);
      const at = ctx.now().toISOString();
      const d = k.destinations;
      await ctx.mutate((s): Settings => {
        const m = s.methods['manager-express'];
        return {
          ...s,
          methods: {
            ...s.methods,
            'manager-express': {
              ...m,
              destinationsRegisteredAt: at,
              centerCertificatePem: k.centerCertificatePem,
              mail: { ...m.mail, destination: d.mail },
              dialup: { ...m.dialup, primary: { ...m.dialup.primary, number: d.phonePrimary }, secondary: { ...m.dialup.secondary, number: d.phoneSecondary } },
            },
          },
        };
      });
      deps.log(`relay: the center's destinations were registered from the key file of ${k.userSystemCode}`);
      return { registeredAt: at, destinations: { mail: d.mail, phonePrimary: d.phonePrimary, phoneSecondary: d.phoneSecondary }, userSystemCode: k.userSystemCode };
    },

    'manager:probe': async ({ method, draft }) => {
      const lang = ctx.language();
      let settings = await ctx.current();
      for (const [key, value] of Object.entries(draft ?? {})) {
        if (!key.startsWith(`methods.${method}.`)) throw new ApiError({ code: 'invalid-value', field: key, message: translate(lang, 'error.draft-key', { field: key, method }) });
        settings = ctx.withValue(settings, key, value);
      }
      const target = relayTarget(settings, method, options.timeoutMs);
      const envelope = deps.pipeline.envelope('test', method);
      const pinned = target.fingerprint;
      // No pin while probing: the manager's proof of the key over the certificate seen is the check.
      const config = await linkConfig({ ...target, fingerprint: '' }, { userSystemCode: envelope.contract.userSystemCode, serverName: envelope.server.serverName });
      const address = `${target.host}:${target.port}`;
      if (config instanceof RelayError) return { reached: false, fingerprint: null, pinned, matches: false, forward: null, message: translate(lang, 'relay.probe.failed', { address, detail: config.message }) };
      try {
        const link = await AgentLink.open(config);
        link.close();
        const fp = link.fingerprint;
        const key = !pinned ? 'relay.probe.new' : fp === pinned ? 'relay.probe.matches' : 'relay.probe.changed';
        return { reached: true, fingerprint: fp, pinned, matches: fp === pinned, forward: link.forward, message: translate(lang, key, { address, fingerprint: fp, pinned }) };
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        return { reached: false, fingerprint: null, pinned, matches: false, forward: null, message: translate(lang, 'relay.probe.failed', { address, detail }) };
      }
    },

    'manager:reachTest': ({ destination, userId }) =>
      deps.exclusive(async (signal) => {
        const lang = ctx.language();
        const settings = await ctx.current();
        const m = settings.methods['manager-express'];
        if (m.forward === null) throw new ApiError({ code: 'not-ready', field: 'methods.manager-express.forward', message: translate(lang, 'missing.forward') });
        const base = deps.pipeline.envelope('reach-test', 'manager-express');
        // The center checks the route of the agent named by the ユーザ ID, not this manager's contract.
        const envelope = { ...base, contract: { userSystemCode: userId, keyCode: '' } };
        const item = await deps.pipeline.sendAndWait(envelope, [], { pin: destination, singleAttempt: true }, signal);
        return itemOutcome(item, lang);
      }),

    'manager:trust': async ({ method, fingerprint }) => {
      const saved = await ctx.mutate((s) => ({ ...s, methods: { ...s.methods, [method]: { ...s.methods[method], manager: { ...s.methods[method].manager, fingerprint } } } }));
      deps.log(fingerprint ? `relay: the manager certificate ${fingerprint} was accepted for ${method}` : `relay: the pinned manager certificate of ${method} was forgotten`);
      return { pinned: saved.methods[method].manager.fingerprint };
    },
  };
}
