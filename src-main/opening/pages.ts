import { ApiError } from '../../src-shared/errors';
import { CATALOGS, mnemonic, translate, type Language, type MessageKey } from '../../src-shared/i18n';
import {
  checkPage,
  CORPORATE_ONLY,
  CUSTOMER_FIELDS,
  DEALER_FIELDS,
  DEVICE_FIELDS,
  OPTION_FIELDS,
  type Customer,
  type Dealer,
  type Device,
  type FieldIssue,
  type OptionDevice,
} from '../../src-shared/opening';

export interface Pages {
  customer: Customer;
  device: Device;
  options: OptionDevice[];
  dealer: Dealer;
}

/** The field's label without its mnemonic: `customer.postalCode` → お客様郵便番号. */
export function fieldLabel(lang: Language, field: string): string {
  const [page, second, third] = field.split('.');
  if (page === 'options' && third !== undefined) {
    return `${translate(lang, 'opening.page.options')} ${Number(second) + 1}: ${translate(lang, `opening.options.${third}` as MessageKey)}`;
  }
  const key = `opening.${field}`;
  if (!(key in CATALOGS[lang])) return field;
  return mnemonic(translate(lang, key as MessageKey)).text.replace(/\s*\([A-Z]\)$/, '').replace(/\(&?[A-Z]\)$/, '');
}

/** The user's message for one field issue, naming the field. */
export function issueMessage(lang: Language, issue: FieldIssue): string {
  return `${fieldLabel(lang, issue.field)}: ${translate(lang, issue.key, issue.params)}`;
}

/**
 * Normalises and checks the settings utility's pages as the seed asks. The customer page is not
 * shown for a key-code opening (and is stored empty); an individual enters no department or
 * contact. Throws one `invalid-value` error naming the first wrong field, with all of them as details.
 */
export function checkPages(pages: Pages, mode: 'key-file' | 'key-code', lang: Language): Pages {
  const issues: FieldIssue[] = [];
  const individual = pages.customer.type === 'individual';
  const customer = checkPage(CUSTOMER_FIELDS, mode === 'key-code' ? {} : pages.customer, 'customer', individual || mode === 'key-code' ? CORPORATE_ONLY : []);
  if (mode === 'key-file') issues.push(...customer.issues);
  const device = checkPage(DEVICE_FIELDS, pages.device, 'device');
  issues.push(...device.issues);
  const options = pages.options.map((o, i) => {
    const checked = checkPage(OPTION_FIELDS, o, `options.${i}`);
    issues.push(...checked.issues);
    return checked.values;
  });
  const dealer = checkPage(DEALER_FIELDS, pages.dealer, 'dealer');
  issues.push(...dealer.issues);
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new ApiError({
      code: 'invalid-value',
      field: first.field,
      message: issueMessage(lang, first),
      reason: translate(lang, first.key, first.params),
      details: issues.length > 1 ? issues.map((i) => issueMessage(lang, i)) : undefined,
    });
  }
  return {
    customer: { ...customer.values, type: mode === 'key-code' ? 'corporate' : pages.customer.type },
    device: device.values,
    options,
    dealer: dealer.values,
  };
}
