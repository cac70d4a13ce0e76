/**
 * The key file's sections and keys (docs/formats/keyfile.md), shared by the reader (keyfile.ts)
 * and the writer (keyfile-writer.ts).
 */
import { CUSTOMER_FIELDS, DEALER_FIELDS, DEVICE_FIELDS, OPTION_FIELDS, type CustomerField, type DealerField, type DeviceField, type OptionField } from '../../src-shared/opening';
import type { Opening } from '../../src-shared/settings';

export type KeyFileDestinations = Opening['destinations'];

export const hex = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

// C0 controls other than TAB, LF, CR; DEL; C1 controls.
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

// ---------------------------------------------------------------------------------------------
// The sections and keys

export type KeyTable<F extends string> = readonly (readonly [key: string, field: F])[];

export const CUSTOMER_KEYS: KeyTable<CustomerField> = [
  ['NameKana', 'nameKana'],
  ['NameKanji', 'nameKanji'],
  ['Department', 'department'],
  ['PostalCode', 'postalCode'],
  ['AddressKana', 'addressKana'],
  ['AddressKanji', 'addressKanji'],
  ['AddressDetail', 'addressDetail'],
  ['Phone', 'phone'],
  ['Email', 'email'],
  ['ContactKana', 'contactKana'],
  ['ContactKanji', 'contactKanji'],
];
export const SERVER_KEYS: KeyTable<DeviceField> = [
  ['ServerName', 'serverName'],
  ['DeviceCode', 'deviceCode'],
  ['SerialNumber', 'serialNumber'],
  ['WarrantyNumber', 'warrantyNumber'],
  ['Comment', 'comment'],
];
export const OPTION_KEYS: KeyTable<OptionField> = [
  ['DeviceCode', 'deviceCode'],
  ['SerialNumber', 'serialNumber'],
  ['Comment', 'comment'],
];
export const DEALER_KEYS: KeyTable<DealerField> = [
  ['Name', 'name'],
  ['SalesDepartment', 'salesDepartment'],
  ['SalesName', 'salesName'],
  ['SalesPhone', 'salesPhone'],
  ['SeDepartment', 'seDepartment'],
  ['SeName', 'seName'],
  ['SePhone', 'sePhone'],
];
export const DESTINATION_KEYS: KeyTable<keyof KeyFileDestinations> = [
  ['Mail', 'mail'],
  ['HttpsUrl1', 'httpsPrimary'],
  ['HttpsUrl2', 'httpsSecondary'],
  ['Phone1', 'phonePrimary'],
  ['Phone2', 'phoneSecondary'],
];
export const CONTRACT_KEYS = ['FormatVersion', 'UserSystemCode', 'ExpiresAt', 'ExtensionSecret'] as const;
export const CERTIFICATE_KEY = 'DerBase64';

/** Keys that must be present (a value may still be empty: the field rules report that). */
export const REQUIRED = {
  Contract: ['FormatVersion', 'UserSystemCode', 'ExtensionSecret'],
  Customer: ['Type', ...CUSTOMER_KEYS.filter(([, f]) => CUSTOMER_FIELDS[f].required).map(([k]) => k)],
  Server: SERVER_KEYS.filter(([, f]) => DEVICE_FIELDS[f].required).map(([k]) => k),
  Dealer: DEALER_KEYS.filter(([, f]) => DEALER_FIELDS[f].required).map(([k]) => k),
  Destinations: [],
  Certificate: [CERTIFICATE_KEY],
} satisfies Record<string, readonly string[]>;
export const OPTION_REQUIRED = OPTION_KEYS.filter(([, f]) => OPTION_FIELDS[f].required).map(([k]) => k);

export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  Contract: CONTRACT_KEYS,
  Customer: ['Type', ...CUSTOMER_KEYS.map(([k]) => k)],
  Server: SERVER_KEYS.map(([k]) => k),
  Dealer: DEALER_KEYS.map(([k]) => k),
  Destinations: DESTINATION_KEYS.map(([k]) => k),
  Certificate: [CERTIFICATE_KEY],
};
export const SECTION_ORDER = ['Contract', 'Customer', 'Server', 'Dealer', 'Destinations', 'Certificate'] as const;
export type FixedSection = (typeof SECTION_ORDER)[number];
export const OPTION_SECTION = /^Option([1-9][0-9]*)$/;

/** A section this program reads: a reason may name it without quoting the file. */
export function isKnownSection(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN_KEYS, name) || OPTION_SECTION.test(name);
}

/** A key this program reads in that section. */
export function isKnownKey(section: string, key: string): boolean {
  const known = OPTION_SECTION.test(section) ? OPTION_KEYS.map(([k]) => k) : Object.prototype.hasOwnProperty.call(KNOWN_KEYS, section) ? KNOWN_KEYS[section] : undefined;
  return known?.includes(key) ?? false;
}

