import { z } from 'zod';
import { isHalfWidthKana, toHalfWidth } from './kana';

/**
 * The opening (開局) information: customer, device, option devices, dealer and the contract.
 * Field rules are shared by the wizard (instant messages) and the backend (the final check).
 */

/** A problem with one field: the message key of src-shared/i18n and its parameters. */
export interface FieldIssue {
  field: string;
  key: 'invalid.required' | 'invalid.kana' | 'invalid.too-long' | 'invalid.postal' | 'invalid.phone' | 'invalid.email' | 'invalid.key-code' | 'invalid.code' | 'invalid.control';
  params?: Record<string, number | string>;
}

type Kind = 'kana' | 'kanaAddress' | 'text' | 'postal' | 'phone' | 'email' | 'code' | 'keyCode';

export interface FieldRule {
  required: boolean;
  max: number;
  kind: Kind;
}

const r = (kind: Kind, max: number, required = false): FieldRule => ({ kind, max, required });

export const CUSTOMER_FIELDS = {
  nameKana: r('kana', 40, true),
  nameKanji: r('text', 40, true),
  department: r('text', 40),
  postalCode: r('postal', 7, true),
  addressKana: r('kanaAddress', 80, true),
  addressKanji: r('text', 60, true),
  addressDetail: r('text', 60),
  phone: r('phone', 20, true),
  email: r('email', 100, true),
  contactKana: r('kana', 40),
  contactKanji: r('text', 40),
} as const;

export const DEVICE_FIELDS = {
  serverName: r('text', 20, true),
  deviceCode: r('code', 20, true),
  serialNumber: r('code', 20, true),
  warrantyNumber: r('code', 20, true),
  comment: r('text', 60),
} as const;

export const OPTION_FIELDS = {
  deviceCode: r('code', 20, true),
  serialNumber: r('code', 20),
  comment: r('text', 60),
} as const;

export const DEALER_FIELDS = {
  name: r('text', 40),
  salesDepartment: r('text', 40),
  salesName: r('text', 40),
  salesPhone: r('phone', 20),
  seDepartment: r('text', 40),
  seName: r('text', 40),
  sePhone: r('phone', 20),
} as const;

export const KEY_CODE_FIELDS = {
  keyCode: r('keyCode', 5, true),
  resultMail: r('email', 100),
} as const;

export type CustomerField = keyof typeof CUSTOMER_FIELDS;
export type DeviceField = keyof typeof DEVICE_FIELDS;
export type DealerField = keyof typeof DEALER_FIELDS;
export type OptionField = keyof typeof OPTION_FIELDS;

/** For an individual (個人) customer, department and contact are not entered (seed L612). */
export const CORPORATE_ONLY: readonly CustomerField[] = ['department', 'contactKana', 'contactKanji'];

/** The device codes offered in the list; a code not in it may be typed (seed L662). */
export const DEVICE_CODES = ['N8100-XXX', 'N8100-2xxxY', 'N8800-XXX', 'N8150-XXX'] as const;
/** The dealer names offered in the list; a name not in it may be typed (seed L733). */
export const DEALER_NAMES = ['NEC', 'NECフィールディング'] as const;

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const PHONE = /^\+?[0-9]+(?:-[0-9]+)*$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** What the field will store for what was typed: trimmed, half-width where the seed wants it. */
export function normalizeField(rule: FieldRule, value: string): string {
  const v = value.trim();
  switch (rule.kind) {
    case 'kana':
    case 'kanaAddress':
      return toHalfWidth(v).replace(/ {2,}/g, ' ');
    case 'postal':
      return toHalfWidth(v).replace(/-/g, '');
    case 'phone':
    case 'email':
    case 'code':
    case 'keyCode':
      return toHalfWidth(v);
    case 'text':
      return v;
  }
}

/** The first problem with a normalised value, or null. */
export function checkField(field: string, rule: FieldRule, value: string): FieldIssue | null {
  if (value === '') return rule.required ? { field, key: 'invalid.required' } : null;
  switch (rule.kind) {
    case 'kana':
    case 'kanaAddress':
      if (!isHalfWidthKana(value)) return { field, key: 'invalid.kana' };
      break;
    case 'postal':
      if (!/^\d{7}$/.test(value)) return { field, key: 'invalid.postal' };
      break;
    case 'phone': {
      const digits = value.replace(/\D/g, '').length;
      if (!PHONE.test(value) || digits < 9 || digits > 15) return { field, key: 'invalid.phone' };
      break;
    }
    case 'email':
      if (!EMAIL.test(value)) return { field, key: 'invalid.email' };
      break;
    case 'code':
      if (!CODE.test(value)) return { field, key: 'invalid.code' };
      break;
    case 'keyCode':
      if (!/^\d{5}$/.test(value)) return { field, key: 'invalid.key-code' };
      break;
    case 'text':
      if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return { field, key: 'invalid.control' };
      break;
  }
  if ([...value].length > rule.max) return { field, key: 'invalid.too-long', params: { max: rule.max } };
  return null;
}

/**
 * Normalises and checks every field of one page. `prefix` names the page in the issues
 * (`customer.postalCode`); `skip` lists fields that are not entered (and are stored empty).
 */
export function checkPage<F extends string>(
  rules: Readonly<Record<F, FieldRule>>,
  input: Partial<Record<NoInfer<F>, string>>,
  prefix: string,
  skip: readonly string[] = [],
): { values: Record<F, string>; issues: FieldIssue[] } {
  const values = {} as Record<F, string>;
  const issues: FieldIssue[] = [];
  for (const field of Object.keys(rules) as F[]) {
    const rule = rules[field];
    const value = skip.includes(field) ? '' : normalizeField(rule, input[field] ?? '');
    values[field] = value;
    const issue = checkField(`${prefix}.${field}`, rule, value);
    if (issue) issues.push(issue);
  }
  return { values, issues };
}

function stringsOf<F extends string>(rules: Readonly<Record<F, FieldRule>>) {
  const shape = {} as Record<F, z.ZodDefault<z.ZodString>>;
  for (const k of Object.keys(rules) as F[]) shape[k] = z.string().max(200).default('');
  return z.object(shape);
}

export const customerSchema = stringsOf(CUSTOMER_FIELDS).extend({ type: z.enum(['individual', 'corporate']).default('corporate') });
export const deviceSchema = stringsOf(DEVICE_FIELDS);
export const optionDeviceSchema = stringsOf(OPTION_FIELDS);
export const dealerSchema = stringsOf(DEALER_FIELDS);
export type Customer = z.infer<typeof customerSchema>;
export type Device = z.infer<typeof deviceSchema>;
export type OptionDevice = z.infer<typeof optionDeviceSchema>;
export type Dealer = z.infer<typeof dealerSchema>;
