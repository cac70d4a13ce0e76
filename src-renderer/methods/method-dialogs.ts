import type { ComponentType } from 'react';
import type { MethodName } from '../../src-shared/methods';

/** What every per-method window is given; the rest it reads from the settings store. */
export interface MethodDialogProps {
  method: MethodName;
  onClose(): void;
}

/**
 * A method's own windows, as its channel folder registers them (methods/registry.tsx): what
 * 通報基本設定 → [設定...] opens (every method has one) and what ID 設定 → [宛先設定...] opens
 * (left out when the method's route gives it: mail, dial-up, the manager target).
 */
export interface MethodDialogs {
  setup: ComponentType<MethodDialogProps>;
  destinations?: ComponentType<MethodDialogProps>;
}

/** The routes of Express by mail or dial-up (and of the manager's forwarding) that have windows of their own. */
export type WindowRoute = 'mail' | 'dialup';

/**
 * A route's own windows, as its channel folder registers them (methods/registry.tsx): what [設定]
 * next to the route in the method's basic settings opens, and what ID 設定 → [宛先設定...] opens
 * while the method reports by that route. Each is given the method (express or manager-express).
 */
export interface RouteDialogs {
  settings?: ComponentType<MethodDialogProps>;
  destinations?: ComponentType<MethodDialogProps>;
}
