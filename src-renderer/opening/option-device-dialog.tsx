import { Field, Input } from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import { checkPage, OPTION_FIELDS, type OptionDevice, type OptionField } from '../../src-shared/opening';
import { mnemonicProps } from '../lib/mnemonics';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';
import { MnemonicText } from '../ui/mnemonic-text';

export interface OptionDeviceDialogProps {
  onAdd(option: OptionDevice): void;
  onCancel(): void;
}

const ORDER: readonly OptionField[] = ['deviceCode', 'serialNumber', 'comment'];

/** [追加] of the option list: one option device (device code required, serial number, comment). */
export function OptionDeviceDialog({ onAdd, onCancel }: OptionDeviceDialogProps) {
  const { t } = useI18n();
  const [values, setValues] = useState<OptionDevice>({ deviceCode: '', serialNumber: '', comment: '' });
  const [errors, setErrors] = useState<Partial<Record<OptionField, string>>>({});
  const refs = useRef(new Map<OptionField, HTMLInputElement>());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // React carries a submit up through portals: the settings utility around this must not see it
    event.stopPropagation();
    const checked = checkPage(OPTION_FIELDS, values, 'option');
    const next: Partial<Record<OptionField, string>> = {};
    for (const issue of checked.issues) {
      const field = issue.field.split('.')[1] as OptionField;
      next[field] ??= t(issue.key, issue.params);
    }
    setErrors(next);
    setValues(checked.values);
    const first = ORDER.find((f) => next[f] !== undefined);
    if (first) {
      refs.current.get(first)?.focus();
      return;
    }
    onAdd(checked.values);
  };

  return (
    <FormDialog
      title={t('opening.options.addTitle')}
      surfaceClassName="dialog dialog--small"
      contentClassName="stacked-fields"
      mnemonics
      onSubmit={submit}
      noValidate
      onCancel={onCancel}
    >
      {ORDER.map((field) => {
        const label = t(`opening.options.field.${field}`);
        return (
          <Field
            key={field}
            label={{ children: <MnemonicText label={label} /> }}
            required={OPTION_FIELDS[field].required}
            validationState={errors[field] ? 'error' : 'none'}
            validationMessage={errors[field]}
          >
            <Input
              ref={(el) => {
                if (el) refs.current.set(field, el);
                else refs.current.delete(field);
              }}
              value={values[field]}
              data-field={`option.${field}`}
              onChange={(_e, data) => setValues((v) => ({ ...v, [field]: data.value }))}
              {...mnemonicProps(label)}
            />
          </Field>
        );
      })}
    </FormDialog>
  );
}
