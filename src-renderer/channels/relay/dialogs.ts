import type { MethodDialogs } from '../../methods/method-dialogs';
import { lazyComponent } from '../../ui/lazy';

/** マネージャからのエクスプレス(HTTPS)通報's windows, each loaded when first opened. */
export const managerHttpsDialogs: MethodDialogs = {
  /** マネージャからのエクスプレス(HTTPS)通報の基本設定 (通報基本設定 → [設定...]) */
  setup: lazyComponent(() => import('./https-basic-dialog').then((m) => m.ManagerHttpsBasicDialog)),
  /** マネージャからのエクスプレス(HTTPS)通報の宛先設定 (ID 設定 → [宛先設定...]) */
  destinations: lazyComponent(() => import('./https-destination-dialog').then((m) => m.ManagerHttpsDestinationDialog)),
};

/** マネージャからのエクスプレス通報's basic settings (its destinations are the forwarding route's windows). */
export const managerExpressDialogs: MethodDialogs = {
  setup: lazyComponent(() => import('./express-basic-dialog').then((m) => m.ManagerExpressBasicDialog)),
};

/** エージェント一覧, from either manager basic settings window. */
export const LazyAgentsDialog = lazyComponent(() => import('./agents-dialog').then((m) => m.AgentsDialog));
