/**
 * The opening wizard by key file, on a machine whose DMI tells its device code and serial number:
 * a path typed and a file picked with [参照], the customer page (個人/法人, kana, postal code), a bad
 * key file, the host-name warning both ways, and re-opening by key code (no device dialog with
 * DMI; the key-file contract is gone).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedKeyFile } from '../center/issue-key-file';
import { launchBrowser, makeDataDir, openWindow, stopAllBackends, type Backend, type OpenWindow } from './harness';
import {
  alertDialog,
  dialog,
  dmiFolder,
  explainFailures,
  field,
  fieldMessage,
  focusedField,
  getOpening,
  isRequired,
  KEY_CODE_RADIO,
  KEY_FILE_RADIO,
  makeKeyFile,
  openServerMenu,
  pageTitle,
  SCREEN,
  shot,
  startOpeningBackend,
  UTILITY,
} from './opening-helpers';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();
let good: IssuedKeyFile;
let otherHost: IssuedKeyFile;
let emptyFile: string;

beforeAll(async () => {
  const center = path.join(data.dir, 'center');
  good = await makeKeyFile(center, 'server001.key', { serverName: 'SERVER001', encoding: 'sjis' });
  otherHost = await makeKeyFile(center, 'other-host.key', { serverName: 'OTHER-HOST', encoding: 'utf8', customerType: 'individual' });
  emptyFile = path.join(data.dir, 'empty.key');
  writeFileSync(emptyFile, '');
  const dmi = dmiFolder(data.dir, { productName: 'Express5800/R120h-1M [N8100-2801Y]', serial: 'ABC1234567' });
  backend = await startOpeningBackend(path.join(data.dir, 'service'), 'SERVER001', dmi);
  browser = await launchBrowser();
  win = await openWindow(browser, backend, SCREEN);
  page = win.page;
});

explainFailures(() => page);

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const utility = () => dialog(page, UTILITY);
const keyFilePage = () => dialog(page, '開局キーファイルの読み込み');
const statusBar = () => page.getByRole('contentinfo', { name: 'ステータス バー' });
const click = (scope: ReturnType<typeof utility>, name: string) => scope.getByRole('button', { name, exact: true }).click();

/** ツール → サーバー, OK on the re-opening question when asked, then はい / いいえ. */
async function startWizard(mode: 'key-file' | 'key-code', reopen: boolean) {
  await openServerMenu(page);
  if (reopen) await alertDialog(page, '開局情報の入力').getByRole('button', { name: 'OK' }).click();
  const select = dialog(page, '開局方式選択');
  await select.getByRole('radio', { name: mode === 'key-file' ? KEY_FILE_RADIO : KEY_CODE_RADIO }).check();
  await select.getByRole('button', { name: '続行' }).click();
}

/** [参照] and a file picked in the browser's file dialog. */
async function browse(file: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(keyFilePage(), '参照(R)...')]);
  await chooser.setFiles(file);
  await expect.poll(() => field(keyFilePage(), 'keyFile.path').inputValue()).toBe(path.basename(file));
}

