import type { ComponentType } from 'react';
import type { MethodName } from '../../src-shared/methods';

/** What every per-method window is given; the rest it reads from the settings store. */
export interface MethodDialogProps {
  method: MethodName;
  onClose(): void;
}

/**
 * A method's own windows, as its channel folder registers them (methods/registry.tsx): what
 * 通報基本設定 → [設定...] opens and what ID 設定 → [宛先設定...] opens. A window left out falls
 * back to the generic one that says it comes in a later version.
 */
export interface MethodDialogs {
  setup?: ComponentType<MethodDialogProps>;
  destinations?: ComponentType<MethodDialogProps>;
}
