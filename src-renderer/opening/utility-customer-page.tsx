import { Field, Radio, RadioGroup } from '@fluentui/react-components';
import { CUSTOMER_FIELDS, type Customer, type CustomerField } from '../../src-shared/opening';
import { mnemonicProps } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { MnemonicText } from '../ui/mnemonic-text';
import { skippedCustomerFields } from './opening-form';
import { UtilityField, type PageBinding } from '../ui/utility-field';

export interface UtilityCustomerPageProps {
  customer: Customer;
  binding: PageBinding;
  onTypeChange(type: Customer['type']): void;
}

/** The fields in the seed's order (L602–624). */
const ORDER: readonly CustomerField[] = [
  'nameKana',
  'nameKanji',
  'department',
  'postalCode',
  'addressKana',
  'addressKanji',
  'addressDetail',
  'phone',
  'email',
  'contactKana',
  'contactKanji',
];

/**
 * お客様に関する情報 (key-file opening only). For 個人 the department and contact are not entered:
 * they are disabled and emptied (seed L594).
 */
export function UtilityCustomerPage({ customer, binding, onTypeChange }: UtilityCustomerPageProps) {
  const { t } = useI18n();
  const skipped = skippedCustomerFields(customer);
  const individual = t('opening.customer.individual');
  const corporate = t('opening.customer.corporate');
  return (
    <div className="utility-fields">
      {ORDER.map((field) => (
        <UtilityField
          key={field}
          binding={binding}
          path={`customer.${field}`}
          label={t(`opening.customer.${field}`)}
          value={customer[field]}
          guideKey={`guide.customer.${field}`}
          required={CUSTOMER_FIELDS[field].required}
          disabled={skipped.includes(field)}
        />
      ))}
      <Field className="utility-field" orientation="horizontal" size="small" label={t('opening.customer.type')}>
        <RadioGroup
          layout="horizontal"
          value={customer.type}
          onChange={(_e, data) => onTypeChange(data.value === 'individual' ? 'individual' : 'corporate')}
          onFocus={() => binding.guide('guide.customer.type')}
        >
          <Radio
            value="individual"
            label={<MnemonicText label={individual} />}
            {...mnemonicProps(individual)}
          />
          <Radio
            value="corporate"
            label={<MnemonicText label={corporate} />}
            {...mnemonicProps(corporate)}
          />
        </RadioGroup>
      </Field>
    </div>
  );
}
