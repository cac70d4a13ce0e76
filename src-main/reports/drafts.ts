/**
 * A window's unsaved values (docs/architecture.md "Tests before OK"): a test or the opening
 * report uses them over the stored settings for that report only, and only the dialog's OK
 * (`settings:patch`) stores them. A successful test of a draft is remembered here, in memory, so
 * that OK can say whether what it stores is what was tested. The rule is one for every method:
 * what a test covers is the method's route and the delivery fields its channel declares.
 */
import { ApiError } from '../../src-shared/errors';
import { translate, type Language } from '../../src-shared/i18n';
import { METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import { channelOf, routeOf, type ChannelRegistry } from '../channels/registry';
import { getAt } from '../core/settings-keys';

/** Changes by dotted key, as `settings:patch` takes them. */
export type SettingsChanges = Record<string, unknown>;

/** The methods whose test and opening report are recorded (`testedAt`, `openingReportedAt`). */
export function hasOpeningReport(settings: Settings, method: MethodName): boolean {
  return 'openingReportedAt' in settings.methods[method];
}

/** A draft of one method's window: every key must be one of that method's settings. */
export function checkDraftKeys(draft: SettingsChanges, method: MethodName, lang: Language): void {
  for (const key of Object.keys(draft)) {
    if (!key.startsWith(`methods.${method}.`)) {
      throw new ApiError({ code: 'invalid-value', field: key, message: translate(lang, 'error.draft-key', { field: key, method }) });
    }
  }
}

/** What decides where and how the method delivers: a test of these values is a test of the method. */
export function deliveryOf(registry: ChannelRegistry, settings: Settings, method: MethodName): string {
  const fields = channelOf(registry, settings, method)?.deliveryFields(method) ?? [];
  const m = settings.methods[method];
  return JSON.stringify([routeOf(settings, method), ...fields.map((f) => { const at = getAt(m, f); return at.found ? at.value : null; })]);
}

export interface TestedMemory {
  /** A test of these settings (the stored ones with a draft over them) reached the center at `at`. */
  record(method: MethodName, settings: Settings, at: string): void;
  /** When these settings' delivery values were last tested successfully: stored (`testedAt`) or remembered; else null. */
  testedAt(method: MethodName, settings: Settings, stored: Settings): string | null;
  /**
   * `next` (a change of `before`) with every method's `testedAt` following its delivery values:
   * kept while they are the same, else the time of a remembered test of exactly them, else null.
   */
  follow(before: Settings, next: Settings): Settings;
}

export function testedMemory(registry: () => ChannelRegistry): TestedMemory {
  const last = new Map<MethodName, { delivery: string; at: string }>();

  const testedAt = (method: MethodName, settings: Settings, stored: Settings): string | null => {
    const delivery = deliveryOf(registry(), settings, method);
    const m = stored.methods[method];
    const storedAt = 'testedAt' in m ? m.testedAt : null;
    if (storedAt && delivery === deliveryOf(registry(), stored, method)) return storedAt;
    const remembered = last.get(method);
    return remembered?.delivery === delivery ? remembered.at : null;
  };

  return {
    record(method, settings, at) {
      last.set(method, { delivery: deliveryOf(registry(), settings, method) , at });
    },
    testedAt,
    follow(before, next) {
      let out = next;
      for (const method of METHOD_NAMES) {
        const m = out.methods[method];
        if (!('testedAt' in m)) continue;
        const at = testedAt(method, out, before);
        if (at !== m.testedAt) out = { ...out, methods: { ...out.methods, [method]: { ...m, testedAt: at } } };
      }
      return out;
    },
  };
}
