import { lazyComponent } from '../ui/lazy';

/** 通報履歴 (ツール → 通報履歴, and after 通報テスト). */
export const LazyHistoryDialog = lazyComponent(() => import('./history-dialog').then((m) => m.HistoryDialog));
