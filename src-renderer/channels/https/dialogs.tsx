import { lazy, Suspense } from 'react';
import type { HttpsBasicSettingsDialogProps } from './basic-settings-dialog';
import type { HttpsDestinationDialogProps } from './destination-dialog';

// The Express Report (HTTPS) windows are loaded when first opened: the window does not need them
// to start, and they keep the initial script small.
const HttpsBasicSettingsDialog = lazy(() =>
  import('./basic-settings-dialog').then((m) => ({ default: m.HttpsBasicSettingsDialog })),
);
const HttpsDestinationDialog = lazy(() => import('./destination-dialog').then((m) => ({ default: m.HttpsDestinationDialog })));

/** エクスプレス通報サービス(HTTPS)の基本設定 (通報基本設定 → [設定...]). */
export function LazyHttpsBasicSettingsDialog(props: HttpsBasicSettingsDialogProps) {
  return (
    <Suspense fallback={null}>
      <HttpsBasicSettingsDialog {...props} />
    </Suspense>
  );
}

/** エクスプレス通報サービス(HTTPS)の宛先設定 (通報先リストの設定 → ID 設定 → [宛先設定...]). */
export function LazyHttpsDestinationDialog(props: HttpsDestinationDialogProps) {
  return (
    <Suspense fallback={null}>
      <HttpsDestinationDialog {...props} />
    </Suspense>
  );
}
