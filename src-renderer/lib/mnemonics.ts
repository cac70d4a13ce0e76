import type { KeyboardEvent } from 'react';
import { mnemonic } from '../../src-shared/i18n';

/** The lower-case mnemonic key of a catalogue label, or null. */
export function mnemonicKey(label: string): string | null {
  return mnemonic(label).key;
}

/** The letter a keyboard event stands for ('KeyS' → 's'), independent of Alt changing `key`. */
export function eventLetter(event: { code: string; key: string }): string {
  const m = /^(?:Key([A-Z])|Digit(\d))$/.exec(event.code);
  if (m) return (m[1] ?? m[2] ?? '').toLowerCase();
  return event.key.length === 1 ? event.key.toLowerCase() : '';
}

/** A label as a message names its field: '1 次通報先 URL(&1)' → '1 次通報先 URL', 'Primary URL (&1)' → 'Primary URL'. */
export function plainLabel(label: string): string {
  return label.replace(/\s*[(（]&.[)）]/, '').replace(/&(.)/, '$1').replace(/\.\.\.$|…$/, '').trim();
}

/** The attribute that gives a control its Alt+letter key inside a dialog. */
export const MNEMONIC_ATTRIBUTE = 'data-mnemonic';

/** The attribute to spread on a control whose label is `label` ('設定(&S)' → data-mnemonic="s"). */
export function mnemonicProps(label: string): { [MNEMONIC_ATTRIBUTE]: string | undefined } {
  return { [MNEMONIC_ATTRIBUTE]: mnemonicKey(label) ?? undefined };
}

function usable(el: HTMLElement): boolean {
  if (el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true') return false;
  return el.getClientRects().length > 0 || (el instanceof HTMLInputElement && el.type === 'radio');
}

/**
 * Alt+letter inside a dialog, as in Windows: a field's letter (its label's (M), (A)…) focuses the
 * field, a button's letter presses it, a radio button's letter selects it. Controls carry their
 * letter in `data-mnemonic`. Put this on the DialogSurface's onKeyDown; a key typed in a nested
 * dialog (a portal elsewhere in the DOM) is left to that dialog.
 */
export function onMnemonicKeyDown(event: KeyboardEvent<HTMLElement>): void {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const root = event.currentTarget;
  if (!(event.target instanceof Node) || !root.contains(event.target)) return;
  const letter = eventLetter(event);
  if (!/^[a-z0-9]$/.test(letter)) return;
  const target = [...root.querySelectorAll<HTMLElement>(`[${MNEMONIC_ATTRIBUTE}="${letter}"]`)].find(usable);
  if (!target) return;
  event.preventDefault();
  event.stopPropagation();
  target.focus();
  if (target instanceof HTMLButtonElement) target.click();
  else if (target instanceof HTMLInputElement && (target.type === 'radio' || target.type === 'checkbox')) {
    if (!target.checked) target.click();
  } else if (target instanceof HTMLInputElement) target.select();
}
