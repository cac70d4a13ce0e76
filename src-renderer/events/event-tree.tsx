import {
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  Tree,
  TreeItem,
  TreeItemLayout,
  type PositioningVirtualElement,
} from '@fluentui/react-components';
import { useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { MessageKey } from '../../src-shared/i18n';
import { useI18n } from '../lib/i18n-context';
import { SeverityIcon } from '../ui/icons';
import { eventLetter, mnemonicKey } from '../lib/mnemonics';
import { MnemonicText } from '../ui/mnemonic-text';
import type { Result } from '../../src-shared/api';

/** The event catalogue (`catalog:get`). */
export type Catalog = Result<'catalog:get'>;

type CatalogLog = Catalog[number];
type CatalogSource = CatalogLog['sources'][number];
type CatalogEvent = CatalogSource['events'][number];

/** What the tree's selected node stands for. */
export type TreeSelection =
  | { kind: 'root' }
  | { kind: 'log'; log: CatalogLog }
  | { kind: 'source'; log: CatalogLog; source: CatalogSource }
  | { kind: 'event'; log: CatalogLog; source: CatalogSource; event: CatalogEvent };

export const ROOT_VALUE = 'root';
const logValue = (l: number) => `log:${l}`;
const sourceValue = (l: number, s: number) => `src:${l}:${s}`;
const eventValue = (l: number, s: number, e: number) => `ev:${l}:${s}:${e}`;

/** The open nodes at start: イベントログ and each log, so the sources show. */
export function initialOpenItems(catalog: Catalog): string[] {
  return [ROOT_VALUE, ...catalog.map((_log, l) => logValue(l))];
}

/** Resolves a tree value back to the catalogue entries it stands for. */
export function resolveSelection(catalog: Catalog, value: string): TreeSelection | null {
  if (value === ROOT_VALUE) return { kind: 'root' };
  const [kind, ...indexes] = value.split(':');
  const [l, s, e] = indexes.map(Number);
  const log = l === undefined ? undefined : catalog[l];
  if (!log) return null;
  if (kind === 'log') return { kind: 'log', log };
  const source = s === undefined ? undefined : log.sources[s];
  if (!source) return null;
  if (kind === 'src') return { kind: 'source', log, source };
  const event = e === undefined ? undefined : source.events[e];
  if (kind === 'ev' && event) return { kind: 'event', log, source, event };
  return null;
}

const LOG_LABEL: Readonly<Record<CatalogLog['log'], MessageKey>> = {
  System: 'tree.log.System',
  Application: 'tree.log.Application',
};

export function logLabel(t: (key: MessageKey) => string, log: CatalogLog['log']): string {
  return t(LOG_LABEL[log]);
}

/** `0xc0040006 (6)`: the full id and the short id Windows shows. */
export function eventLabel(event: CatalogEvent): string {
  return `${event.id} (${event.shortId})`;
}

/** The event a 通報テスト is for. */
export interface EventTarget {
  log: CatalogLog['log'];
  source: string;
  eventId: string;
}

export interface EventTreeProps {
  catalog: Catalog;
  selected: string;
  onSelect(value: string): void;
  openItems: string[];
  onOpenItemsChange(openItems: string[]): void;
  /** 通報テスト chosen on an event id's context menu */
  onReportTest(target: EventTarget): void;
}

interface ContextMenu {
  target: EventTarget;
  /** where the menu opens: the mouse pointer, or the node for the keyboard */
  anchor: HTMLElement | PositioningVirtualElement;
  /** the node, to give the focus back when the menu closes */
  node: HTMLElement;
}

/** A zero-size rectangle at the pointer: the menu opens where the right click was. */
function pointAnchor(x: number, y: number): PositioningVirtualElement {
  return { getBoundingClientRect: () => ({ x, y, top: y, left: x, bottom: y, right: x, width: 0, height: 0 }) };
}

/**
 * The left pane: イベントログ → システム → source (atapi, disk, …) → event id. An event id's
 * context menu (right click, the context-menu key or Shift+F10) offers 通報テスト (seed 4.3).
 */
export function EventTree({ catalog, selected, onSelect, openItems, onOpenItemsChange, onReportTest }: EventTreeProps) {
  const { t } = useI18n();
  const [menu, setMenu] = useState<ContextMenu | null>(null);
  // a chosen item closes the menu too: the focus then stays where the chosen action puts it
  const chosen = useRef(false);
  const reportTestLabel = t('history.tree.reportTest');

  const openMenu = (value: string, target: EventTarget, node: HTMLElement, anchor: ContextMenu['anchor']) => {
    onSelect(value);
    node.focus();
    chosen.current = false;
    setMenu({ target, anchor, node });
  };

  const closeMenu = () => {
    const node = menu?.node;
    setMenu(null);
    if (!chosen.current && node?.isConnected) node.focus();
  };

  const choose = () => {
    if (!menu) return;
    chosen.current = true;
    const { target } = menu;
    setMenu(null);
    onReportTest(target);
  };

  const eventItemProps = (value: string, target: EventTarget) => ({
    onContextMenu: (e: MouseEvent<HTMLDivElement>) => {
      e.preventDefault();
      // a context menu raised from the keyboard has no pointer position worth following
      const fromPointer = e.button === 2 && (e.clientX !== 0 || e.clientY !== 0);
      openMenu(value, target, e.currentTarget, fromPointer ? pointAnchor(e.clientX, e.clientY) : e.currentTarget);
    },
    onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey)) {
        e.preventDefault();
        e.stopPropagation();
        openMenu(value, target, e.currentTarget, e.currentTarget);
      }
    },
  });

  // As in a Windows tree view, the selection follows the focus (click or arrow keys).
  const itemProps = (value: string) => ({
    value,
    'aria-selected': value === selected,
    className: value === selected ? 'tree-item tree-item--selected' : 'tree-item',
    onFocus: (e: FocusEvent<HTMLDivElement>) => {
      if (e.target === e.currentTarget) onSelect(value);
    },
  });
  return (
    <>
      <Tree
        aria-label={t('ui.tree.label')}
        className="event-tree"
        size="small"
        openItems={openItems}
        onOpenChange={(_e, data) => onOpenItemsChange([...data.openItems].map(String))}
      >
        <TreeItem itemType="branch" {...itemProps(ROOT_VALUE)}>
          <TreeItemLayout>{t('tree.root')}</TreeItemLayout>
          <Tree>
            {catalog.map((log, l) => (
              <TreeItem key={log.log} itemType="branch" {...itemProps(logValue(l))}>
                <TreeItemLayout>{logLabel(t, log.log)}</TreeItemLayout>
                <Tree>
                  {log.sources.map((source, s) => (
                    <TreeItem
                      key={source.name}
                      itemType="branch"
                      {...itemProps(sourceValue(l, s))}
                    >
                      <TreeItemLayout>{source.name}</TreeItemLayout>
                      <Tree>
                        {source.events.map((event, e) => (
                          <TreeItem
                            key={event.id}
                            itemType="leaf"
                            aria-haspopup="menu"
                            {...itemProps(eventValue(l, s, e))}
                            {...eventItemProps(eventValue(l, s, e), { log: log.log, source: source.name, eventId: event.id })}
                          >
                            <TreeItemLayout iconBefore={<SeverityIcon severity={event.severity} />}>
                              {eventLabel(event)}
                            </TreeItemLayout>
                          </TreeItem>
                        ))}
                      </Tree>
                    </TreeItem>
                  ))}
                </Tree>
              </TreeItem>
            ))}
          </Tree>
        </TreeItem>
      </Tree>
      <Menu
        open={menu !== null}
        onOpenChange={(_e, data) => {
          if (!data.open) closeMenu();
        }}
        positioning={{ target: menu?.anchor ?? null, position: 'below', align: 'start' }}
      >
        <MenuPopover>
          <MenuList
            aria-label={t('history.tree.menu')}
            onKeyDown={(e) => {
              // the item's letter chooses it, as in a Windows context menu
              if (e.altKey || e.ctrlKey || e.metaKey) return;
              if (eventLetter(e) === mnemonicKey(reportTestLabel)) {
                e.preventDefault();
                choose();
              }
            }}
          >
            <MenuItem onClick={choose}>
              <MnemonicText label={reportTestLabel} />
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
    </>
  );
}
