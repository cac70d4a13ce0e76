/**
 * The settings as the service holds them: read from the store (and again when another process —
 * the CLI, a second window — wrote the file), changed one change at a time (re-read, apply,
 * validate as a whole, write atomically, tell the window), and the rules a change must pass:
 * the schema, the field rules, protected state, the method rules (never Express and Express
 * (HTTPS) together; never a method not set up) and the test rule (a changed destination is not
 * tested).
 */
import type { ApiEvent, MethodStatus } from '../../src-shared/api';
import { ApiError } from '../../src-shared/errors';
import { resolveLanguage, translate, type Language, type MessageKey } from '../../src-shared/i18n';
import { METHOD_NAMES, MUTUALLY_EXCLUSIVE, type MethodName } from '../../src-shared/methods';
import { missingFor } from '../../src-shared/readiness';
import { settingsSchema, unmaskSecrets, type Settings } from '../../src-shared/settings';
import { checkPages } from '../opening/pages';
import type { SettingsChanges, TestedMemory } from '../reports/drafts';
import { fieldProblem } from './field-checks';
import { refuseStateChanges, refuseStateKey } from './protected-keys';
import { coerceText, getAt, setAt } from './settings-keys';
import type { SettingsStore } from './settings-store';
import { parseIn } from './validation';

export interface SettingsHooks {
  emit(event: ApiEvent): void;
  /** a notice for the window and the CLI (a repaired file, lost secrets) */
  tell(key: MessageKey, params: Record<string, string>): Promise<void>;
  /** after every stored change, and when another process ended or extended the service */
  changed(what: 'saved' | 'service'): Promise<void>;
}

