import { lazy, Suspense } from 'react';
import type { HistoryDialogProps } from './history-dialog';

// The history is loaded when first opened: the window does not need it to start.
const HistoryDialog = lazy(() => import('./history-dialog').then((m) => ({ default: m.HistoryDialog })));

/** 通報履歴 (ツール → 通報履歴, and after 通報テスト). */
export function LazyHistoryDialog(props: HistoryDialogProps) {
  return (
    <Suspense fallback={null}>
      <HistoryDialog {...props} />
    </Suspense>
  );
}
