import type { z } from 'zod';
import type { Api, ApiEvent, ApiMethod, Result } from '../../src-shared/api';
import type { Language } from '../../src-shared/i18n';
import type { Settings } from '../../src-shared/settings';

/** One function per contract method, taking the checked params. */
export type Handlers = { [M in ApiMethod]: (params: z.output<Api[M]['params']>) => Promise<Result<M>> };

/** What a group of handlers may use of the service. */
export interface ServiceContext {
  readonly dataDir: string;
  language(): Language;
  /** the settings as on disk now */
  current(): Promise<Settings>;
  /** re-read, change, validate, write atomically, tell the window */
  mutate(change: (current: Settings) => Settings): Promise<Settings>;
  /** `current` with one value changed, checked as `settings:set` checks it (throws the refusal naming the key) */
  withValue(current: Settings, key: string, value: unknown): Settings;
  now(): Date;
  /** whether the service reports now: opened, not terminated, contract not expired */
  reporting(): boolean;
  /** tells every window */
  emit(event: ApiEvent): void;
}
