import type { OpeningPages } from '../../src-shared/api';
import { CATALOGS, mnemonic, type MessageKey } from '../../src-shared/i18n';
import {
  checkPage,
  CORPORATE_ONLY,
  CUSTOMER_FIELDS,
  DEALER_FIELDS,
  DEVICE_FIELDS,
  normalizeField,
  OPTION_FIELDS,
  type Customer,
  type CustomerField,
  type Dealer,
  type DealerField,
  type Device,
  type DeviceField,
  type FieldIssue,
  type FieldRule,
  type OptionDevice,
  type OptionField,
} from '../../src-shared/opening';
import type { I18n } from '../lib/i18n-context';

/**
 * The settings utility's form: the four pages as the person edits them, the same field rules the
 * backend runs (src-shared/opening.ts), and the names of fields for messages. No React here.
 */

export type OpeningMode = 'key-file' | 'key-code';
export type UtilityPage = 'customer' | 'device' | 'options' | 'dealer';

export interface OpeningForm {
  customer: Customer;
  device: Device;
  options: OptionDevice[];
  dealer: Dealer;
}

/** Messages shown under fields, by path. */
export type FieldErrors = Readonly<Partial<Record<string, string>>>;

/** The pages of the utility: a key-code opening has no customer page (seed L593). */
export function pagesFor(mode: OpeningMode): UtilityPage[] {
  return mode === 'key-code' ? ['device', 'options', 'dealer'] : ['customer', 'device', 'options', 'dealer'];
}

function blank<F extends string>(rules: Readonly<Record<F, FieldRule>>): Record<F, string> {
  const out = {} as Record<F, string>;
  for (const key of Object.keys(rules) as F[]) out[key] = '';
  return out;
}

/** The form for pages as the backend gives them (a key file, a stored opening); missing values are empty. */
export function formFrom(pages: Partial<OpeningPages>): OpeningForm {
  const customer: Customer = { ...blank(CUSTOMER_FIELDS), type: 'corporate', ...pages.customer };
  return {
    customer,
    device: { ...blank(DEVICE_FIELDS), ...pages.device },
    options: (pages.options ?? []).map((o) => ({ ...blank(OPTION_FIELDS), ...o })),
    dealer: { ...blank(DEALER_FIELDS), ...pages.dealer },
  };
}

/** The fields of the customer page that are not entered for the chosen customer type. */
export function skippedCustomerFields(customer: Customer): readonly CustomerField[] {
  return customer.type === 'individual' ? CORPORATE_ONLY : [];
}

/** The rule of a field path, or null for a path that is not a field. */
export function ruleOf(path: string): FieldRule | null {
  const parts = path.split('.');
  const table: Readonly<Record<string, FieldRule>> | undefined =
    parts[0] === 'customer'
      ? CUSTOMER_FIELDS
      : parts[0] === 'device'
        ? DEVICE_FIELDS
        : parts[0] === 'dealer'
          ? DEALER_FIELDS
          : parts[0] === 'options'
            ? OPTION_FIELDS
            : undefined;
  const field = parts[0] === 'options' ? parts[2] : parts[1];
  if (!table || field === undefined || !Object.prototype.hasOwnProperty.call(table, field)) return null;
  return table[field] ?? null;
}

/** Reads the value of a field path. */
export function valueAt(form: OpeningForm, path: string): string {
  const [page, a, b] = path.split('.');
  if (page === 'options') {
    const row = form.options[Number(a)];
    return row && b !== undefined && b in row ? row[b as OptionField] : '';
  }
  if (page === 'customer' && a !== undefined && a in form.customer && a !== 'type') return form.customer[a as CustomerField];
  if (page === 'device' && a !== undefined && a in form.device) return form.device[a as DeviceField];
  if (page === 'dealer' && a !== undefined && a in form.dealer) return form.dealer[a as DealerField];
  return '';
}

