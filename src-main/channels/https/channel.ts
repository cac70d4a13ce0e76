/**
 * Express Report (HTTPS) as a channel (../channel.ts): the destinations are URL1 / URL2 of the
 * method's settings (AMHTPADR.INF), sent to by the HTTPS reporter, directly or through the
 * proxy; the opening report checks the WebReprt definition files first and sends the
 * configuration report (AMHTPHBI.INF) after; the configuration report also runs on its schedule.
 */
import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import { DEFAULT_LANE } from '../../queue';
import { configurationAfterOpening, scheduledConfiguration, syntaxErrors } from '../../reports/configuration-report';
import { ensureDefinitionFiles } from '../../reports/definition-dir';
import type { Channel, ChannelDestination } from '../channel';
import type { Reporter } from '../reporter';
import { definitionHandlers } from './definition-handlers';
import { createHttpsReporter, type HttpsReporterConfig } from './https-reporter';

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
    // A manager forwards for many agents: more attempts at a time on its lane (the center deduplicates by id).
    limits: (_settings, method) => (method === 'manager-express-https' ? { ...DEFAULT_LANE, concurrency: 16 } : DEFAULT_LANE),
    opening: { check: syntaxErrors, after: configurationAfterOpening },
    prepare: async (dataDir) => {
      // The HTTPS edition's definition files are there for an administrator to edit from the start.
      await ensureDefinitionFiles(dataDir);
    },
    handlers: (deps) => definitionHandlers(deps.ctx),
    services: (deps) => [scheduledConfiguration(deps, 'https')],
  };
}
