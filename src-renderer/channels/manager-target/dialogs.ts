import type { MethodName } from '../../../src-shared/methods';
import type { Settings } from '../../../src-shared/settings';
import { lazyComponent } from '../../ui/lazy';

/** The methods that can report through a manager (their route マネージャ経由), each with its manager's port. */
export const MANAGER_PORTS = { express: 31136, 'express-https': 31138 } as const;
export type ManagerTargetMethod = keyof typeof MANAGER_PORTS;

/** Whether the method's destination is a manager now (its route is マネージャ経由). */
export function reportsThroughManager(settings: Settings, method: MethodName): method is ManagerTargetMethod {
  return (method === 'express' || method === 'express-https') && settings.methods[method].route === 'manager';
}

/** …(マネージャ経由)の設定, loaded when first opened. */
export const LazyManagerTargetDialog = lazyComponent(() => import('./manager-target-dialog').then((m) => m.ManagerTargetDialog));
