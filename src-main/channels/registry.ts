/**
 * The channels the service knows, and `channelOf`: the one place where a method's route picks
 * its channel. A channel is one line in DEFAULT_CHANNELS; a route whose channel is not
 * registered (this version has no reporter for it) is not delivered, and a test or opening
 * report of it is refused with that reason.
 */
import { ApiError } from '../../src-shared/errors';
import { translate, type Language, type MessageKey } from '../../src-shared/i18n';
import { assertNever, type MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import type { Channel } from './channel';
import { httpsChannel, type HttpsChannelOptions } from './https/channel';
import { relayChannel, type RelayChannelOptions } from './relay/channel';
import { mailChannel, type MailChannelOptions } from './mail/channel';
import { dialupChannel, type DialupChannelOptions } from './dialup/channel';

/** The channels by name; later ones of the same name replace earlier ones (a test registers its own). */
export type ChannelRegistry = ReadonlyMap<string, Channel>;

export interface ChannelOptions {
  /** every reporter's time limit (tests shorten it) */
  timeoutMs?: number;
  https?: HttpsChannelOptions;
  relay?: RelayChannelOptions;
  mail?: MailChannelOptions;
  dialup?: DialupChannelOptions;
}

/** The product's channels. */
export function defaultChannels(options: ChannelOptions = {}): Channel[] {
  return [
    httpsChannel({ timeoutMs: options.timeoutMs, ...options.https }),
    mailChannel({ timeoutMs: options.timeoutMs, ...options.mail }),
    dialupChannel(options.dialup),
    relayChannel({ ...options.relay }),
  ];
}

export function channelRegistry(channels: readonly Channel[]): ChannelRegistry {
  return new Map(channels.map((c) => [c.name, c]));
}

/**
 * The route a method's reports take now: the name of the channel that carries them, or null
 * when the method has no route chosen yet (通報手段 not set).
 */
export function routeOf(settings: Settings, method: MethodName): string | null {
  switch (method) {
    case 'express': {
      const route = settings.methods.express.route;
      return route === 'manager' ? 'manager-target' : route;
    }
    case 'express-https':
      return settings.methods['express-https'].route === 'manager' ? 'manager-target' : 'https';
    case 'manager-express':
      return settings.methods['manager-express'].forward;
    case 'manager-express-https':
      return 'https';
    default:
      return assertNever(method);
  }
}

/** The channel that carries the method's reports now, or null (no route, or none registered for it). */
export function channelOf(registry: ChannelRegistry, settings: Settings, method: MethodName): Channel | null {
  const route = routeOf(settings, method);
  return route === null ? null : (registry.get(route) ?? null);
}

/** The channel, or the refusal saying why the method cannot send: no route chosen, or none in this version. */
export function requireChannel(registry: ChannelRegistry, settings: Settings, method: MethodName, lang: Language): Channel {
  const route = routeOf(settings, method);
  const found = route === null ? null : registry.get(route);
  if (found) return found;
  const label = translate(lang, `method.${method}`);
  if (route === null) {
    throw new ApiError({ code: 'not-ready', field: `methods.${method}.route`, message: translate(lang, 'error.no-route', { method: label }) });
  }
  const message = translate(lang, 'error.channel-unavailable', { method: label, route: translate(lang, `route.${route}` as MessageKey) });
  throw new ApiError({ code: 'not-ready', field: `methods.${method}.route`, message });
}
