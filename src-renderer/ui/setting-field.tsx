import { Field, Input } from '@fluentui/react-components';
import type { Ref } from 'react';
import { mnemonicProps } from '../lib/mnemonics';
import { MnemonicText } from './mnemonic-text';
import './setting-dialogs.css';

export interface SettingFieldProps {
  /** the settings key the field edits (`methods.express-https.proxy.host`); the input carries it as `data-field` */
  field: string;
  /** catalogue label with its '&' mnemonic */
  label: string;
  value: string;
  onChange(value: string): void;
  /** the refusal shown under the field */
  error?: string;
  hint?: string;
  type?: 'text' | 'password';
  inputMode?: 'text' | 'numeric' | 'url' | 'email';
  disabled?: boolean;
  className?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/**
 * One labelled input of a settings window: label (with its Alt+letter) | input, and the refusal or
 * hint under it. The accessible name is the label's text, e.g. 'アドレス(A)'. There is no
 * `maxlength`: it would cut a pasted value silently and store a different one; a value too long
 * is refused by the dialog's check or the backend's rule, under the field it names.
 */
export function SettingField({
  field,
  label,
  value,
  onChange,
  error,
  hint,
  type = 'text',
  inputMode,
  disabled = false,
  className,
  inputRef,
}: SettingFieldProps) {
  return (
    <Field
      className="setting-field"
      orientation="horizontal"
      size="small"
      label={{ children: <MnemonicText label={label} /> }}
      validationState={error ? 'error' : 'none'}
      validationMessage={error}
      hint={hint}
    >
      <Input
        ref={inputRef}
        className={className ? `setting-input ${className}` : 'setting-input'}
        size="small"
        type={type}
        inputMode={inputMode}
        value={value}
        disabled={disabled}
        spellCheck={false}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        data-field={field}
        // a stored password shows as ●●●●●●●●: typing replaces it rather than adding to it
        onFocus={type === 'password' ? (e) => e.currentTarget.select() : undefined}
        {...mnemonicProps(label)}
        onChange={(_e, data) => onChange(data.value)}
      />
    </Field>
  );
}
