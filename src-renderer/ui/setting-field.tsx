import { Field, Input } from '@fluentui/react-components';
import type { ReactElement, Ref } from 'react';
import { mnemonicProps } from '../lib/mnemonics';
import { MnemonicText } from './mnemonic-text';
import './setting-dialogs.css';

export interface SettingFieldFrameProps {
  /** catalogue label with its '&' mnemonic */
  label: string;
  /** the refusal shown under the field */
  error?: string;
  hint?: string;
  /** the control (Input, Combobox, Select): it carries the label's mnemonic itself */
  children: ReactElement;
}

/** The frame of a settings window's field: label (with its Alt+letter) | control, and the refusal or hint under it. */
export function SettingFieldFrame({ label, error, hint, children }: SettingFieldFrameProps) {
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
      {children}
    </Field>
  );
}

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
    <SettingFieldFrame label={label} error={error} hint={hint}>
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
    </SettingFieldFrame>
  );
}
