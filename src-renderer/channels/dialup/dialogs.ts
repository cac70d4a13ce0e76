import type { RouteDialogs } from '../../methods/method-dialogs';
import { lazyComponent } from '../../ui/lazy';

const DialupSettings = lazyComponent(() => import('./dialup-settings-dialog').then((m) => m.DialupSettingsDialog));

/**
 * The dial-up route's windows (Express, and the manager's forwarding), each loaded when first
 * opened. The seed has one window for the route — 通報先, テスト and 開局通報 included — so the
 * basic settings' [設定] and ID 設定's [宛先設定...] both open it.
 */
export const dialupDialogs: RouteDialogs = {
  /** エクスプレス通報(ダイヤルアップ経由)の設定 (通報基本設定 → エクスプレス通報サービス → [ダイヤルアップ経由] → [設定]) */
  settings: DialupSettings,
  /** the same window (通報先リストの設定 → ID 設定 → [宛先設定...] while the route is dial-up) */
  destinations: DialupSettings,
};
