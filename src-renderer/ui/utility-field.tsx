import { Combobox, Field, Input, Option } from '@fluentui/react-components';
import type { FocusEvent } from 'react';
import type { MessageKey } from '../../src-shared/i18n';
import { mnemonicProps } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { MnemonicText } from './mnemonic-text';

/**
 * What a settings utility page needs from the utility: the messages under the fields, and the
 * callbacks every field calls (typing, leaving, focusing — which shows its guide message).
 */
export interface PageBinding {
  errors: Readonly<Partial<Record<string, string>>>;
  change(path: string, value: string): void;
  /**
   * Leaving the field: the utility shows what will be stored (half-width kana, 1234567) and, when
   * `check`, the field's message at once. Not when a button takes the focus: a message appearing
   * or going then moves the button away under the mouse, and the button checks anyway.
   */
  leave(path: string, check: boolean): void;
  /** the field got the focus: its guide message goes to the bottom of the page */
  guide(key: MessageKey | null): void;
  /** keeps the field's element so a refusal can move the focus to it */
  register(path: string): (el: HTMLElement | null) => void;
}

export interface UtilityFieldProps {
  binding: PageBinding;
  /** the field's path as the backend names it, e.g. customer.postalCode */
  path: string;
  /** catalogue label with its '&' mnemonic */
  label: string;
  value: string;
  guideKey: MessageKey | null;
  required?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  /** a freeform combobox offering these values; a value not in the list may be typed */
  choices?: readonly string[];
  maxLength?: number;
}

/**
 * One row of a settings utility page: label (with its Alt+letter) + input + the message under it.
 * Required fields carry the asterisk; the accessible name is the label's text.
 */
export function UtilityField({
  binding,
  path,
  label,
  value,
  guideKey,
  required = false,
  disabled = false,
  readOnly = false,
  choices,
  maxLength,
}: UtilityFieldProps) {
  const { t } = useI18n();
  const error = binding.errors[path];
  const common = {
    ref: binding.register(path),
    ...mnemonicProps(label),
    'data-field': path,
    disabled,
    onFocus: () => binding.guide(guideKey),
    onBlur: (e: FocusEvent<HTMLInputElement>) => binding.leave(path, !(e.relatedTarget instanceof HTMLButtonElement)),
  };
  return (
    <Field
      className="utility-field"
      orientation="horizontal"
      size="small"
      label={{ children: <MnemonicText label={label} /> }}
      required={required}
      validationState={error ? 'error' : 'none'}
      validationMessage={error}
    >
      {choices ? (
        <Combobox
          {...common}
          className="utility-input"
          size="small"
          freeform
          expandIcon={{ 'aria-label': t('ui.combobox.open') }}
          value={value}
          selectedOptions={choices.includes(value) ? [value] : []}
          maxLength={maxLength}
          onChange={(e) => binding.change(path, e.target.value)}
          onOptionSelect={(_e, data) => {
            if (data.optionText !== undefined) binding.change(path, data.optionText);
          }}
        >
          {choices.map((choice) => (
            <Option key={choice}>{choice}</Option>
          ))}
        </Combobox>
      ) : (
        <Input
          {...common}
          className="utility-input"
          size="small"
          value={value}
          readOnly={readOnly}
          maxLength={maxLength}
          onChange={(_e, data) => binding.change(path, data.value)}
        />
      )}
    </Field>
  );
}
