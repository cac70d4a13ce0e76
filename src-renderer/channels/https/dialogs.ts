import type { MethodDialogs } from '../../methods/method-dialogs';
import { lazyComponent } from '../../ui/lazy';

/** Express Report (HTTPS)'s windows, each loaded when first opened. */
export const httpsDialogs: MethodDialogs = {
  /** エクスプレス通報サービス(HTTPS)の基本設定 (通報基本設定 → [設定...]) */
  setup: lazyComponent(() => import('./basic-settings-dialog').then((m) => m.HttpsBasicSettingsDialog)),
  /** エクスプレス通報サービス(HTTPS)の宛先設定 (通報先リストの設定 → ID 設定 → [宛先設定...]) */
  destinations: lazyComponent(() => import('./destination-dialog').then((m) => m.HttpsDestinationDialog)),
};
