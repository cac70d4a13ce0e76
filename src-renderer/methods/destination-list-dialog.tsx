import { Button } from '@fluentui/react-components';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { MethodName } from '../../src-shared/methods';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';
import { IdSettingsDialog } from './id-settings-dialog';
import { methodLabel, scheduleSummary } from '../lib/labels';
import { useSettingsStore } from '../lib/settings-store';

export interface DestinationListDialogProps {
  onClose(): void;
}

/** 通報先リストの設定: the ID list (one ID per report method); [修正...] opens ID 設定. */
export function DestinationListDialog({ onClose }: DestinationListDialogProps) {
  const i18n = useI18n();
  const { settings, methods } = useSettingsStore();
  const { t } = i18n;
  const [selected, setSelected] = useState<MethodName | null>(methods[0]?.name ?? null);
  const [editing, setEditing] = useState<MethodName | null>(null);
  const listId = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const optionId = (name: MethodName) => `${listId}-${name}`;

  const onListKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = methods.findIndex((m) => m.name === selected);
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = Math.min(methods.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = methods.length - 1;
    else if (e.key === 'Enter' && selected) {
      e.preventDefault();
      setEditing(selected);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    const name = methods[next]?.name;
    if (name) {
      setSelected(name);
      document.getElementById(optionId(name))?.scrollIntoView({ block: 'nearest' });
    }
  };

  const editingStatus = editing ? methods.find((m) => m.name === editing) : undefined;

  return (
    <FormDialog
      title={t('ui.dest.title')}
      surfaceClassName="dialog dialog--wide"
      onOk={onClose}
      onCancel={onClose}
      nested={
        <>
          {editingStatus ? <IdSettingsDialog status={editingStatus} onClose={() => setEditing(null)} /> : null}
        </>
      }
    >
      <p className="group-label" id={`${listId}-label`}>
        {t('ui.dest.idList')}
      </p>
      <div className="list-header" aria-hidden="true">
        <span>{t('ui.dest.column.id')}</span>
        <span>{t('ui.dest.column.schedule')}</span>
      </div>
      <div
        ref={listRef}
        className="id-list"
        role="listbox"
        tabIndex={0}
        aria-labelledby={`${listId}-label`}
        aria-activedescendant={selected ? optionId(selected) : undefined}
        onKeyDown={onListKeyDown}
      >
        {methods.map((status) => {
          const isSelected = status.name === selected;
          return (
            <div
              key={status.name}
              id={optionId(status.name)}
              role="option"
              aria-selected={isSelected}
              className={isSelected ? 'id-list__row id-list__row--selected' : 'id-list__row'}
              data-method={status.name}
              onClick={() => {
                setSelected(status.name);
                listRef.current?.focus();
              }}
              onDoubleClick={() => setEditing(status.name)}
            >
              <span className="id-list__id">{methodLabel(i18n, status.name)}</span>
              <span className="id-list__schedule">
                {scheduleSummary(i18n, settings.methods[status.name].schedule)}
              </span>
            </div>
          );
        })}
      </div>
      <div className="button-row">
        <Button disabled={selected === null} onClick={() => selected && setEditing(selected)}>
          {t('ui.dest.modify')}
        </Button>
      </div>
      <p className="hint">{t('ui.dest.hint')}</p>
    </FormDialog>
  );
}
