import { Tree, TreeItem, TreeItemLayout } from '@fluentui/react-components';
import type { FocusEvent } from 'react';
import type { MessageKey } from '../src-shared/i18n';
import { useI18n } from './i18n-context';
import { SeverityIcon } from './icons';
import type { Catalog } from './use-app-data';

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

export interface EventTreeProps {
  catalog: Catalog;
  selected: string;
  onSelect(value: string): void;
  openItems: string[];
  onOpenItemsChange(openItems: string[]): void;
}

/**
 * The left pane: イベントログ → システム → source (atapi, disk, …) → event id. Later versions hang
 * the right-click [通報テスト] on the event-id nodes (seed 4.3); it is not offered yet.
 */
export function EventTree({ catalog, selected, onSelect, openItems, onOpenItemsChange }: EventTreeProps) {
  const { t } = useI18n();
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
                          {...itemProps(eventValue(l, s, e))}
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
  );
}
