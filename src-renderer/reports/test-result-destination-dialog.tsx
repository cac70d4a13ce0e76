import {
  Button,
  Input,
  Radio,
  RadioGroup,
} from '@fluentui/react-components';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { Params } from '../../src-shared/api';
import type { MessageKey } from '../../src-shared/i18n';
import type { Settings } from '../../src-shared/settings';
import { mnemonicProps } from '../lib/mnemonics';
import { FormDialog } from '../ui/form-dialog';
import { useI18n } from '../lib/i18n-context';
import { MnemonicButtonText, MnemonicText } from '../ui/mnemonic-text';
import '../ui/setting-dialogs.css';

export type ResultDestination = Params<'report:test'>['result'];

/** What the window shows: the choice and both entries, so that いいえ returns to them as typed. */
export interface ResultChoice {
  kind: 'mail' | 'fax';
  address: string;
  number: string;
}

/** Where [既定値] comes from: the opening's result mail, else the customer's e-mail, else nowhere. */
export type DefaultFrom = 'resultMail' | 'customer' | 'none';

/** [既定値] of an opening, and where it comes from (the backend answers a test the same way). */
export function defaultMailOf(opening: Settings['opening']): { defaultMail: string; defaultFrom: DefaultFrom } {
  if (opening?.resultMail) return { defaultMail: opening.resultMail, defaultFrom: 'resultMail' };
  if (opening?.customer.email) return { defaultMail: opening.customer.email, defaultFrom: 'customer' };
  return { defaultMail: '', defaultFrom: 'none' };
}

const DEFAULT_FROM_TEXT: Readonly<Record<DefaultFrom, MessageKey>> = {
  resultMail: 'https.result.defaultResultMail',
  customer: 'https.result.defaultCustomer',
  none: 'https.result.defaultNone',
};

export interface TestResultDestinationDialogProps {
  initial: ResultChoice;
  /** [既定値]: the opening's result mail address, else the customer's e-mail address */
  defaultMail: string;
  defaultFrom: DefaultFrom;
  onOk(choice: ResultChoice, result: ResultDestination): void;
  onCancel(): void;
}

const MAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FAX = /^\+?[0-9][0-9-]*$/;

function toHalfWidth(text: string): string {
  return text.trim().replace(/[！-～]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * テスト結果送付先の選択 (seed L2386, L2637): where the center sends the test report's result —
 * 電子メール (default: the opening's result mail, else the customer's address; [既定値] restores it
 * and the hint says which it is) or ファクシミリ.
 */
export function TestResultDestinationDialog({ initial, defaultMail, defaultFrom, onOk, onCancel }: TestResultDestinationDialogProps) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<ResultChoice>(initial);
  const [error, setError] = useState<string | null>(null);
  const groupId = useId();
  const errorId = useId();
  const mailRef = useRef<HTMLInputElement>(null);
  const faxRef = useRef<HTMLInputElement>(null);
  const mailLabel = t('https.result.mail');
  const faxLabel = t('https.result.fax');
  const defaultLabel = t('https.result.default');

  const update = (patch: Partial<ResultChoice>) => {
    setChoice((c) => ({ ...c, ...patch }));
    setError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (choice.kind === 'mail') {
      const address = toHalfWidth(choice.address);
      if (!MAIL.test(address) || address.length > 200) {
        setError(t('https.result.mailInvalid'));
        mailRef.current?.focus();
        return;
      }
      onOk({ ...choice, address }, { kind: 'mail', address });
    } else {
      const number = toHalfWidth(choice.number);
      if (!FAX.test(number) || number.length > 64) {
        setError(t('https.result.faxInvalid'));
        faxRef.current?.focus();
        return;
      }
      onOk({ ...choice, number }, { kind: 'fax', number });
    }
  };

  const invalid = (kind: ResultChoice['kind']) => (error !== null && choice.kind === kind ? { 'aria-invalid': true, 'aria-describedby': errorId } : {});

  return (
    <FormDialog
      title={t('https.result.title')}
      surfaceClassName="dialog dialog--medium"
      mnemonics
      onSubmit={submit}
      noValidate
      onCancel={onCancel}
    >
      <span id={groupId} className="visually-hidden">
        {t('https.result.title')}
      </span>
      <RadioGroup
        className="result-choice"
        aria-labelledby={groupId}
        value={choice.kind}
        onChange={(_e, data) => update({ kind: data.value === 'fax' ? 'fax' : 'mail' })}
      >
        <Radio value="mail" label={<MnemonicText label={mailLabel} />} {...mnemonicProps(mailLabel)} />
        <Input
          ref={mailRef}
          size="small"
          aria-label={t('https.result.mailAddress')}
          type="email"
          value={choice.address}
          disabled={choice.kind !== 'mail'}
          data-field="result.address"
          onChange={(_e, data) => update({ address: data.value })}
          {...invalid('mail')}
        />
        <Button
          type="button"
          size="small"
          disabled={choice.kind !== 'mail' || defaultMail === ''}
          onClick={() => update({ address: defaultMail })}
          {...mnemonicProps(defaultLabel)}
        >
          <MnemonicButtonText label={defaultLabel} />
        </Button>
        <Radio value="fax" label={<MnemonicText label={faxLabel} />} {...mnemonicProps(faxLabel)} />
        <Input
          ref={faxRef}
          size="small"
          aria-label={t('https.result.faxNumber')}
          type="tel"
          value={choice.number}
          disabled={choice.kind !== 'fax'}
          data-field="result.number"
          onChange={(_e, data) => update({ number: data.value })}
          {...invalid('fax')}
        />
        <span />
        {error ? (
          <p id={errorId} className="field-error result-choice__error" role="alert">
            {error}
          </p>
        ) : null}
      </RadioGroup>
      <p className="hint">
        {choice.kind === 'mail' ? `${t('https.result.mailHint')}${t(DEFAULT_FROM_TEXT[defaultFrom])}` : t('https.result.faxHint')}
      </p>
    </FormDialog>
  );
}
