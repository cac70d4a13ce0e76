/**
 * Item 19 in the settings windows: axe finds no serious or critical violation in any of them,
 * and the error box of [宛先の読み込み] gives focus back to that button.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { startCenter } from '../helpers/center';
import { openedDataDir } from '../helpers/setup-methods';
import { launchBrowser, makeDataDir, openWindow, startBackend, stopAllBackends, type Backend } from './harness';
import { explainFailures } from './opening-helpers';

const METHOD = 'エクスプレス通報サービス(HTTPS)';
let browser: Browser;
let backend: Backend;
let page: Page;
const data = makeDataDir();

beforeAll(async () => {
  // Express (HTTPS) opened, tested and opening-reported by the real actions against the center simulator.
  const center = await startCenter();
  try {
    await openedDataDir(data.dir, center);
  } finally {
    await center.stop();
  }
  backend = await startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' });
  browser = await launchBrowser();
  page = (await openWindow(browser, backend, { width: 1024, height: 768 })).page;
});

explainFailures(() => page);

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const dialog = (name: string): Locator => page.getByRole('dialog', { name, exact: true });
/** Gone from the page, not only hidden from the accessibility tree (as a parent is while a child fades out). */
const gone = (name: string): Promise<void> => page.getByRole('dialog', { name, exact: true, includeHidden: true }).waitFor({ state: 'detached' });

async function menu(top: string, item: string): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: top }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

async function noViolations(where: string): Promise<void> {
  expect(await seriousViolations(page), where).toEqual([]);
}

function focusedName(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
  });
}

describe('axe in every settings window (item 19)', () => {
  it('通報先リストの設定 → ID 設定 → スケジュール設定 and 宛先設定', async () => {
    await menu('設定(S)', '通報先リストの設定(L)...');
    const list = dialog('通報先リストの設定');
    await list.waitFor();
    await noViolations('通報先リストの設定');
    await list.getByRole('option', { name: new RegExp(`^${METHOD.replace(/[()]/g, '\\$&')} `) }).click();
    await list.getByRole('button', { name: '修正...' }).click();
    const id = dialog('ID 設定');
    await id.waitFor();
    await noViolations('ID 設定');
    await id.getByRole('button', { name: 'スケジュール...' }).click();
    const schedule = dialog('スケジュール設定');
    await schedule.waitFor();
    await noViolations('スケジュール設定');
    await page.keyboard.press('Escape');
    await gone('スケジュール設定');
    await expect.poll(focusedName).toBe('スケジュール...');
    await id.getByRole('button', { name: '宛先設定...' }).click();
    const dest = dialog(`${METHOD}の宛先設定`);
    await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).waitFor();
    await noViolations('宛先設定');
  });

  it('the [宛先の読み込み] error box: OK gives focus back to [宛先の読み込み]', async () => {
    const dest = dialog(`${METHOD}の宛先設定`);
    const folder = path.join(data.dir, 'WebReprt');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'AMHTPADR.INF'), '[URL1]\r\nURL=http://127.0.0.1/plain\r\n');
    const load = dest.getByRole('button', { name: '宛先の読み込み(L)' });
    await load.focus();
    await page.keyboard.press('Enter');
    const refused = page.getByRole('alertdialog').filter({ hasText: '宛先を読み込めませんでした。' });
    await refused.waitFor();
    await noViolations('宛先の読み込み error');
    await refused.getByRole('button', { name: 'OK' }).click();
    await refused.waitFor({ state: 'detached' });
    await expect.poll(focusedName).toBe('宛先の読み込み(L)');
    // Esc now closes 宛先設定 (the keys work without a Tab first)
    // each Esc goes to the window now on top, which has the focus at once
    await page.keyboard.press('Escape');
    await expect.poll(focusedName).toBe('宛先設定...');
    await page.keyboard.press('Escape');
    await expect.poll(focusedName).toBe('修正...');
    await page.keyboard.press('Escape');
    await gone(`${METHOD}の宛先設定`);
    await gone('ID 設定');
    await gone('通報先リストの設定');
  });

  it('通報基本設定 → HTTPS の基本設定 → プロキシの設定', async () => {
    await menu('設定(S)', '通報基本設定(B)...');
    const basic = dialog('通報基本設定');
    await basic.getByRole('button', { name: `${METHOD}の設定...` }).click();
    const https = dialog(`${METHOD}の基本設定`);
    await https.waitFor();
    await noViolations('HTTPS の基本設定');
    await https.getByRole('button', { name: '設定(S)...' }).click();
    const proxy = dialog('プロキシの設定');
    await proxy.waitFor();
    await noViolations('プロキシの設定');
    await page.keyboard.press('Escape');
    await gone('プロキシの設定');
    await expect.poll(focusedName).toBe('設定(S)...');
    await page.keyboard.press('Escape');
    await gone(`${METHOD}の基本設定`);
    await expect.poll(focusedName).toBe(`${METHOD}の設定...`);
    await page.keyboard.press('Escape');
    await gone('通報基本設定');
  });

  it('通報履歴, バージョン情報 and 終了', async () => {
    await menu('ツール(T)', '通報履歴(H)...');
    const history = dialog('通報履歴');
    await history.waitFor();
    await noViolations('通報履歴');
    await page.keyboard.press('Escape');
    await gone('通報履歴');
    await menu('ヘルプ(H)', 'バージョン情報(A)...');
    await dialog('バージョン情報').waitFor();
    await noViolations('バージョン情報');
    await page.keyboard.press('Escape');
    await menu('ファイル(F)', '終了(X)');
    const exit = page.getByRole('alertdialog', { name: '終了' });
    await exit.waitFor();
    await noViolations('終了');
    await page.keyboard.press('Enter');
    await exit.waitFor({ state: 'detached' });
    // The modal's aria-hidden on the rest of the page goes a moment after the dialog itself (its
    // closing transition); a busy machine saw it still there. It must go, then the window is clean.
    await expect.poll(() => page.locator('#root').getAttribute('aria-hidden')).toBeNull();
    await noViolations('main window');
  });
});