export class SettingsService {
  private value!: Settings;
  private fingerprint: string | null = null;
  /** the look at the file in flight, and the one queued behind it (see refresh) */
  private looking: Promise<void> | null = null;
  private lookingAgain: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SettingsStore,
    private readonly osLocale: string,
    private readonly tested: TestedMemory,
    private readonly hooks: SettingsHooks,
  ) {}

  /** The settings as last read (synchronous: the queue and the flows ask often). */
  get settings(): Settings {
    return this.value;
  }

  /** The language messages are given in: the ui.language setting, else the OS locale. */
  language(): Language {
    return resolveLanguage(this.value.ui.language, this.osLocale);
  }

  /** The settings as on disk now. */
  async current(): Promise<Settings> {
    await this.refresh();
    return this.value;
  }

  /** Serialises changes: re-read what is on disk, apply, write atomically, tell listeners. */
  mutate(change: (current: Settings) => Settings): Promise<Settings> {
    const next = this.queue.then(async () => {
      await this.refresh();
      const updated = change(this.value);
      if (updated === this.value) return updated;
      await this.store.save(updated);
      this.value = updated;
      this.fingerprint = await this.store.fingerprint();
      this.hooks.emit({ type: 'settings:changed' });
      this.hooks.emit({ type: 'methods:changed' });
      this.hooks.emit({ type: 'service:changed' });
      await this.hooks.changed('saved');
      return updated;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for the changes in hand (the service's close). */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** `current` with one value changed, checked as `settings:set` checks it. */
  withValue(current: Settings, key: string, value: unknown): Settings {
    return this.applyChanges(current, { [key]: value });
  }

  /**
   * `current` with every change applied, then checked as one: the schema, each field's rule,
   * protected state, the method rules. The order of the changes does not matter. A refusal
   * names the key (ApiError); nothing is stored here.
   */
  applyChanges(current: Settings, changes: SettingsChanges): Settings {
    const lang = this.language();
    const keys = Object.keys(changes);
    let draft = current;
    const applied: { key: string; value: unknown }[] = [];
    for (const key of keys) {
      const found = getAt(current, key);
      if (!found.found || key === 'version') {
        throw new ApiError({ code: 'unknown-key', field: key, message: translate(lang, 'error.unknown-key', { field: key }) });
      }
      refuseStateKey(key, lang);
      const raw = changes[key];
      const nullable = () => settingsSchema.safeParse(setAt(current, key, null)).success;
      const typed = typeof raw === 'string' ? coerceText(found.value, raw, raw === 'null' && nullable()) : raw;
      const value = unmaskSecrets(typed, found.value, key.split('.').pop()!);
      draft = setAt(draft, key, value);
      applied.push({ key, value });
    }
    const parsed = parseIn(settingsSchema, draft, lang);
    if (!parsed.ok) throw this.invalid(parsed.problem.field, parsed.problem.reason);
    for (const { key, value } of applied) {
      const problem = fieldProblem(key, value, lang);
      if (problem) throw this.invalid(key, problem);
    }
    let next = parsed.value;
    refuseStateChanges(current, next, keys, lang);
    // A changed destination has not been tested (unless this very draft was): the opening report waits for a new test.
    next = this.tested.follow(current, next);
    // A field of the settings utility's pages follows the same rules as in the wizard.
    if (keys.some((key) => key === 'opening' || key.startsWith('opening.')) && next.opening) {
      next.opening = { ...next.opening, ...checkPages(next.opening, next.opening.mode, lang) };
    }
    this.checkMethodRules(current, next);
    return next;
  }

  /** Enabling follows the seed: never Express and Express (HTTPS) together; never a method not set up. */
  private checkMethodRules(before: Settings, after: Settings): void {
    const lang = this.language();
    for (const name of METHOD_NAMES) {
      if (!after.methods[name].enabled || before.methods[name].enabled) continue;
      const label = translate(lang, `method.${name}`);
      const other = MUTUALLY_EXCLUSIVE[name];
      if (other && after.methods[other].enabled) {
        throw new ApiError({
          code: 'mutual-exclusion',
          field: `methods.${name}.enabled`,
          message: translate(lang, 'error.mutual-exclusion', { method: label, other: translate(lang, `method.${other}`) }),
        });
      }
      const missing = missingFor(after, name);
      if (missing.length > 0) {
        throw new ApiError({
          code: 'not-configured',
          field: `methods.${name}.enabled`,
          message: translate(lang, 'error.not-configured', { method: label }),
          details: missing.map((m) => translate(lang, `missing.${m}`)),
        });
      }
    }
  }

  statuses(settings: Settings): MethodStatus[] {
    const lang = this.language();
    return METHOD_NAMES.map((name: MethodName) => {
      const missing = missingFor(settings, name);
      return {
        name,
        enabled: settings.methods[name].enabled,
        configured: missing.length === 0,
        missing,
        missingText: missing.map((m) => translate(lang, `missing.${m}`)),
      };
    });
  }

  invalid(field: string, reason: string): ApiError {
    return new ApiError({ code: 'invalid-value', field, reason, message: translate(this.language(), 'error.invalid-value', { field, reason }) });
  }

  /**
   * Picks up changes another process (the CLI, a second window) wrote to the settings file.
   * Callers at the same moment share one look: every caller waits for a look that began after
   * it called (a look already in flight may have begun before a write it must see), so a
   * burst of reports costs two stats, not one each.
   */
  refresh(): Promise<void> {
    if (!this.looking) {
      this.looking = this.lookOnce().finally(() => (this.looking = null));
      return this.looking;
    }
    this.lookingAgain ??= this.looking
      .catch(() => undefined)
      .then(() => {
        this.lookingAgain = null;
        return this.refresh();
      });
    return this.lookingAgain;
  }

  private async lookOnce(): Promise<void> {
    const fp = await this.store.fingerprint();
    if (fp !== this.fingerprint) await this.reload();
  }

  async reload(): Promise<void> {
    const { settings, corrupt, lostSecrets } = await this.store.load();
    const before = this.value as Settings | undefined;
    this.value = settings;
    if (before && JSON.stringify(before.service) + before.opening?.expiresAt !== JSON.stringify(settings.service) + settings.opening?.expiresAt) {
      // Another process (the CLI) ended or extended the service.
      this.hooks.emit({ type: 'service:changed' });
      await this.hooks.changed('service');
    }
    this.fingerprint = await this.store.fingerprint();
    if (corrupt && corrupt.reset.length > 0) {
      await this.hooks.tell('notice.settings-repaired', { file: corrupt.file, aside: corrupt.aside, fields: corrupt.reset.join(', ') });
    } else if (corrupt) {
      await this.hooks.tell('notice.settings-corrupt', { file: corrupt.file, aside: corrupt.aside, reason: corrupt.reason });
    }
    if (lostSecrets.length > 0) {
      // Save at once, so the loss is reported once and not at every start.
      await this.store.save(settings);
      this.fingerprint = await this.store.fingerprint();
      // The contract's secrets came from the center's key file: nobody can type them in again.
      const issued = lostSecrets.filter((key) => key.startsWith('opening.'));
      const typed = lostSecrets.filter((key) => !key.startsWith('opening.'));
      if (typed.length > 0) await this.hooks.tell('notice.secrets-lost', { keys: typed.join(', ') });
      if (issued.length > 0) await this.hooks.tell('lockweb.notice.contractSecretLost', { keys: issued.join(', ') });
    }
  }
}
