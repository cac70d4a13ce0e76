import type { ReactNode } from 'react';
import type { MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import { dialupDialogs } from '../channels/dialup/dialogs';
import { httpsDialogs } from '../channels/https/dialogs';
import { mailDialogs } from '../channels/mail/dialogs';
import { LazyManagerTargetDialog, reportsThroughManager } from '../channels/manager-target/dialogs';
import { managerExpressDialogs, managerHttpsDialogs } from '../channels/relay/dialogs';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { lazyComponent } from '../ui/lazy';
import { MessageBox } from '../ui/message-box';
import type { MethodDialogProps, MethodDialogs, RouteDialogs, WindowRoute } from './method-dialogs';

/**
 * Each method's own windows, registered by its channel folder: one line per method. Every method
 * has its set-up window; its destination window may come from its route (ROUTES, the manager
 * target) instead.
 */
const REGISTRY: Readonly<Record<MethodName, MethodDialogs>> = {
  'express-https': httpsDialogs,
  /** エクスプレス通報サービスの基本設定 (shared by the mail and dial-up routes) */
  express: { setup: lazyComponent(() => import('./express-basic-settings-dialog').then((m) => m.ExpressBasicSettingsDialog)) },
  'manager-express': managerExpressDialogs,
  'manager-express-https': managerHttpsDialogs,
};

/** Each route's own windows, registered by its channel folder: one line per route. */
const ROUTES: Readonly<Partial<Record<WindowRoute, RouteDialogs>>> = {
  mail: mailDialogs,
  dialup: dialupDialogs,
};

/** The route the method's reports take now, when it is one with windows of its own. */
export function windowRouteOf(settings: Settings, method: MethodName): WindowRoute | null {
  const route = method === 'express' ? settings.methods.express.route : method === 'manager-express' ? settings.methods['manager-express'].forward : null;
  return route === 'mail' || route === 'dialup' ? route : null;
}

/** [設定] next to a route in the method's basic settings: the route's own window, or null when it has none yet. */
export function routeSettings(route: WindowRoute, method: MethodName, onClose: () => void): ReactNode {
  const Settings = ROUTES[route]?.settings;
  return Settings ? <Settings method={method} onClose={onClose} /> : null;
}

/** Whether the route has its own settings window (its [設定] is usable). */
export function hasRouteSettings(route: WindowRoute): boolean {
  return ROUTES[route]?.settings !== undefined;
}

/** [宛先設定...] before the method's route is chosen: the destinations depend on it. */
function NoRouteYet({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  return <MessageBox title={t('ui.id.destinations').replace(/\.\.\.$/, '')} message={t('error.no-route', { method: methodLabel(i18n, method) })} onClose={onClose} />;
}

/** 通報基本設定 → [設定...] of the method. */
export function MethodSetup(props: MethodDialogProps) {
  const Setup = REGISTRY[props.method].setup;
  return <Setup {...props} />;
}

/**
 * ID 設定 → [宛先設定...] of the method: with マネージャ経由 chosen in its basic settings, the
 * manager's address and port (the same window for every method that has that route); with a
 * route that has windows of its own (mail, dial-up), that route's destination window; else the
 * method's own destination window, or — no route chosen yet — the message saying to choose one.
 */
export function methodDestinations(settings: Settings, method: MethodName, onClose: () => void): ReactNode {
  if (reportsThroughManager(settings, method)) return <LazyManagerTargetDialog method={method} onClose={onClose} />;
  const route = windowRouteOf(settings, method);
  const Destinations = (route ? ROUTES[route]?.destinations : undefined) ?? REGISTRY[method].destinations ?? NoRouteYet;
  return <Destinations method={method} onClose={onClose} />;
}