/** Returns the form with one field changed. */
export function withValue(form: OpeningForm, path: string, value: string): OpeningForm {
  const [page, a, b] = path.split('.');
  if (a === undefined) return form;
  switch (page) {
    case 'customer':
      return a in form.customer && a !== 'type' ? { ...form, customer: { ...form.customer, [a]: value } } : form;
    case 'device':
      return a in form.device ? { ...form, device: { ...form.device, [a]: value } } : form;
    case 'dealer':
      return a in form.dealer ? { ...form, dealer: { ...form.dealer, [a]: value } } : form;
    case 'options': {
      const index = Number(a);
      if (b === undefined || !form.options[index]) return form;
      return { ...form, options: form.options.map((row, i) => (i === index ? { ...row, [b]: value } : row)) };
    }
    default:
      return form;
  }
}

/** What the field stores for what was typed (half-width kana, 123-4567 → 1234567, trimmed). */
export function normalizedAt(form: OpeningForm, path: string): string {
  const rule = ruleOf(path);
  const value = valueAt(form, path);
  return rule ? normalizeField(rule, value) : value;
}

/**
 * Normalises and checks one page with the backend's rules. Returns the page's values as they will
 * be stored and the problems, first one first (in the order the fields appear on the page).
 */
export function checkUtilityPage(page: UtilityPage, form: OpeningForm): { form: OpeningForm; issues: FieldIssue[] } {
  switch (page) {
    case 'customer': {
      const checked = checkPage(CUSTOMER_FIELDS, form.customer, 'customer', skippedCustomerFields(form.customer));
      return { form: { ...form, customer: { ...checked.values, type: form.customer.type } }, issues: checked.issues };
    }
    case 'device': {
      const checked = checkPage(DEVICE_FIELDS, form.device, 'device');
      return { form: { ...form, device: checked.values }, issues: checked.issues };
    }
    case 'options': {
      const issues: FieldIssue[] = [];
      const options = form.options.map((row, i) => {
        const checked = checkPage(OPTION_FIELDS, row, `options.${i}`);
        issues.push(...checked.issues);
        return checked.values;
      });
      return { form: { ...form, options }, issues };
    }
    case 'dealer': {
      const checked = checkPage(DEALER_FIELDS, form.dealer, 'dealer');
      return { form: { ...form, dealer: checked.values }, issues: checked.issues };
    }
  }
}

/** The page a field path is on. */
export function pageOfField(path: string): UtilityPage | null {
  const page = path.split('.')[0];
  return page === 'customer' || page === 'device' || page === 'options' || page === 'dealer' ? page : null;
}

/** A catalogue label without its mnemonic: 'お客様郵便番号(&Z)' → お客様郵便番号, 'Postal code (&Z)' → Postal code. */
export function plainLabel(label: string): string {
  return mnemonic(label)
    .text.replace(/\s*\([A-Z]\)$/, '')
    .trim();
}

/** The catalogue label of a field path (with its mnemonic marker). */
function labelKey(path: string): MessageKey | null {
  const [page, a, b] = path.split('.');
  let key: string | null = null;
  if (page === 'options' && b !== undefined) key = `opening.options.field.${b}`;
  else if ((page === 'keyCode' || page === 'customer' || page === 'device' || page === 'dealer') && a !== undefined) key = `opening.${page}.${a}`;
  return key !== null && isMessageKey(key) ? key : null;
}

function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(CATALOGS.ja, key);
}

/** The field's name for a message: お客様郵便番号, オプション装置情報 2: 装置コード. */
function fieldName({ t }: I18n, path: string): string {
  const key = labelKey(path);
  if (!key) return path;
  const name = plainLabel(t(key));
  const [page, index] = path.split('.');
  return page === 'options' ? `${t('opening.page.options')} ${Number(index) + 1}: ${name}` : name;
}

/** The reason alone, for under the field. */
export function issueReason({ t }: I18n, issue: FieldIssue): string {
  return t(issue.key, issue.params);
}

/** The message naming the field, as the backend words it: お客様郵便番号: 入力必須項目です。 */
export function issueMessage(i18n: I18n, issue: FieldIssue): string {
  return `${fieldName(i18n, issue.field)}: ${issueReason(i18n, issue)}`;
}

/** The pages to send: the form as typed (the backend normalises and checks again). */
export function pagesOf(form: OpeningForm): OpeningPages {
  return { customer: form.customer, device: form.device, options: form.options, dealer: form.dealer };
}
