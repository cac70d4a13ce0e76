import { useCallback, useRef } from 'react';
import { useApiClient } from './client-context';

export interface Checkpoint {
  /** Remembers the keys' stored values, once per dialog; call it before storing for a test. */
  take(): Promise<void>;
  /** キャンセル: puts back what was stored when `take` first ran (nothing when it never ran). */
  rollback(): Promise<void>;
  /** OK: what is stored now stays. */
  release(): void;
}

/**
 * A dialog that stores what it shows before a test (宛先設定's [テスト通報], [開局通報],
 * [宛先の読み込み]) keeps its starting state this way: a test may use the values on the screen,
 * but only OK keeps them — キャンセル restores the state the dialog started from.
 */
export function useCheckpoint(keys: readonly string[]): Checkpoint {
  const client = useApiClient();
  const id = useRef<string | null>(null);
  const keyList = keys.join('\n');

  const take = useCallback(async () => {
    if (id.current === null) id.current = (await client.call('settings:checkpoint', { keys: keyList.split('\n') })).id;
  }, [client, keyList]);

  const rollback = useCallback(async () => {
    const taken = id.current;
    id.current = null;
    if (taken !== null) await client.call('settings:rollback', { id: taken });
  }, [client]);

  const release = useCallback(() => {
    id.current = null;
  }, []);

  return { take, rollback, release };
}
