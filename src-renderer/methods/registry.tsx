import type { ReactNode } from 'react';
import type { MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import { httpsDialogs } from '../channels/https/dialogs';
import { LazyManagerTargetDialog, reportsThroughManager } from '../channels/manager-target/dialogs';
import { useI18n } from '../lib/i18n-context';
import { MessageBox } from '../ui/message-box';
import type { MethodDialogProps, MethodDialogs } from './method-dialogs';
import { MethodSetupDialog } from './method-setup-dialog';

/**
 * Each method's own windows, registered by its channel folder: one line per method. A method
 * without them (Express by mail or dial-up, the manager editions, for now) gets the generic
 * set-up window and the "later" message.
 */
const REGISTRY: Readonly<Partial<Record<MethodName, MethodDialogs>>> = {
  'express-https': httpsDialogs,
};

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
 * manager's address and port (the same window for every method that has that route), else the
 * method's own destination window.
 */
export function methodDestinations(settings: Settings, method: MethodName, onClose: () => void): ReactNode {
  if (reportsThroughManager(settings, method)) return <LazyManagerTargetDialog method={method} onClose={onClose} />;
  const Destinations = REGISTRY[method]?.destinations ?? DestinationsLater;
  return <Destinations method={method} onClose={onClose} />;
}
