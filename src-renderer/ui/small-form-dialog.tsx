import type { FormEvent } from 'react';
import type { FieldRule } from '../../src-shared/opening';
import { FormDialog } from './form-dialog';
import { useI18n } from '../lib/i18n-context';
import { useSmallForm } from './use-small-form';
import { UtilityField } from './utility-field';

export interface SmallFormField<F extends string> {
  name: F;
  label: string;
  /** the backend's rule; `required` marks the field */
  rule: FieldRule;
}

export interface SmallFormDialogProps<F extends string> {
  title: string;
  text: string;
  /** the fields' path prefix (`keyCode`, `device`): problems are shown under `prefix.name` */
  prefix: string;
  fields: readonly SmallFormField<F>[];
  initial: Record<F, string>;
  onOk(value: Record<F, string>): void;
  onCancel(): void;
}

/**
 * A small dialog of opening fields (通報開局キーコードの入力, 装置の固有情報の入力): a line of text,
 * the fields checked with the backend's rules, OK / キャンセル; OK is refused with the first wrong
 * field named and focused.
 */
export function SmallFormDialog<F extends string>({ title, text, prefix, fields, initial, onOk, onCancel }: SmallFormDialogProps<F>) {
  const { t } = useI18n();
  const rules = Object.fromEntries(fields.map((f) => [f.name, f.rule])) as Record<F, FieldRule>;
  const { values, binding, check } = useSmallForm(prefix, rules, { ...initial });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = check();
    if (checked) onOk(checked);
  };

  return (
    <FormDialog
      title={title}
      surfaceClassName="dialog dialog--medium"
      contentClassName="utility-fields small-form"
      mnemonics
      onSubmit={submit}
      noValidate
      cancelLabel={t('opening.cancel')}
      onCancel={onCancel}
    >
      <p>{text}</p>
      {fields.map((f) => (
        <UtilityField key={f.name} binding={binding} path={`${prefix}.${f.name}`} label={f.label} value={values[f.name]} guideKey={null} required={f.rule.required} />
      ))}
    </FormDialog>
  );
}
