/**
 * The window's dialog rules (issue 9, items 7, 20–23), end to end: real Chromium against `serve`.
 * A test in 宛先設定 is sent with what the screen shows, but only OK stores it; a child window's OK
 * (プロキシの設定) stores nothing until its parent's OK; the messages speak the window's language
 * and name their field; the key-code opening asks for the result mail.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type Center } from '../helpers/center';
import { openedDataDir } from '../helpers/setup-methods';
import {
  apiCall,
  launchBrowser,
  makeDataDir,
  openWindow,
  setSetting,
  startBackend,
  stopAllBackends,
  type Backend,
  type OpenWindow,
} from './harness';
import { httpsDialogs, storedHttps, type HttpsDialogs } from './https-dialogs';

const METHOD = 'エクスプレス通報サービス(HTTPS)';
/** the center simulator's URL: the enabled method's stored destination */
let GOOD_URL: string;
/** nothing listens on port 9 of the loopback: the test report fails at once */
const WRONG_URL = 'https://127.0.0.1:9/Scripts/trsRecvAlert.cgi';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();
let caFile: string;
let center: Center;

beforeAll(async () => {
  center = await startCenter();
  GOOD_URL = center.url;
  caFile = center.ca;
  // A key-file opening (a corporate customer), tested and opening-reported through the real actions against the center
  await openedDataDir(data.dir, center, { hostName: () => 'SERVER001' });
  backend = await startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' });
  const enabled = await apiCall(backend, 'methods:setEnabled', { name: 'express-https', enabled: true });
  if (!enabled.ok) throw new Error(enabled.error.message);
  browser = await launchBrowser();
  win = await openWindow(browser, backend);
  page = win.page;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await center?.stop();
  data.remove();
});

const ui = (): HttpsDialogs => httpsDialogs(page);
const dialog = (name: string): Locator => ui().dialog(name);
const box = (): Locator => ui().box();
const fieldMessage = (scope: Locator, key: string): Locator => ui().fieldMessage(scope, key);
const openDestinations = () => ui().openDestinations();
const https = () => storedHttps(backend);



