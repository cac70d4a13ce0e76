/**
 * 宛先設定's unsaved values (docs/architecture.md "Tests before OK"): a test or the opening report
 * uses them over the stored settings for that report only, and only the dialog's OK
 * (`https:saveDestinations`) stores them. A successful test of a draft is remembered here, in
 * memory, so that OK can say whether what it stores is what was tested.
 */
import type { HttpsDraft } from '../../src-shared/api';
import type { Settings } from '../../src-shared/settings';
import type { ServiceContext } from '../core/handlers';

const BASE = 'methods.express-https';

/** The draft as settings keys, in the order the dialog's OK always stored them (switches last). */
function draftChanges(draft: HttpsDraft): { key: string; value: unknown }[] {
  const changes: { key: string; value: unknown }[] = [];
  for (const name of ['url1', 'url2', 'caFile'] as const) {
    if (draft[name] !== undefined) changes.push({ key: `${BASE}.${name}`, value: draft[name] });
  }
  for (const name of ['entry', 'user', 'password', 'use'] as const) {
    if (draft.remoteAccess?.[name] !== undefined) changes.push({ key: `${BASE}.remoteAccess.${name}`, value: draft.remoteAccess[name] });
  }
  for (const name of ['host', 'port'] as const) {
    if (draft.manager?.[name] !== undefined) changes.push({ key: `${BASE}.manager.${name}`, value: draft.manager[name] });
  }
  return changes;
}

/** `stored` with the draft over it, each value checked as `settings:set` checks it (a bad one is refused, naming its key). */
export function withDraft(ctx: Pick<ServiceContext, 'withValue'>, stored: Settings, draft: HttpsDraft): Settings {
  return draftChanges(draft).reduce((next, { key, value }) => ctx.withValue(next, key, value), stored);
}

/** What decides where and how Express (HTTPS) delivers: a test of these values is a test of the method. */
function deliveryOf(settings: Settings): string {
  const { route, url1, url2, caFile, proxy, manager } = settings.methods['express-https'];
  return JSON.stringify({ route, url1, url2, caFile, proxy, manager });
}

export interface TestedDrafts {
  /** A test of these settings (the stored ones with a draft over them) reached the center at `at`. */
  record(settings: Settings, at: string): void;
  /** When these settings' delivery values were last tested successfully: stored (`testedAt`) or remembered; else null. */
  testedAt(settings: Settings, stored: Settings): string | null;
  /** 宛先設定's OK: stores the draft in one change; `testedAt` follows what is stored. */
  save(draft: HttpsDraft): Promise<Settings>;
}

export function testedDrafts(ctx: Pick<ServiceContext, 'withValue' | 'mutate'>): TestedDrafts {
  let last: { delivery: string; at: string } | null = null;

  const testedAt = (settings: Settings, stored: Settings): string | null => {
    const delivery = deliveryOf(settings);
    const storedAt = stored.methods['express-https'].testedAt;
    if (storedAt && delivery === deliveryOf(stored)) return storedAt;
    return last?.delivery === delivery ? last.at : null;
  };

  return {
    record(settings, at) {
      last = { delivery: deliveryOf(settings), at };
    },
    testedAt,
    save: (draft) =>
      ctx.mutate((current) => {
        // withValue clears testedAt when a delivery value changes; a test of exactly these values sets it again.
        const next = withDraft(ctx, current, draft);
        const at = testedAt(next, current);
        return at === next.methods['express-https'].testedAt ? next : { ...next, methods: { ...next.methods, 'express-https': { ...next.methods['express-https'], testedAt: at } } };
      }),
  };
}