describe('opening by key file (DMI present)', () => {
  it('[次へ] without a file is refused with the field named', async () => {
    await startWizard('key-file', false);
    await keyFilePage().waitFor();
    const input = keyFilePage().getByRole('textbox', { name: '開局キーファイル(F)' });
    expect(await isRequired(input)).toBe(true);
    await click(keyFilePage(), '次へ(N) >');
    await expect.poll(() => fieldMessage(keyFilePage(), 'keyFile.path').textContent()).toBe('入力必須項目です。');
    expect(await focusedField(page)).toBe('keyFile.path');
  });

  it('a typed path is read (Shift_JIS); the page says so and [完了] starts the utility at the customer page', async () => {
    await keyFilePage().getByRole('textbox', { name: '開局キーファイル(F)' }).fill(good.file);
    await shot(page, 'key-file');
    await page.keyboard.press('Alt+n');
    await expect.poll(() => keyFilePage().textContent()).toContain('開局キーファイルを読み込みました。');
    const summary = (await keyFilePage().textContent()) ?? '';
    expect(summary).toContain(good.userSystemCode);
    expect(summary).toContain('SERVER001');
    expect(summary).toContain(good.expiresAt ?? '期限なし');
    await shot(page, 'key-file-loaded');
    await click(keyFilePage(), '完了');
    await utility().waitFor();
    await expect.poll(() => pageTitle(utility()).textContent()).toBe('お客様に関する情報');
    expect(await utility().textContent()).toContain('1/4');
  });

  it('the customer page is filled from the file; each field shows its guide when focused', async () => {
    expect(await field(utility(), 'customer.nameKana').inputValue()).toBe('ﾆﾁﾃﾞﾝ ﾀﾛｳ');
    expect(await field(utility(), 'customer.nameKanji').inputValue()).toBe('日電 太郎');
    expect(await field(utility(), 'customer.department').inputValue()).toBe('総務');
    expect(await field(utility(), 'customer.contactKanji').inputValue()).toBe('日電 花子');
    expect(await utility().getByRole('radio', { name: '法人(O)' }).isChecked()).toBe(true);
    for (const [label, required] of [
      ['お客様名称(カナ)(M)', true],
      ['お客様名称(漢字)(A)', true],
      ['部署名(P)', false],
      ['お客様郵便番号(Z)', true],
      ['住所(カナ)(D)', true],
      ['住所(漢字)(R)', true],
      ['住所(詳細)(E)', false],
      ['お客様電話番号(T)', true],
      ['お客様メールアドレス(L)', true],
      ['担当者名(カナ)(C)', false],
      ['担当者名(漢字)(G)', false],
    ] as const) {
      expect(await isRequired(utility().getByRole('textbox', { name: label, exact: true })), label).toBe(required);
    }
    await page.keyboard.press('Alt+c');
    expect(await focusedField(page)).toBe('customer.contactKana');
    await expect.poll(() => utility().getByTestId('guide').textContent()).toBe('説明: 担当者名称(姓および名)を半角カナで入力して下さい。\n(例) ﾆﾁﾃﾞﾝ ﾊﾅｺ');
  });

  it('個人 disables and empties the department and contact; 法人 enables them again with what they had', async () => {
    const corporateOnly = ['customer.department', 'customer.contactKana', 'customer.contactKanji'];
    const had = await Promise.all(corporateOnly.map((f) => field(utility(), f).inputValue()));
    expect(had[0]).not.toBe('');
    await page.keyboard.press('Alt+i');
    await expect.poll(() => utility().getByRole('radio', { name: '個人(I)' }).isChecked()).toBe(true);
    for (const f of corporateOnly) {
      expect(await field(utility(), f).isDisabled(), f).toBe(true);
      expect(await field(utility(), f).inputValue(), f).toBe('');
    }
    await utility().getByRole('radio', { name: '法人(O)' }).check();
    // issue 9 item 23: what 個人 cleared comes back until 完了
    for (const [i, f] of corporateOnly.entries()) {
      expect(await field(utility(), f).isEnabled(), f).toBe(true);
      expect(await field(utility(), f).inputValue(), f).toBe(had[i]);
    }
    await utility().getByRole('radio', { name: '個人(I)' }).check();
    // Alt+P (部署名) skips the disabled field
    await page.keyboard.press('Alt+p');
    expect(await focusedField(page)).not.toBe('customer.department');
  });

  it('the postal code: empty and 12345 are refused with the field named; 123-4567 is stored as 1234567', async () => {
    const postal = field(utility(), 'customer.postalCode');
    await postal.fill('');
    await click(utility(), '次へ(N) >');
    await expect.poll(() => fieldMessage(utility(), 'customer.postalCode').textContent()).toBe('入力必須項目です。');
    expect(await utility().locator('.utility-banner').textContent()).toContain('お客様郵便番号: 入力必須項目です。');
    expect(await focusedField(page)).toBe('customer.postalCode');
    await page.keyboard.type('12345');
    await page.keyboard.press('Tab');
    await expect.poll(() => fieldMessage(utility(), 'customer.postalCode').textContent()).toBe('郵便番号は 7 桁の数字で入力してください(123-4567 も可)。');
    await click(utility(), '次へ(N) >');
    await expect.poll(() => utility().locator('.utility-banner').textContent()).toContain('お客様郵便番号: 郵便番号は 7 桁の数字で入力してください');
    expect(await pageTitle(utility()).textContent()).toBe('お客様に関する情報');
    await shot(page, 'customer-page');
    await postal.fill('123-4567');
    await page.keyboard.press('Tab');
    await expect.poll(() => postal.inputValue()).toBe('1234567');
    expect(await fieldMessage(utility(), 'customer.postalCode').count()).toBe(0);
  });

  it('kana typed full-width or in hiragana is shown (and stored) half-width after leaving the field', async () => {
    await field(utility(), 'customer.nameKana').fill('にちでん　はなこ');
    await page.keyboard.press('Tab');
    await expect.poll(() => field(utility(), 'customer.nameKana').inputValue()).toBe('ﾆﾁﾃﾞﾝ ﾊﾅｺ');
    await field(utility(), 'customer.addressKana').fill('トウキョウト　フチュウシ');
    await page.keyboard.press('Tab');
    await expect.poll(() => field(utility(), 'customer.addressKana').inputValue()).toBe('ﾄｳｷｮｳﾄ ﾌﾁｭｳｼ');
    // kanji in a kana field is refused at once
    await field(utility(), 'customer.addressKana').fill('東京都');
    await page.keyboard.press('Tab');
    await expect.poll(() => fieldMessage(utility(), 'customer.addressKana').textContent()).toContain('半角カナで入力してください');
    await field(utility(), 'customer.addressKana').fill('ﾄｳｷｮｳﾄ ﾌﾁｭｳｼ');
    await click(utility(), '次へ(N) >');
    await expect.poll(() => pageTitle(utility()).textContent()).toBe('本機に関する情報');
  });

  it('the device page comes from the file and shows the user system code; 完了 stores the opening', async () => {
    expect(await field(utility(), 'device.serverName').inputValue()).toBe('SERVER001');
    expect(await field(utility(), 'device.deviceCode').inputValue()).toBe('N8100-XXX');
    expect(await field(utility(), 'userSystemCode').inputValue()).toBe(good.userSystemCode);
    expect(await utility().getByRole('textbox', { name: '通報開局キーコード(K)' }).count()).toBe(0);
    await shot(page, 'device-page-key-file');
    await click(utility(), '次へ(N) >');
    await click(utility(), '次へ(N) >');
    expect(await field(utility(), 'dealer.name').inputValue()).toBe('NEC');
    await click(utility(), '完了');
    await utility().waitFor({ state: 'detached' });

    const { opening } = await getOpening(backend);
    expect(opening).toMatchObject({
      mode: 'key-file',
      userSystemCode: good.userSystemCode,
      customer: {
        type: 'individual',
        nameKana: 'ﾆﾁﾃﾞﾝ ﾊﾅｺ',
        postalCode: '1234567',
        addressKana: 'ﾄｳｷｮｳﾄ ﾌﾁｭｳｼ',
        department: '',
        contactKana: '',
        contactKanji: '',
      },
      device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001' },
      dealer: { name: 'NEC' },
    });
    expect(opening?.destinations.httpsPrimary).not.toBe('');
    await expect.poll(() => statusBar().textContent()).toContain(`ユーザシステムコード ${good.userSystemCode}`);
  });

  it('a bad key file (empty) shows its reason naming the file; the wizard stays and nothing changes', async () => {
    const before = (await getOpening(backend)).opening;
    await startWizard('key-file', true);
    await keyFilePage().waitFor();
    await browse(emptyFile);
    await click(keyFilePage(), '次へ(N) >');
    await expect.poll(() => fieldMessage(keyFilePage(), 'keyFile.path').textContent()).toMatch(/^開局キーファイルを読み込めません: empty\.key: ファイルが空です$/);
    expect(await focusedField(page)).toBe('keyFile.path');
    await shot(page, 'key-file-error');
    await click(keyFilePage(), 'キャンセル');
    await keyFilePage().waitFor({ state: 'detached' });
    expect((await getOpening(backend)).opening).toEqual(before);
  });

  it('a key file for another server name shows the seed’s warning; 終了 leaves with nothing changed', async () => {
    const before = (await getOpening(backend)).opening;
    await startWizard('key-file', true);
    await browse(otherHost.file);
    await click(keyFilePage(), '次へ(N) >');
    const warning = alertDialog(page, 'サーバ名称の不一致');
    await warning.waitFor();
    const text = (await warning.textContent()) ?? '';
    expect(text).toContain('開局キーファイルのサーバ名称(OTHER-HOST)と OS から取得したホスト名(SERVER001)が一致しません。');
    await shot(page, 'hostname-warning');
    await warning.getByRole('button', { name: '終了' }).click();
    await warning.waitFor({ state: 'detached' });
    await keyFilePage().waitFor({ state: 'detached' });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect((await getOpening(backend)).opening).toEqual(before);
  });

  it('続行 on the warning registers the OS host name as the server name', async () => {
    await startWizard('key-file', true);
    await browse(otherHost.file);
    await click(keyFilePage(), '次へ(N) >');
    await alertDialog(page, 'サーバ名称の不一致').getByRole('button', { name: '続行' }).click();
    await expect.poll(() => keyFilePage().textContent()).toContain('開局キーファイルを読み込みました。');
    await click(keyFilePage(), '完了');
    // this contract is an individual's: department and contact are disabled
    expect(await utility().getByRole('radio', { name: '個人(I)' }).isChecked()).toBe(true);
    expect(await field(utility(), 'customer.department').isDisabled()).toBe(true);
    await click(utility(), '次へ(N) >');
    expect(await field(utility(), 'device.serverName').inputValue()).toBe('SERVER001');
    await click(utility(), '次へ(N) >');
    await click(utility(), '次へ(N) >');
    await click(utility(), '完了');
    await utility().waitFor({ state: 'detached' });
    const { opening } = await getOpening(backend);
    expect(opening).toMatchObject({ mode: 'key-file', userSystemCode: otherHost.userSystemCode, device: { serverName: 'SERVER001' } });
    await expect.poll(() => statusBar().textContent()).toContain(otherHost.userSystemCode);
  });

  it('re-opening by key code: the device code and serial come from DMI (no dialog); the key-file contract is gone', async () => {
    await startWizard('key-code', true);
    const keyCode = dialog(page, '通報開局キーコードの入力');
    await keyCode.getByRole('textbox', { name: '通報開局キーコード(K)' }).fill('01239');
    // asked on every key-code opening (issue 9 item 22)
    await keyCode.getByRole('textbox', { name: 'テスト・開局結果返信メールアドレス(E)' }).fill('result@example.co.jp');
    await keyCode.getByRole('button', { name: 'OK' }).click();
    await utility().waitFor();
    expect(await dialog(page, '装置の固有情報の入力').count()).toBe(0);
    expect(await pageTitle(utility()).textContent()).toBe('本機に関する情報');
    expect(await field(utility(), 'device.deviceCode').inputValue()).toBe('N8100-2801Y');
    expect(await field(utility(), 'device.serialNumber').inputValue()).toBe('ABC1234567');
    await field(utility(), 'device.warrantyNumber').fill('12345678');
    await click(utility(), '次へ(N) >');
    await click(utility(), '次へ(N) >');
    await click(utility(), '完了');
    await utility().waitFor({ state: 'detached' });
    const { opening } = await getOpening(backend);
    expect(opening).toMatchObject({
      mode: 'key-code',
      userSystemCode: 'OPFILELESS',
      keyCode: '01239',
      expiresAt: null,
      device: { serverName: 'SERVER001', deviceCode: 'N8100-2801Y', serialNumber: 'ABC1234567', warrantyNumber: '12345678' },
      destinations: { mail: '', httpsPrimary: '', httpsSecondary: '', phonePrimary: '', phoneSecondary: '' },
    });
    expect(opening?.customer.nameKanji).toBe('');
    await expect.poll(() => statusBar().textContent()).toContain('OPFILELESS');
    expect(await statusBar().textContent()).not.toContain(otherHost.userSystemCode);
  });

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
