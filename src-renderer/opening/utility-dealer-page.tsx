import { DEALER_FIELDS, DEALER_NAMES, type Dealer, type DealerField } from '../../src-shared/opening';
import { useI18n } from '../lib/i18n-context';
import { UtilityField, type PageBinding } from '../ui/utility-field';

export interface UtilityDealerPageProps {
  dealer: Dealer;
  binding: PageBinding;
}

const ORDER: readonly DealerField[] = ['name', 'salesDepartment', 'salesName', 'salesPhone', 'seDepartment', 'seName', 'sePhone'];

/** 本機を購入した販売店情報: the dealer (from the list or typed), sales and SE contacts. Nothing is required (seed L733). */
export function UtilityDealerPage({ dealer, binding }: UtilityDealerPageProps) {
  const { t } = useI18n();
  return (
    <div className="utility-fields">
      {ORDER.map((field) => (
        <UtilityField
          key={field}
          binding={binding}
          path={`dealer.${field}`}
          label={t(`opening.dealer.${field}`)}
          value={dealer[field]}
          guideKey={`guide.dealer.${field}`}
          required={DEALER_FIELDS[field].required}
          choices={field === 'name' ? DEALER_NAMES : undefined}
        />
      ))}
      <p className="hint">{t('opening.dealer.note')}</p>
    </div>
  );
}