/** The settings calls the window makes while `run` runs (settings:get aside), a dry run marked. */
async function settingsCalls(run: () => Promise<void>): Promise<string[]> {
  const calls: string[] = [];
  const listen = (request: Request) => {
    const name = decodeURIComponent(new URL(request.url()).pathname.replace(/^\/api\//, ''));
    if (!name.startsWith('settings:') || name === 'settings:get') return;
    const body = request.postDataJSON() as { dryRun?: boolean } | null;
    calls.push(body?.dryRun ? `${name} (dry run)` : name);
  };
  page.on('request', listen);
  try {
    await run();
  } finally {
    page.off('request', listen);
  }
  return calls;
}

async function closeList({ list, id }: { list: Locator; id: Locator }): Promise<void> {
  await id.getByRole('button', { name: 'OK', exact: true }).click();
  await id.waitFor({ state: 'detached' });
  await list.getByRole('button', { name: 'OK', exact: true }).click();
  await list.waitFor({ state: 'detached' });
}

/** 設定 → 通報基本設定 → HTTPS の[設定...]. */
async function openHttpsBasic(): Promise<{ basic: Locator; httpsDialog: Locator }> {
  await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
  await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
  const basic = dialog('通報基本設定');
  await basic.getByRole('button', { name: `${METHOD}の設定...` }).click();
  const httpsDialog = dialog(`${METHOD}の基本設定`);
  await httpsDialog.waitFor();
  return { basic, httpsDialog };
}

describe('dialog rules', () => {
  it('item 7: キャンセル after a failed テスト通報 leaves the URL and CA file the enabled method had', async () => {
    const before = await https();
    const parts = await openDestinations();
    const { dest } = parts;
    await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).fill(WRONG_URL);
    await dest.getByRole('textbox', { name: 'CA ファイル(C)' }).fill('');
    await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
    await dialog('テスト結果送付先の選択').getByRole('button', { name: 'OK' }).click();
    await box().getByRole('button', { name: 'はい(Y)' }).click();
    const result = box().filter({ hasText: 'テスト通報に失敗しました。' });
    await result.waitFor({ timeout: 20_000 });
    const text = (await result.textContent()) ?? '';
    // item 20: what failed and what to check in Japanese, no bracketed English sentence
    expect(text).toContain(`${WRONG_URL} への通報に失敗しました`);
    expect(text.replace(WRONG_URL, '')).not.toMatch(/[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}/);
    await result.getByRole('button', { name: 'OK' }).click();
    await result.waitFor({ state: 'detached' });
    await dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await closeList(parts);

    const after = await https();
    expect(after.url1).toBe(GOOD_URL);
    expect(after.caFile).toBe(caFile);
    expect(after.enabled).toBe(true);
    expect(after.testedAt).toBe(before.testedAt);
  }, 45_000);

  it('item 21: a 501-character URL is not cut to 500 but refused, naming the field', async () => {
    const parts = await openDestinations();
    const { dest } = parts;
    const long = `https://center.example.jp/${'a'.repeat(501 - 'https://center.example.jp/'.length)}`;
    expect(long).toHaveLength(501);
    const url1 = dest.getByRole('textbox', { name: '1 次通報先 URL(1)' });
    await url1.fill(long);
    expect(await url1.inputValue()).toBe(long);
    // no field of the window cuts what is typed or pasted (a cut value would be stored silently)
    expect(await dest.locator('input[maxlength]').count()).toBe(0);
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => fieldMessage(dest, 'methods.express-https.url1').textContent()).toBe('1 次通報先 URL は 500 文字以内で入力してください。');
    expect((await https()).url1).toBe(GOOD_URL);
    await dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await closeList(parts);
  });

  it('item 23: [宛先の読み込み] without AMHTPADR.INF says the file is missing and where it was looked for; loaded URLs are one bullet each', async () => {
    const parts = await openDestinations();
    const { dest } = parts;
    await dest.getByRole('button', { name: '宛先の読み込み(L)' }).click();
    const missing = box().filter({ hasText: '宛先を読み込めませんでした。' });
    await missing.waitFor();
    const text = (await missing.textContent()) ?? '';
    expect(text).toContain('宛先定義ファイル AMHTPADR.INF がありません');
    expect(text).toContain(path.join(data.dir, 'WebReprt'));
    expect(text).not.toMatch(/:1: /);
    await missing.getByRole('button', { name: 'OK' }).click();
    await missing.waitFor({ state: 'detached' });

    writeFileSync(path.join(data.dir, 'WebReprt', 'AMHTPADR.INF'), `[URL1]\r\nURL=${GOOD_URL}\r\n[URL2]\r\nURL=https://center2.example.jp/x.cgi\r\n`);
    await dest.getByRole('button', { name: '宛先の読み込み(L)' }).click();
    const loaded = box().filter({ hasText: '宛先を読み込みました。' });
    await loaded.waitFor();
    expect(await loaded.getByRole('listitem').allTextContents()).toEqual([`1 次: ${GOOD_URL}`, '2 次: https://center2.example.jp/x.cgi']);
    await loaded.getByRole('button', { name: 'OK' }).click();
    await loaded.waitFor({ state: 'detached' });
    // the file filled the fields only; キャンセル leaves what is stored (item 7's rule)
    await dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await closeList(parts);
    expect((await https()).url2).toBe('');
  });

  it('item 23: a proxy password without a user is refused; the proxy OK stores nothing until 基本設定 OK', async () => {
    const { basic, httpsDialog } = await openHttpsBasic();
    await httpsDialog.getByRole('button', { name: '設定(S)...' }).click();
    const proxyDialog = dialog('プロキシの設定');
    await proxyDialog.getByRole('checkbox', { name: '指定したプロキシサーバを使用する(U)' }).check();
    await proxyDialog.getByRole('textbox', { name: 'アドレス(A)' }).fill('127.0.0.1');
    await proxyDialog.getByRole('textbox', { name: 'ポート(P)' }).fill('3128');
    await proxyDialog.getByLabel('パスワード(W)').fill('secret');
    await proxyDialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => fieldMessage(proxyDialog, 'methods.express-https.proxy.user').textContent()).toContain('ユーザー名も入力してください');
    await proxyDialog.getByRole('textbox', { name: 'ユーザー名(N)' }).fill('bob');
    await proxyDialog.getByRole('button', { name: 'OK' }).click();
    await proxyDialog.waitFor({ state: 'detached' });
    await expect.poll(() => httpsDialog.textContent()).toContain('プロキシ: 127.0.0.1:3128(ユーザー bob)');
    expect((await https()).proxy.enabled).toBe(false);

    // キャンセル on the parent: nothing of the proxy is stored
    await httpsDialog.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await httpsDialog.waitFor({ state: 'detached' });
    expect((await https()).proxy).toMatchObject({ enabled: false, host: '', user: '' });

    // OK on the parent stores it
    await basic.getByRole('button', { name: `${METHOD}の設定...` }).click();
    await httpsDialog.waitFor();
    await httpsDialog.getByRole('button', { name: '設定(S)...' }).click();
    await proxyDialog.getByRole('checkbox', { name: '指定したプロキシサーバを使用する(U)' }).check();
    await proxyDialog.getByRole('textbox', { name: 'アドレス(A)' }).fill('127.0.0.1');
    await proxyDialog.getByRole('textbox', { name: 'ポート(P)' }).fill('3128');
    await proxyDialog.getByRole('button', { name: 'OK' }).click();
    await proxyDialog.waitFor({ state: 'detached' });
    await httpsDialog.getByRole('button', { name: 'OK', exact: true }).click();
    await httpsDialog.waitFor({ state: 'detached' });
    expect((await https()).proxy).toMatchObject({ enabled: true, host: '127.0.0.1', port: 3128 });
    await setSetting(backend, 'methods.express-https.proxy.enabled', false);

    // item 23: switching a method off asks first
    const toggle = basic.getByRole('button', { name: `${METHOD}: 有効`, exact: true });
    await toggle.click();
    const question = page.getByRole('alertdialog').filter({ hasText: `${METHOD}を無効にしますか?` });
    await question.waitFor();
    await question.getByRole('button', { name: 'いいえ(N)' }).click();
    await question.waitFor({ state: 'detached' });
    expect((await https()).enabled).toBe(true);
    await toggle.click();
    await page.getByRole('alertdialog').filter({ hasText: `${METHOD}を無効にしますか?` }).getByRole('button', { name: 'はい(Y)' }).click();
    await basic.getByRole('button', { name: `${METHOD}: 無効`, exact: true }).waitFor();
    expect((await https()).enabled).toBe(false);
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
  });

  it('item 23: the schedule window takes a field’s message away when the field is edited', async () => {
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
    const list = dialog('通報先リストの設定');
    await list.getByRole('option', { name: new RegExp(`^${METHOD.replace(/[()]/g, '\\$&')} `) }).click();
    await list.getByRole('button', { name: '修正...' }).click();
    const id = dialog('ID 設定');
    await id.getByRole('button', { name: 'スケジュール...' }).click();
    const schedule = dialog('スケジュール設定');
    const interval = schedule.getByRole('textbox', { name: '間隔', exact: true });
    await interval.fill('0');
    await schedule.getByRole('button', { name: 'OK', exact: true }).click();
    const message = schedule.locator('.fui-Field', { has: page.getByRole('textbox', { name: '間隔', exact: true }) }).locator('.fui-Field__validationMessage');
    await message.waitFor();
    await interval.fill('5');
    await expect.poll(() => message.count()).toBe(0);
    await schedule.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await schedule.waitFor({ state: 'detached' });
    await closeList({ list, id });
  });

  it('item 7: キャンセル in the マネージャ経由 window leaves the stored manager (a test stores nothing)', async () => {
    await setSetting(backend, 'methods.express-https.route', 'manager');
    const before = (await https()).manager;
    // with マネージャ経由, [宛先設定...] opens the manager's window
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
    const list = dialog('通報先リストの設定');
    await list.getByRole('option', { name: new RegExp(`^${METHOD.replace(/[()]/g, '\\$&')} `) }).click();
    await list.getByRole('button', { name: '修正...' }).click();
    const id = dialog('ID 設定');
    await id.getByRole('button', { name: '宛先設定...' }).click();
    const manager = dialog(`${METHOD}(マネージャ経由)の設定`);
    await manager.waitFor();
    await manager.getByRole('textbox', { name: 'IP アドレス(またはホスト名)(I)' }).fill('wrong-manager.example.jp');
    await manager.getByRole('button', { name: 'テスト通報(T)' }).click();
    await dialog('テスト結果送付先の選択').getByRole('button', { name: 'OK' }).click();
    await box().getByRole('button', { name: 'はい(Y)' }).click();
    // The relay is in (issue 13): the test is tried and fails on the set-up (no relay key), naming what to check.
    const refused = box().filter({ hasText: 'マネージャ経由の設定' });
    await refused.waitFor();
    await refused.getByRole('button', { name: 'OK' }).click();
    await refused.waitFor({ state: 'detached' });
    await manager.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await manager.waitFor({ state: 'detached' });
    await closeList({ list, id });
    expect((await https()).manager).toEqual(before);
    await setSetting(backend, 'methods.express-https.route', 'https');
  });

  it('item 23: 個人 → 法人 brings back department and contact; the banner goes when its field is fixed', async () => {
    const out = await apiCall(backend, 'settings:get', {});
    if (!out.ok) throw new Error(out.error.message);
    const { customer } = out.result.opening!;
    expect(customer.type).toBe('corporate');
    expect(customer.department).not.toBe('');
    const { basic, httpsDialog } = await openHttpsBasic();
    await httpsDialog.getByRole('button', { name: '設定情報の変更(C)...' }).click();
    const utility = dialog(`${METHOD}設定ユーティリティ`);
    await utility.waitFor();
    const value = (f: string) => utility.locator(`[data-field="customer.${f}"]`).inputValue();
    expect(await value('department')).toBe(customer.department);
    await utility.getByRole('radio', { name: '個人(I)' }).check();
    await expect.poll(() => value('department')).toBe('');
    expect(await value('contactKanji')).toBe('');
    await utility.getByRole('radio', { name: '法人(O)' }).check();
    await expect.poll(() => value('department')).toBe(customer.department);
    expect(await value('contactKana')).toBe(customer.contactKana);
    expect(await value('contactKanji')).toBe(customer.contactKanji);

    await utility.locator('[data-field="customer.nameKanji"]').fill('');
    await utility.getByRole('button', { name: '次へ(N) >', exact: true }).click();
    const banner = utility.locator('.utility-banner');
    await banner.waitFor();
    await utility.locator('[data-field="customer.nameKanji"]').fill(customer.nameKanji);
    await expect.poll(() => banner.count()).toBe(0);
    await utility.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await utility.waitFor({ state: 'detached' });
    await httpsDialog.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
  });

  it('item 23: the English window says “click [Modify...]” and “1 more field”', async () => {
    await setSetting(backend, 'ui.language', 'en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Destination List Setting...' }).click();
    const list = dialog('Destination List Setting');
    await list.waitFor();
    expect(await list.textContent()).toContain('Select an ID and click [Modify...].');
    await list.getByRole('button', { name: 'OK', exact: true }).click();
    await list.waitFor({ state: 'detached' });

    // two problems: the first is named, "1 more field" (not "fields") for the other
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Base Setting...' }).click();
    const basic = dialog('Base Setting');
    await basic.getByRole('button', { name: 'Express Report Service (HTTPS) Setting...' }).click();
    const httpsDialog = dialog('Express Report Service (HTTPS) Base Setting');
    await httpsDialog.getByRole('button', { name: 'Change settings...' }).click();
    const utility = dialog('Express Report Service (HTTPS) Setting Utility');
    await utility.waitFor();
    await utility.locator('[data-field="customer.nameKanji"]').fill('');
    await utility.locator('[data-field="customer.phone"]').fill('');
    await utility.getByRole('button', { name: 'Next >', exact: true }).click();
    const banner = utility.locator('.utility-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Check 1 more field as well.');
    await utility.getByRole('button', { name: 'Cancel', exact: true }).click();
    await utility.waitFor({ state: 'detached' });
    await httpsDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    await setSetting(backend, 'ui.language', 'ja');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ja');
  });

  it('issue 10 item 6: each OK stores with one settings:patch (基本設定 with its proxy, 宛先設定, スケジュール設定)', async () => {
    // 基本設定: the proxy (its window's OK), the suppression period and the route's page, in one call
    const { basic, httpsDialog } = await openHttpsBasic();
    await httpsDialog.getByRole('button', { name: '設定(S)...' }).click();
    const proxyDialog = dialog('プロキシの設定');
    await proxyDialog.getByRole('checkbox', { name: '指定したプロキシサーバを使用する(U)' }).check();
    await proxyDialog.getByRole('textbox', { name: 'アドレス(A)' }).fill('127.0.0.1');
    await proxyDialog.getByRole('textbox', { name: 'ポート(P)' }).fill('3128');
    await proxyDialog.getByRole('textbox', { name: 'ユーザー名(N)' }).fill('bob');
    await proxyDialog.getByLabel('パスワード(W)').fill('secret');
    const proxyCalls = await settingsCalls(async () => {
      await proxyDialog.getByRole('button', { name: 'OK' }).click();
      await proxyDialog.waitFor({ state: 'detached' });
    });
    expect(proxyCalls).toEqual([]);
    await httpsDialog.getByRole('textbox', { name: '抑制期間(分)(P)' }).fill('30');
    const basicCalls = await settingsCalls(async () => {
      await httpsDialog.getByRole('button', { name: 'OK', exact: true }).click();
      await httpsDialog.waitFor({ state: 'detached' });
    });
    expect(basicCalls).toEqual(['settings:patch']);
    const afterBasic = await https();
    expect(afterBasic.proxy).toMatchObject({ enabled: true, host: '127.0.0.1', port: 3128, user: 'bob', password: '********' });
    expect(afterBasic.suppression).toEqual({ enabled: true, periodMinutes: 30 });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    await setSetting(backend, 'methods.express-https.proxy.enabled', false);
    await setSetting(backend, 'methods.express-https.suppression.periodMinutes', 60);

    // 宛先設定: the remote access entry with its switch, one call (no dry run before OK)
    const parts = await openDestinations();
    await parts.dest.getByRole('checkbox', { name: 'リモートアクセスサービスを利用する(R)' }).check();
    await parts.dest.getByRole('textbox', { name: '接続名(N)' }).fill('center-line');
    // the method was switched off by the test before: set up, OK asks whether to enable it (いいえ)
    expect((await https()).enabled).toBe(false);
    const destCalls = await settingsCalls(async () => {
      await parts.dest.getByRole('button', { name: 'OK', exact: true }).click();
      const question = page.getByRole('alertdialog').filter({ hasText: `${METHOD}の通報手段を有効にしますか?` });
      await question.getByRole('button', { name: 'いいえ(N)' }).click();
      await parts.dest.waitFor({ state: 'detached' });
    });
    expect(destCalls).toEqual(['settings:patch']);
    expect((await https()).remoteAccess).toMatchObject({ use: true, entry: 'center-line' });
    await closeList(parts);
    await setSetting(backend, 'methods.express-https.remoteAccess.use', false);

    // スケジュール設定: the three values as one
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
    const list = dialog('通報先リストの設定');
    await list.getByRole('option', { name: new RegExp(`^${METHOD.replace(/[()]/g, '\\$&')} `) }).click();
    await list.getByRole('button', { name: '修正...' }).click();
    const id = dialog('ID 設定');
    await id.getByRole('button', { name: 'スケジュール...' }).click();
    const schedule = dialog('スケジュール設定');
    await schedule.getByRole('textbox', { name: '間隔', exact: true }).fill('10');
    const scheduleCalls = await settingsCalls(async () => {
      await schedule.getByRole('button', { name: 'OK', exact: true }).click();
      await schedule.waitFor({ state: 'detached' });
    });
    expect(scheduleCalls).toEqual(['settings:patch']);
    expect((await https()).schedule.retryIntervalMinutes).toBe(10);
    // the list shows what the store holds now, without reading the settings again
    await expect.poll(() => id.getByTestId('id-settings-schedule').textContent()).toContain('10 分間隔');
    await closeList({ list, id });
    await setSetting(backend, 'methods.express-https.schedule.retryIntervalMinutes', 5);
  }, 45_000);

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
