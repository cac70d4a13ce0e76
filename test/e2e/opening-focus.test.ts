/**
 * Item 19 through the opening wizard: focus never falls to <body> when a page, a child dialog or
 * the wizard itself closes, and axe finds no serious or critical violation in any of its windows.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { launchBrowser, makeDataDir, openWindow, stopAllBackends, type Backend } from './harness';
import { alertDialog, dialog, dmiFolder, explainFailures, field, KEY_CODE_RADIO, KEY_FILE_RADIO, makeKeyFile, openServerMenu, pageTitle, SCREEN, startOpeningBackend, UTILITY } from './opening-helpers';

let browser: Browser;
let backend: Backend;
let page: Page;
const data = makeDataDir();
let keyFile: string;

beforeAll(async () => {
  keyFile = (await makeKeyFile(path.join(data.dir, 'center'), 'server001.key', { serverName: 'SERVER001' })).file;
  const dmi = dmiFolder(data.dir, { productName: 'Express5800/R120h-1M [N8100-2801Y]', serial: 'ABC1234567' });
  backend = await startOpeningBackend(path.join(data.dir, 'service'), 'SERVER001', dmi);
  browser = await launchBrowser();
  page = (await openWindow(browser, backend, SCREEN)).page;
});

explainFailures(() => page);

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const utility = () => dialog(page, UTILITY);
const keyFilePage = () => dialog(page, '開局キーファイルの読み込み');

/** Where keyboard focus is: the name of the dialog it is in ('' for the main window), or BODY. */
function focusIn(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    const dialogEl = el.closest('[role="dialog"], [role="alertdialog"]');
    if (!dialogEl) return '';
    const labelledBy = dialogEl.getAttribute('aria-labelledby');
    return (labelledBy ? document.getElementById(labelledBy)?.textContent : dialogEl.getAttribute('aria-label')) ?? '?';
  });
}

function focusedText(): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
}

describe('the opening wizard by key file: focus and axe (item 19)', () => {
  it('開局方式選択 and the key-file page pass axe', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tree', { name: 'イベントログ' }).getByRole('treeitem').first().focus();
    await openServerMenu(page);
    const select = dialog(page, '開局方式選択');
    await select.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await select.getByRole('radio', { name: KEY_FILE_RADIO }).check();
    await select.getByRole('button', { name: '続行' }).click();
    await keyFilePage().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the 読み込みました step puts focus on its [完了] (Enter goes on), and passes axe', async () => {
    await keyFilePage().getByRole('textbox', { name: '開局キーファイル(F)' }).fill(keyFile);
    await page.keyboard.press('Alt+n');
    await expect.poll(() => keyFilePage().textContent()).toContain('開局キーファイルを読み込みました。');
    await expect.poll(focusIn).toBe('開局キーファイルの読み込み');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await focusedText()).toBe('完了');
    // Enter is the page's default button, [完了]
    await page.keyboard.press('Enter');
    await utility().waitFor();
    await expect.poll(() => pageTitle(utility()).textContent()).toBe('お客様に関する情報');
    await expect.poll(focusIn).toBe(UTILITY);
  });

  it('each page of the settings utility passes axe', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    await field(utility(), 'customer.postalCode').fill('1234567');
    await utility().getByRole('button', { name: '次へ(N) >', exact: true }).click();
    await expect.poll(() => pageTitle(utility()).textContent()).toBe('本機に関する情報');
    expect(await seriousViolations(page)).toEqual([]);
    await utility().getByRole('button', { name: '次へ(N) >', exact: true }).click();
    await expect.poll(() => pageTitle(utility()).textContent()).toBe('オプション装置情報');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('オプション装置の追加 closed with Esc gives focus back to [追加], so Enter opens it again', async () => {
    const addButton = utility().getByRole('button', { name: '追加(A)', exact: true });
    await addButton.focus();
    await page.keyboard.press('Enter');
    const add = dialog(page, 'オプション装置の追加');
    await add.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await add.waitFor({ state: 'detached' });
    await expect.poll(focusedText).toBe('追加(A)');
    await page.keyboard.press('Enter');
    await add.waitFor();
    await page.keyboard.press('Escape');
    await add.waitFor({ state: 'detached' });
    await expect.poll(focusIn).toBe(UTILITY);
  });

  it('[完了] of the settings utility gives focus back to the main window, where it was before the menu', async () => {
    await utility().getByRole('button', { name: '次へ(N) >', exact: true }).click();
    await expect.poll(() => pageTitle(utility()).textContent()).toBe('本機を購入した販売店情報');
    expect(await seriousViolations(page)).toEqual([]);
    await utility().getByRole('button', { name: '完了', exact: true }).click();
    await utility().waitFor({ state: 'detached' });
    await expect.poll(focusIn).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('treeitem');
    // the main window after all those dialogs: no focus sentinel left focusable under aria-hidden
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('opening again: the 開局情報の入力 question and 通報開局キーコードの入力 pass axe; キャンセル on the question gives focus back', async () => {
    await openServerMenu(page);
    const question = alertDialog(page, '開局情報の入力');
    await question.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await question.getByRole('button', { name: 'キャンセル' }).click();
    await page.getByRole('alertdialog', { name: '開局情報の入力', includeHidden: true }).waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? 'BODY')).toBe('treeitem');

    await openServerMenu(page);
    await question.getByRole('button', { name: 'OK' }).click();
    const select = dialog(page, '開局方式選択');
    await select.getByRole('radio', { name: KEY_CODE_RADIO }).check();
    await select.getByRole('button', { name: '続行' }).click();
    const keyCode = dialog(page, '通報開局キーコードの入力');
    await keyCode.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await keyCode.getByRole('button', { name: 'キャンセル' }).click();
    await page.getByRole('dialog', { name: '通報開局キーコードの入力', includeHidden: true }).waitFor({ state: 'detached' });
    await expect.poll(focusIn).not.toBe('BODY');
  });
});
