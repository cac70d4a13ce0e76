/**
 * Keyboard focus never falls to `<body>`: when the focused control disappears (a child dialog or
 * message box closed, a wizard page changed), focus goes back to the control that opened that
 * dialog — or, when the dialog itself is still open, to its first control — so Enter, Esc and
 * Alt+letter keep working without a Tab first (as in Windows).
 *
 * The dialogs are rendered only while shown, and most are opened by a menu item or a button
 * that is not a Fluent DialogTrigger, so Fluent has nothing to restore focus to. This watches
 * focus for the whole window instead of asking every dialog to remember its opener.
 */

/** Marks a dialog page's default button where it is not a form's submit button (`data-default-button=""`). */
const DEFAULT_BUTTON = 'data-default-button';
const DIALOG_SELECTOR = '[role="dialog"], [role="alertdialog"]';
/** Menus close as their item is chosen: focus goes back to what was focused before the menu. */
const MENU_SELECTOR = '[role="menu"], [role="menubar"]';
const FOCUSABLE_SELECTOR = [
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'a[href]',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

interface Opener {
  element: HTMLElement | null;
  /** the dialog the opener is in (a child of a child: its opener is found the same way) */
  dialog: Element | null;
}

function isTabsterDummy(element: Element): boolean {
  return element.hasAttribute('data-tabster-dummy');
}

/**
 * Rendered and able to take focus. A parent window is still aria-hidden while its child fades
 * out; its controls take focus all the same, and waiting for the fade would drop the keys
 * pressed meanwhile.
 */
function visible(element: HTMLElement): boolean {
  return element.getClientRects().length > 0 && !element.closest('[inert]');
}

/**
 * The control to land on in a container: its default button (a wizard page that changed: Enter
 * goes on, as in Windows), its selected tree item or tab, else its first control.
 */
function firstControl(container: ParentNode): HTMLElement | null {
  for (const selector of [
    `[${DEFAULT_BUTTON}]:not([disabled])`,
    'button[type="submit"]:not([disabled])',
    '[role="treeitem"][aria-selected="true"], [role="treeitem"][tabindex="0"], [role="tab"][aria-selected="true"]',
  ]) {
    const preferred = container.querySelector<HTMLElement>(selector);
    if (preferred && visible(preferred)) return preferred;
  }
  for (const candidate of container.querySelectorAll<HTMLElement>(FOCUSABLE_SELECTOR)) {
    if (!isTabsterDummy(candidate) && visible(candidate) && !candidate.closest(MENU_SELECTOR)) return candidate;
  }
  return null;
}

export interface FocusReturn {
  /** stops watching (tests, hot reload) */
  dispose(): void;
}

/** Starts watching focus in `doc`; `fallback` is where focus goes when no opener is left (the main window). */
export function installFocusReturn(doc: Document, fallbackSelector = '.main-window'): FocusReturn {
  const openers = new WeakMap<Element, Opener>();
  let last: HTMLElement | null = null;
  let lastDialog: Element | null = null;
  /** the last focused control outside menus: what a dialog opened from a menu returns to */
  let beforeMenu: Opener = { element: null, dialog: null };
  /**
   * Focus was lost with its control; until it is placed (or the user focuses something), every
   * change is a new chance: Fluent un-hides the parent window a moment after the child is gone.
   */
  let lostAt = 0;

  const onFocusIn = (event: FocusEvent) => {
    const target = event.target;
    if (!(target instanceof HTMLElement) || isTabsterDummy(target)) return;
    const dialog = target.closest(DIALOG_SELECTOR);
    if (dialog && !openers.has(dialog) && dialog !== beforeMenu.dialog) openers.set(dialog, beforeMenu);
    last = target;
    lastDialog = dialog;
    lostAt = 0;
    if (!target.closest(MENU_SELECTOR)) beforeMenu = { element: target, dialog };
  };

  const targetFor = (): HTMLElement | null => {
    let dialog = lastDialog;
    // a page of a still-open dialog changed: stay in the dialog
    if (dialog?.isConnected) return firstControl(dialog);
    for (let hops = 0; dialog && hops < 32; hops++) {
      const opener = openers.get(dialog);
      if (!opener) break;
      if (opener.element?.isConnected && visible(opener.element)) return opener.element;
      if (opener.dialog?.isConnected) return firstControl(opener.dialog);
      dialog = opener.dialog;
    }
    const fallback = doc.querySelector(fallbackSelector);
    return fallback ? firstControl(fallback) : null;
  };

  const check = () => {
    const active = doc.activeElement;
    if (active && active !== doc.body) {
      lostAt = 0;
      return;
    }
    // its control is still there: a click on empty space (see onPointerUp)
    if (!last || last.isConnected) return;
    if (lostAt === 0) lostAt = Date.now();
    if (Date.now() - lostAt > 2000) return;
    targetFor()?.focus({ preventScroll: true });
  };
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // after React has finished the commit that removed the control
    setTimeout(() => {
      scheduled = false;
      check();
    }, 0);
  };

  /**
   * A click on empty space (a pane, a label) leaves the focus in its control, as in Windows: the
   * keys keep working, and Fluent's focus sentinels in <body> (aria-hidden, tabbable while focus
   * is nowhere) do not become tab stops.
   */
  const onPointerUp = () => {
    setTimeout(() => {
      const active = doc.activeElement;
      if (active && active !== doc.body) return;
      // text selected to copy stays selected: focusing a field would take the selection away
      if (doc.getSelection()?.isCollapsed === false) return;
      if (last?.isConnected && visible(last)) last.focus({ preventScroll: true });
    }, 0);
  };

  const observer = new MutationObserver(schedule);
  observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-hidden', 'inert'] });
  doc.addEventListener('focusin', onFocusIn);
  doc.addEventListener('focusout', schedule);
  doc.addEventListener('pointerup', onPointerUp, true);
  return {
    dispose() {
      observer.disconnect();
      doc.removeEventListener('focusin', onFocusIn);
      doc.removeEventListener('focusout', schedule);
      doc.removeEventListener('pointerup', onPointerUp, true);
    },
  };
}
