/**
 * The contract's methods for the settings, the method list, the schedule, the event catalogue,
 * the service's life and the notices: thin, each one a read or one change through the settings
 * service.
 */
import { redactSecrets, scheduleSchema } from '../../src-shared/settings';
import { EVENT_CATALOG } from '../../src-shared/event-catalog';
import type { Result } from '../../src-shared/api';
import { PRODUCT_VERSION, REPORT_MODULE_VERSION } from '../../src-shared/version';
import { extend, serviceStatus, terminate } from '../contract/service-life';
import type { Handlers } from './handlers';
import type { NoticeBoard } from './notices';
import type { SettingsService } from './settings-service';
import { parseIn } from './validation';

export type ServiceHandlers = Pick<
  Handlers,
  | 'app:info'
  | 'settings:get'
  | 'settings:set'
  | 'settings:patch'
  | 'methods:list'
  | 'methods:setEnabled'
  | 'schedule:set'
  | 'catalog:get'
  | 'service:status'
  | 'service:terminate'
  | 'service:extend'
  | 'notices:dismiss'
>;

export interface ServiceHandlersDeps {
  dataDir: string;
  osLocale: string;
  settings: SettingsService;
  notices: NoticeBoard;
  now(): Date;
}

export function serviceHandlers({ dataDir, osLocale, settings: s, notices, now }: ServiceHandlersDeps): ServiceHandlers {
  return {
    'app:info': async () => {
      const settings = await s.current();
      return {
        productVersion: PRODUCT_VERSION,
        reportModuleVersion: REPORT_MODULE_VERSION,
        osLocale,
        languageSetting: settings.ui.language,
        language: s.language(),
        dataDir,
        notices: notices.list(s.language()),
      };
    },
    'settings:get': async () => redactSecrets(await s.current()),
    'settings:set': ({ key, value }) => s.mutate((current) => s.withValue(current, key, value)).then(redactSecrets),
    'settings:patch': async ({ changes, dryRun }) => {
      if (dryRun) return redactSecrets(s.applyChanges(await s.current(), changes));
      return redactSecrets(await s.mutate((current) => s.applyChanges(current, changes)));
    },
    'methods:list': async () => s.statuses(await s.current()),
    'methods:setEnabled': ({ name, enabled }) => s.mutate((current) => s.withValue(current, `methods.${name}.enabled`, enabled)).then((saved) => s.statuses(saved)),
    'schedule:set': async ({ method, schedule }) => {
      const parsed = parseIn(scheduleSchema, schedule, s.language(), `methods.${method}.schedule`);
      if (!parsed.ok) throw s.invalid(parsed.problem.field, parsed.problem.reason);
      const saved = await s.mutate((current) => s.withValue(current, `methods.${method}.schedule`, parsed.value));
      return saved.methods[method].schedule;
    },
    // The tree shows what this machine's event sources can report: the systemd journal's sources only on Linux.
    'catalog:get': async () =>
      EVENT_CATALOG.map((log) => ({
        ...log,
        sources: log.sources.filter((src) => src.platform === undefined || src.platform === process.platform).map((src) => structuredClone(src)),
      })) as Result<'catalog:get'>,
    'service:status': async () => serviceStatus(await s.current(), now(), s.language()),
    'service:terminate': async () => {
      const saved = await s.mutate((current) => terminate(current, now(), s.language()));
      return serviceStatus(saved, now(), s.language());
    },
    'service:extend': async ({ key }) => {
      const saved = await s.mutate((current) => extend(current, key, now(), s.language()));
      return serviceStatus(saved, now(), s.language());
    },
    'notices:dismiss': async ({ id }) => {
      await notices.dismiss(id);
      return notices.list(s.language());
    },
  };
}
