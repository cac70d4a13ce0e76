import { describe, expect, it } from 'vitest';
import { isHalfWidthKana, toHalfWidth } from '../../src-shared/kana';
import {
  checkField,
  checkPage,
  CORPORATE_ONLY,
  CUSTOMER_FIELDS,
  DEALER_FIELDS,
  DEVICE_FIELDS,
  KEY_CODE_FIELDS,
  normalizeField,
  type FieldRule,
} from '../../src-shared/opening';

const accept = (rule: FieldRule, typed: string) => checkField('f', rule, normalizeField(rule, typed));

describe('kana fields store half-width katakana (seed: 半角カナ)', () => {
  it.each([
    ['ニチデン タロウ', 'ﾆﾁﾃﾞﾝ ﾀﾛｳ'],
    ['にちでん　たろう', 'ﾆﾁﾃﾞﾝ ﾀﾛｳ'],
    ['ﾆﾁﾃﾞﾝ ﾀﾛｳ', 'ﾆﾁﾃﾞﾝ ﾀﾛｳ'],
    ['トウキョウトフチュウシ', 'ﾄｳｷｮｳﾄﾌﾁｭｳｼ'],
    ['パソコン ヴィラ', 'ﾊﾟｿｺﾝ ｳﾞｨﾗ'],
    ['コーポ　１２３', 'ｺｰﾎﾟ 123'],
  ])('%s → %s', (typed, stored) => {
    expect(normalizeField(CUSTOMER_FIELDS.nameKana, typed)).toBe(stored);
    expect(accept(CUSTOMER_FIELDS.nameKana, typed)).toBeNull();
  });

  it('refuses kanji in a kana field, naming the rule', () => {
    expect(accept(CUSTOMER_FIELDS.nameKana, '日電 太郎')?.key).toBe('invalid.kana');
    expect(isHalfWidthKana(toHalfWidth('日電'))).toBe(false);
  });
});

describe('customer page rules (seed samples)', () => {
  it('accepts the seed’s sample customer', () => {
    const { values, issues } = checkPage(
      CUSTOMER_FIELDS,
      {
        nameKana: 'ニチデン タロウ',
        nameKanji: '日電 太郎',
        department: '総務',
        postalCode: '0123456',
        addressKana: 'トウキョウトフチュウシ',
        addressKanji: '東京都府中市',
        phone: '0123-45-6789',
        email: 'aaa@bbb.co.jp',
        contactKana: 'ニチデン ハナコ',
        contactKanji: '日電 花子',
      },
      'customer',
    );
    expect(issues).toEqual([]);
    expect(values.nameKana).toBe('ﾆﾁﾃﾞﾝ ﾀﾛｳ');
    expect(values.contactKana).toBe('ﾆﾁﾃﾞﾝ ﾊﾅｺ');
  });

  it('marks every required field when the page is empty', () => {
    const { issues } = checkPage(CUSTOMER_FIELDS, {}, 'customer');
    expect(issues.map((i) => i.field)).toEqual([
      'customer.nameKana',
      'customer.nameKanji',
      'customer.postalCode',
      'customer.addressKana',
      'customer.addressKanji',
      'customer.phone',
      'customer.email',
    ]);
    expect(issues.every((i) => i.key === 'invalid.required')).toBe(true);
  });

  it.each([
    ['0123456', '0123456', null],
    ['123-4567', '1234567', null],
    ['１２３－４５６７', '1234567', null],
    ['12345', '12345', 'invalid.postal'],
    ['abcdefg', 'abcdefg', 'invalid.postal'],
  ])('postal code %s → %s', (typed, stored, issue) => {
    expect(normalizeField(CUSTOMER_FIELDS.postalCode, typed)).toBe(stored);
    expect(accept(CUSTOMER_FIELDS.postalCode, typed)?.key ?? null).toBe(issue);
  });

  it.each([
    ['0123-45-6789', null],
    ['03-1234-5678', null],
    ['０３−１２３４−５６７８', null],
    ['0312345678', null],
    ['03-12a4-5678', 'invalid.phone'],
    ['123', 'invalid.phone'],
    ['03--1234', 'invalid.phone'],
  ])('phone %s', (typed, issue) => {
    expect(accept(CUSTOMER_FIELDS.phone, typed)?.key ?? null).toBe(issue);
  });

  it.each([
    ['aaa@bbb.co.jp', null],
    ['first.last+tag@example.co.jp', null],
    ['aaa@bbb', 'invalid.email'],
    ['aaa.bbb.co.jp', 'invalid.email'],
    ['a a@bbb.co.jp', 'invalid.email'],
    ['aaa@bbb..jp', 'invalid.email'],
  ])('mail address %s', (typed, issue) => {
    expect(accept(CUSTOMER_FIELDS.email, typed)?.key ?? null).toBe(issue);
  });

  it('stores department and contact empty for an individual (個人)', () => {
    const { values, issues } = checkPage(CUSTOMER_FIELDS, { department: '総務', contactKana: 'ニチデン', nameKana: 'x' }, 'customer', CORPORATE_ONLY);
    expect(values.department).toBe('');
    expect(values.contactKana).toBe('');
    expect(issues.some((i) => i.field === 'customer.department')).toBe(false);
  });
});

describe('device page rules', () => {
  it('accepts SERVER001 / N8100-XXX / 00000001 / 99999999', () => {
    const { issues } = checkPage(DEVICE_FIELDS, { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' }, 'device');
    expect(issues).toEqual([]);
  });

  it('limits the server name to 20 characters (seed L708)', () => {
    expect(accept(DEVICE_FIELDS.serverName, 'S'.repeat(20))).toBeNull();
    expect(accept(DEVICE_FIELDS.serverName, 'S'.repeat(21))).toMatchObject({ key: 'invalid.too-long', params: { max: 20 } });
    expect(accept(DEVICE_FIELDS.serverName, 'サーバー'.repeat(5))).toBeNull();
  });

  it('refuses device codes with spaces or symbols', () => {
    expect(accept(DEVICE_FIELDS.deviceCode, 'N8100 XXX')?.key).toBe('invalid.code');
    expect(accept(DEVICE_FIELDS.deviceCode, 'N8100-XXX;')?.key).toBe('invalid.code');
    expect(accept(DEVICE_FIELDS.deviceCode, 'Ｎ８１００－ＸＸＸ')).toBeNull();
  });
});

describe('key code (通報開局キーコード)', () => {
  it.each([
    ['01239', null],
    ['０１２３９', null],
    ['1234', 'invalid.key-code'],
    ['123456', 'invalid.key-code'],
    ['12a45', 'invalid.key-code'],
    ['', 'invalid.required'],
  ])('%s', (typed, issue) => {
    expect(accept(KEY_CODE_FIELDS.keyCode, typed)?.key ?? null).toBe(issue);
  });
});

describe('dealer page', () => {
  it('is optional, but a phone given must be a phone', () => {
    expect(checkPage(DEALER_FIELDS, {}, 'dealer').issues).toEqual([]);
    expect(checkPage(DEALER_FIELDS, { name: 'NEC', salesPhone: 'abc' }, 'dealer').issues.map((i) => i.field)).toEqual(['dealer.salesPhone']);
  });
});
