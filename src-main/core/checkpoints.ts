import { randomUUID } from 'node:crypto';
import { ApiError } from '../../src-shared/errors';
import { translate } from '../../src-shared/i18n';
import { redactSecrets, type Settings } from '../../src-shared/settings';
import type { Handlers, ServiceContext } from './handlers';
import { getAt, setAt } from './settings-keys';

type CheckpointHandlers = Pick<Handlers, 'settings:checkpoint' | 'settings:rollback'>;

/** How many open checkpoints are kept (a window that never closes its dialog does not grow this). */
const KEEP = 32;

/**
 * A dialog that stores its values before a test (宛先設定's [テスト通報]) takes a checkpoint of the
 * keys it may change when it opens and rolls back to it on キャンセル: only OK keeps what a test
 * used. The values stay here in the service (secrets included, never sent back), so a rollback
 * can only restore a state that really existed — it cannot be used to write a protected key such
 * as `testedAt` with a value of the caller's choosing.
 */
export function checkpointHandlers(ctx: ServiceContext): CheckpointHandlers {
  const saved = new Map<string, { key: string; value: unknown }[]>();

  return {
    'settings:checkpoint': async ({ keys }) => {
      const settings = await ctx.current();
      const values = keys.map((key) => {
        const found = getAt(settings, key);
        if (!found.found || key === 'version') {
          throw new ApiError({ code: 'unknown-key', field: key, message: translate(ctx.language(), 'error.unknown-key', { field: key }) });
        }
        return { key, value: structuredClone(found.value) };
      });
      const id = randomUUID();
      saved.set(id, values);
      while (saved.size > KEEP) saved.delete(saved.keys().next().value!);
      return { id };
    },
    'settings:rollback': async ({ id }) => {
      const values = saved.get(id);
      saved.delete(id);
      if (!values) return redactSecrets(await ctx.current());
      const restored = await ctx.mutate((current) => {
        let next: Settings = current;
        for (const { key, value } of values) {
          const now = getAt(next, key);
          if (now.found && JSON.stringify(now.value) !== JSON.stringify(value)) next = setAt(next, key, structuredClone(value));
        }
        return next;
      });
      return redactSecrets(restored);
    },
  };
}
