import { Button } from '@fluentui/react-components';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { OptionDevice } from '../../src-shared/opening';
import { mnemonicProps } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { MnemonicButtonText } from '../ui/mnemonic-text';
import { OptionDeviceDialog } from './option-device-dialog';
import type { PageBinding } from '../ui/utility-field';

export interface UtilityOptionsPageProps {
  options: OptionDevice[];
  binding: PageBinding;
  onAdd(option: OptionDevice): void;
  onDelete(index: number): void;
}

/**
 * オプション装置情報: the option list; [追加] adds a device (its own small dialog), [削除] removes the
 * selected one. Nothing here is required (seed L701).
 */
export function UtilityOptionsPage({ options, binding, onAdd, onDelete }: UtilityOptionsPageProps) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<number | null>(options.length > 0 ? 0 : null);
  const [adding, setAdding] = useState(false);
  const listRef = useRef<HTMLDivElement | null>(null);
  const id = useId();
  const rowId = (i: number) => `${id}-row-${i}`;
  const rowErrors = Object.entries(binding.errors).filter(([path, message]) => path.startsWith('options.') && message);
  const invalidRows = new Set(rowErrors.map(([path]) => Number(path.split('.')[1])));
  const current = selected !== null && selected < options.length ? selected : null;

  const select = (index: number | null) => {
    setSelected(index);
    if (index !== null) document.getElementById(rowId(index))?.scrollIntoView({ block: 'nearest' });
  };

  const remove = () => {
    if (current === null) return;
    onDelete(current);
    const left = options.length - 1;
    select(left === 0 ? null : Math.min(current, left - 1));
    listRef.current?.focus();
  };

  const onListKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (options.length === 0) return;
    const index = current ?? -1;
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = Math.min(options.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = options.length - 1;
    else if (e.key === 'Delete') {
      e.preventDefault();
      remove();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    select(next);
  };

  const addLabel = t('opening.options.add');
  const deleteLabel = t('opening.options.delete');
  const register = binding.register('options');

  return (
    <div className="utility-options" onFocus={() => binding.guide('guide.options')}>
      <p className="group-label" id={`${id}-label`}>
        {t('opening.options.list')}
      </p>
      <div className="list-header option-row" aria-hidden="true">
        <span>{t('opening.options.deviceCode')}</span>
        <span>{t('opening.options.serialNumber')}</span>
        <span>{t('opening.options.comment')}</span>
      </div>
      <div
        ref={(el) => {
          listRef.current = el;
          register(el);
        }}
        className="id-list option-list"
        role="listbox"
        tabIndex={0}
        aria-labelledby={`${id}-label`}
        aria-activedescendant={current !== null ? rowId(current) : undefined}
        aria-invalid={invalidRows.size > 0 ? true : undefined}
        onKeyDown={onListKeyDown}
      >
        {options.length === 0 ? (
          <p className="option-list__empty" aria-hidden="true">
            {t('opening.options.empty')}
          </p>
        ) : null}
        {options.map((option, i) => {
          const classes = ['id-list__row', 'option-row'];
          if (i === current) classes.push('id-list__row--selected');
          if (invalidRows.has(i)) classes.push('option-row--invalid');
          return (
            <div
              key={i}
              id={rowId(i)}
              role="option"
              aria-selected={i === current}
              className={classes.join(' ')}
              onClick={() => {
                select(i);
                listRef.current?.focus();
              }}
            >
              <span>{option.deviceCode}</span>
              <span>{option.serialNumber}</span>
              <span>{option.comment}</span>
            </div>
          );
        })}
      </div>
      {rowErrors.length > 0 ? (
        <ul className="field-error option-errors" role="alert">
          {rowErrors.map(([path, message]) => (
            <li key={path}>{message}</li>
          ))}
        </ul>
      ) : null}
      <div className="button-row">
        <Button size="small" onClick={() => setAdding(true)} {...mnemonicProps(addLabel)}>
          <MnemonicButtonText label={addLabel} />
        </Button>
        <Button
          size="small"
          disabled={current === null}
          onClick={remove}
          {...mnemonicProps(deleteLabel)}
        >
          <MnemonicButtonText label={deleteLabel} />
        </Button>
      </div>
      <p className="hint">{t('opening.options.note')}</p>
      {adding ? (
        <OptionDeviceDialog
          onAdd={(option) => {
            onAdd(option);
            setAdding(false);
            select(options.length);
            listRef.current?.focus();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
    </div>
  );
}
