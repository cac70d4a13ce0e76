import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { HistoryItem } from '../../src-shared/history';
import { kindText, stateText, type TimeFormat } from './history-labels';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';

/** Every row has this height (px), so the rows in view follow from the scroll position alone. */
export const ROW_HEIGHT = 28;
/** Rows drawn beyond the visible ones, above and below, so a quick scroll shows no gap. */
const OVERSCAN = 8;
/** Rows shown before the first measurement (and in tests without layout). */
const DEFAULT_VISIBLE = 12;

export interface HistoryTableProps {
  items: readonly HistoryItem[];
  selectedId: string | null;
  onSelect(id: string): void;
  format: TimeFormat;
  /** shown in the body when there are no rows */
  emptyText: string;
}

/**
 * The history as a grid (role grid, one row per report), virtualised: however long the list,
 * only the rows in view (and a few around them) are in the DOM. The grid takes the focus and
 * moves the selection with ↑ ↓ PageUp PageDown Home End; the selected row is its active
 * descendant.
 */
export function HistoryTable({ items, selectedId, onSelect, format, emptyText }: HistoryTableProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const baseId = useId();
  const gridRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(DEFAULT_VISIBLE * ROW_HEIGHT);
  const selectedIndex = selectedId === null ? -1 : items.findIndex((i) => i.id === selectedId);

  useLayoutEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const measure = () => setViewport(Math.max(grid.clientHeight - (headerRef.current?.offsetHeight ?? 0), ROW_HEIGHT));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(grid);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const rowId = (item: HistoryItem) => `${baseId}-row-${item.id}`;
  const selectedRendered = selectedIndex >= first && selectedIndex < last;

  /** Scrolls so that row `index` is in view. */
  const reveal = (index: number) => {
    const grid = gridRef.current;
    if (!grid) return;
    const top = index * ROW_HEIGHT;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (top + ROW_HEIGHT > grid.scrollTop + viewport) grid.scrollTop = top + ROW_HEIGHT - viewport;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (items.length === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const from = selectedIndex < 0 ? -1 : selectedIndex;
    let to: number;
    switch (e.key) {
      case 'ArrowDown':
        to = from + 1;
        break;
      case 'ArrowUp':
        to = from - 1;
        break;
      case 'PageDown':
        to = from + page;
        break;
      case 'PageUp':
        to = from - page;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = items.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    const index = Math.min(items.length - 1, Math.max(0, to));
    onSelect(items[index]!.id);
    reveal(index);
  };

  const columns = [
    t('history.col.acceptedAt'),
    t('history.col.kind'),
    t('history.col.method'),
    t('history.col.destination'),
    t('history.col.attempts'),
    t('history.col.state'),
    t('history.col.error'),
  ];

  return (
    <div
      ref={gridRef}
      className="history-grid"
      role="grid"
      aria-label={t('history.table')}
      aria-rowcount={Math.max(items.length, 1) + 1}
      aria-colcount={columns.length}
      aria-activedescendant={selectedRendered ? rowId(items[selectedIndex]!) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => {
        // the first row is selected when the grid is entered with nothing selected
        if (selectedIndex < 0 && items.length > 0) onSelect(items[0]!.id);
      }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div ref={headerRef} className="history-grid__head" role="rowgroup">
        <div className="history-row history-row--head" role="row" aria-rowindex={1}>
          {columns.map((name, c) => (
            <div key={name} role="columnheader" aria-colindex={c + 1} className="history-cell">
              {name}
            </div>
          ))}
        </div>
      </div>
      <div className="history-grid__body" role="rowgroup" style={{ height: Math.max(items.length, 1) * ROW_HEIGHT }}>
        {items.length === 0 ? (
          // a grid's row group holds rows only: the empty text is one row, one cell across all columns
          <div role="row" aria-rowindex={2}>
            <p role="gridcell" aria-colspan={columns.length} className="history-grid__empty">
              {emptyText}
            </p>
          </div>
        ) : null}
        {items.slice(first, last).map((item, k) => {
          const index = first + k;
          const selected = index === selectedIndex;
          const state = stateText(i18n, format, item);
          const cells = [
            format.full(item.acceptedAt),
            kindText(i18n, item),
            methodLabel(i18n, item.method),
            item.destination ?? t('history.none'),
            String(item.attempts),
            state,
            item.errorText ?? '',
          ];
          return (
            <div
              key={item.id}
              id={rowId(item)}
              role="row"
              aria-rowindex={index + 2}
              aria-selected={selected}
              data-state={item.state}
              data-report-id={item.id}
              className={selected ? 'history-row history-row--selected' : 'history-row'}
              style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
              onMouseDown={() => onSelect(item.id)}
            >
              {cells.map((text, c) => (
                <div
                  key={c}
                  role="gridcell"
                  aria-colindex={c + 1}
                  className={`history-cell history-cell--${c}`}
                  data-column={c === 5 ? 'state' : undefined}
                  title={text}
                >
                  {text}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
