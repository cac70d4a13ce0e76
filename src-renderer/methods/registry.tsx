import type { ReactNode } from 'react';
import type { MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import { dialupDialogs } from '../channels/dialup/dialogs';
import { httpsDialogs } from '../channels/https/dialogs';
import { mailDialogs } from '../channels/mail/dialogs';
import { LazyManagerTargetDialog, reportsThroughManager } from '../channels/manager-target/dialogs';
import { managerExpressDialogs, managerHttpsDialogs } from '../channels/relay/dialogs';
import { useI18n } from '../lib/i18n-context';
import { lazyComponent } from '../ui/lazy';
import { MessageBox } from '../ui/message-box';
import type { MethodDialogProps, MethodDialogs, RouteDialogs, WindowRoute } from './method-dialogs';
import { MethodSetupDialog } from './method-setup-dialog';

/**
 * Each method's own windows, registered by its channel folder: one line per method. A method
 * without them (Express by mail or dial-up, the manager editions, for now) gets the generic
 * set-up window and the "later" message.
 */
const REGISTRY: Readonly<Partial<Record<MethodName, MethodDialogs>>> = {
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

function DestinationsLater({ onClose }: MethodDialogProps) {
  const { t } = useI18n();
  return <MessageBox title={t('ui.id.destinations').replace(/\.\.\.$/, '')} message={t('ui.id.destinationsLater')} onClose={onClose} />;
}

/** 通報基本設定 → [設定...] of the method. */
export function MethodSetup(props: MethodDialogProps) {
  const Setup = REGISTRY[props.method]?.setup ?? MethodSetupDialog;
  return <Setup {...props} />;
}

/**
 * ID 設定 → [宛先設定...] of the method: with マネージャ経由 chosen in its basic settings, the
 * manager's address and port (the same window for every method that has that route); with a
 * route that has windows of its own (mail, dial-up), that route's destination window; else the
 * method's own destination window.
 */
export function methodDestinations(settings: Settings, method: MethodName, onClose: () => void): ReactNode {
  if (reportsThroughManager(settings, method)) return <LazyManagerTargetDialog method={method} onClose={onClose} />;
  const route = windowRouteOf(settings, method);
  const Destinations = (route ? ROUTES[route]?.destinations : undefined) ?? REGISTRY[method]?.destinations ?? DestinationsLater;
  return <Destinations method={method} onClose={onClose} />;
}
