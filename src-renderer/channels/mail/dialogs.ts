import type { RouteDialogs } from '../../methods/method-dialogs';
import { lazyComponent } from '../../ui/lazy';

/** The mail route's windows (Express, and the manager's forwarding by mail), each loaded when first opened. */
export const mailDialogs: RouteDialogs = {
  /** エクスプレス通報(インターネット メール経由)の基本設定 (基本設定 → インターネット メール経由 → [設定]) */
  settings: lazyComponent(() => import('./mail-settings-dialog').then((m) => m.MailSettingsDialog)),
  /** エクスプレス通報サービス(インターネット メール経由)の設定 (ID 設定 → [宛先設定...]) */
  destinations: lazyComponent(() => import('./mail-destination-dialog').then((m) => m.MailDestinationDialog)),
};
