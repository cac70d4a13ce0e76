import { Menu, MenuDivider, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n-context';
import { eventLetter, mnemonicKey } from '../lib/mnemonics';
import { MnemonicText } from '../ui/mnemonic-text';

export type MenuEntry =
  | { kind: 'item'; id: string; label: string; onSelect: () => void }
  | { kind: 'submenu'; id: string; label: string; items: MenuEntry[] }
  | { kind: 'divider'; id: string };

export interface TopMenu {
  id: string;
  /** catalogue label with its '&' mnemonic marker */
  label: string;
  items: MenuEntry[];
}

/** The only reasons a submenu closes (see the submenu's onOpenChange). */
const SUBMENU_CLOSERS: ReadonlySet<string> = new Set([
  'clickOutside',
  'scrollOutside',
  'menuItemClick',
  'menuPopoverKeyDown',
  'menuTriggerKeyDown',
]);

export interface MenuBarProps {
  menus: TopMenu[];
  /** true while a modal dialog is open: the menu bar then ignores its keyboard shortcuts */
  disabled: boolean;
}

/**
 * The window's menu bar: ファイル(F) / 設定(S) / ツール(T) / ヘルプ(H). Alt+letter opens a menu,
 * F10 or a lone Alt focuses the bar, and inside an open menu an item's letter activates it.
 */
export function MenuBar({ menus, disabled }: MenuBarProps) {
  const { t } = useI18n();
  const [openId, setOpenId] = useState<string | null>(null);
  const [openSub, setOpenSub] = useState<string | null>(null);
  const [current, setCurrent] = useState(0);
  const triggers = useRef<(HTMLButtonElement | null)[]>([]);
  const barRef = useRef<HTMLDivElement>(null);
  const altAlone = useRef(false);
  const focusBefore = useRef<HTMLElement | null>(null);

  const latest = useRef({ menus, disabled });
  latest.current = { menus, disabled };

  useEffect(() => {
    /** Where Escape (or a second Alt) returns to; menus and the bar itself do not count. */
    const rememberFocus = () => {
      const active = document.activeElement;
      if (!(active instanceof HTMLElement) || active === document.body) {
        focusBefore.current = null;
        return;
      }
      if (barRef.current?.contains(active) || active.closest('[role="menu"]')) return;
      focusBefore.current = active;
    };
    const focusBar = () => {
      const bar = barRef.current;
      if (!bar) return;
      if (bar.contains(document.activeElement)) {
        // a second Alt / F10 leaves the menu bar, as in Windows
        const back = focusBefore.current;
        if (back && back.isConnected) back.focus();
        else if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        return;
      }
      rememberFocus();
      setCurrent(0);
      triggers.current[0]?.focus();
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Alt') {
        altAlone.current = !e.repeat || altAlone.current;
        return;
      }
      altAlone.current = false;
      if (latest.current.disabled) return;
      if (e.key === 'F10' && !e.altKey && !e.ctrlKey && !e.shiftKey && !e.metaKey) {
        e.preventDefault();
        focusBar();
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const letter = eventLetter(e);
        const index = latest.current.menus.findIndex((m) => mnemonicKey(m.label) === letter);
        const menu = latest.current.menus[index];
        if (menu) {
          e.preventDefault();
          e.stopPropagation();
          rememberFocus();
          setCurrent(index);
          setOpenSub(null);
          setOpenId(menu.id);
        }
      }
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key !== 'Alt') return;
      const alone = altAlone.current;
      altAlone.current = false;
      if (!alone || latest.current.disabled) return;
      e.preventDefault();
      focusBar();
    };
    const reset = () => {
      altAlone.current = false;
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    window.addEventListener('mousedown', reset, true);
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
      window.removeEventListener('mousedown', reset, true);
      window.removeEventListener('blur', reset);
    };
  }, []);

  const openAt = (index: number) => {
    const n = menus.length;
    const i = (index + n) % n;
    setCurrent(i);
    setOpenSub(null);
    setOpenId(menus[i]?.id ?? null);
  };

  const closeAll = () => {
    setOpenSub(null);
    setOpenId(null);
  };

  const onBarKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (openId !== null) return;
    const n = menus.length;
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (current + 1) % n;
    else if (e.key === 'ArrowLeft') next = (current - 1 + n) % n;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      const back = focusBefore.current;
      if (back && back.isConnected) back.focus();
      else if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      return;
    } else if (!e.altKey && !e.ctrlKey && !e.metaKey) {
      // a menu's letter while the bar has focus opens that menu
      const letter = eventLetter(e);
      const index = letter ? menus.findIndex((m) => mnemonicKey(m.label) === letter) : -1;
      if (index >= 0) {
        e.preventDefault();
        openAt(index);
      }
      return;
    }
    if (next === null) return;
    e.preventDefault();
    setCurrent(next);
    triggers.current[next]?.focus();
  };

  /** Letter activation and left/right between menus, for one open list. */
  const onListKeyDown = (items: MenuEntry[], topIndex: number | null) => (e: ReactKeyboardEvent<HTMLElement>) => {
    // a nested submenu's list is portalled elsewhere in the DOM; its keys are its own
    if (!(e.target instanceof Node) || !e.currentTarget.contains(e.target)) return;
    if (topIndex !== null && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      const onSubmenuTrigger = e.target instanceof HTMLElement && e.target.getAttribute('aria-haspopup') === 'menu';
      if (e.key === 'ArrowRight' && onSubmenuTrigger) return;
      e.preventDefault();
      openAt(topIndex + (e.key === 'ArrowRight' ? 1 : -1));
      return;
    }
    if (e.ctrlKey || e.metaKey) return;
    const letter = eventLetter(e);
    if (!letter) return;
    const entry = items.find((it) => it.kind !== 'divider' && mnemonicKey(it.label) === letter);
    if (!entry || entry.kind === 'divider') return;
    e.preventDefault();
    e.stopPropagation();
    if (entry.kind === 'item') {
      closeAll();
      entry.onSelect();
    } else {
      setOpenSub(entry.id);
    }
  };

  const renderEntries = (items: MenuEntry[], nested: boolean) =>
    items.map((entry) => {
      if (entry.kind === 'divider') return <MenuDivider key={entry.id} />;
      if (entry.kind === 'item') {
        return (
          <MenuItem
            key={entry.id}
            data-menu-id={entry.id}
            onClick={() => entry.onSelect()}
            onMouseEnter={nested ? undefined : () => setOpenSub(null)}
          >
            <MnemonicText label={entry.label} />
          </MenuItem>
        );
      }
      return (
        <Menu
          key={entry.id}
          open={openSub === entry.id}
          onOpenChange={(_e, data) => {
            // As in Windows, hovering or clicking opens a submenu and it stays open until another
            // item of its menu is hovered, an item is chosen, Escape/← or a click elsewhere. (Fluent
            // would also shut it on a click on its trigger or on hover timers.)
            if (!data.open && !SUBMENU_CLOSERS.has(data.type)) return;
            setOpenSub(data.open ? entry.id : null);
          }}
        >
          <MenuTrigger disableButtonEnhancement>
            <MenuItem data-menu-id={entry.id}>
              <MnemonicText label={entry.label} />
            </MenuItem>
          </MenuTrigger>
          <MenuPopover>
            <MenuList onKeyDown={onListKeyDown(entry.items, null)}>{renderEntries(entry.items, true)}</MenuList>
          </MenuPopover>
        </Menu>
      );
    });

  return (
    <div ref={barRef} className="menubar" role="menubar" aria-label={t('ui.menubar')} onKeyDown={onBarKeyDown}>
      {menus.map((menu, index) => (
        <Menu
          key={menu.id}
          open={openId === menu.id}
          onOpenChange={(_e, data) => {
            if (data.open) {
              setCurrent(index);
              setOpenId(menu.id);
            } else if (openId === menu.id) {
              closeAll();
            }
          }}
          positioning={{ position: 'below', align: 'start', offset: 0 }}
        >
          <MenuTrigger disableButtonEnhancement>
            <button
              ref={(el) => {
                triggers.current[index] = el;
              }}
              type="button"
              role="menuitem"
              className="menubar-item"
              data-menu-id={menu.id}
              tabIndex={index === current ? 0 : -1}
              onFocus={() => setCurrent(index)}
            >
              <MnemonicText label={menu.label} />
            </button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList onKeyDown={onListKeyDown(menu.items, index)}>{renderEntries(menu.items, false)}</MenuList>
          </MenuPopover>
        </Menu>
      ))}
    </div>
  );
}
