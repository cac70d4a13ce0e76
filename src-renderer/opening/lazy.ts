import { lazyComponent } from '../ui/lazy';

/** The opening wizard (ツール → エクスプレス通報サービス → サーバー, [開局情報の入力]). */
export const LazyOpeningWizard = lazyComponent(() => import('./opening-wizard').then((m) => m.OpeningWizard));

/** The settings utility over the stored opening ([設定情報の変更...]). */
export const LazyOpeningEditor = lazyComponent(() => import('./opening-editor').then((m) => m.OpeningEditor));
