import type { historyJa } from './history-ja';

/** English texts of the history windows and messages; every key of history-ja.ts. */
export const historyEn: Record<keyof typeof historyJa, string> = {
  'history.placeholder': '',
};
