import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  launchBrowser,
  makeDataDir,
  openWindow,
  ROOT,
  stopAllBackends,
  startBackend,
  waitReady,
  type Backend,
  type OpenWindow,
} from './harness';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();

beforeAll(async () => {
  // a settings file that cannot be read: the backend keeps it aside and says so in a notice
  writeFileSync(path.join(data.dir, 'settings.json'), '{ this is not json');
  backend = await startBackend(data.dir, 'ja_JP.UTF-8');
  browser = await launchBrowser();
  win = await openWindow(browser, backend, { width: 1024, height: 700 });
  page = win.page;
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const menubar = () => page.getByRole('menubar');
const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');

describe('the main window', () => {
  it('is Japanese by default, with the window title and <html lang>', async () => {
    expect(await page.title()).toBe('アラートマネージャ設定ウィンドウ');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    const names = await menubar().getByRole('menuitem').allTextContents();
    expect(names).toEqual(['ファイル(F)', '設定(S)', 'ツール(T)', 'ヘルプ(H)']);
    // the mnemonic letter is underlined
    const underlined = await menubar()
      .locator('.mnemonic')
      .evaluateAll((els) => els.map((e) => `${e.textContent}:${getComputedStyle(e).textDecorationLine}`));
    expect(underlined).toEqual(['F:underline', 'S:underline', 'T:underline', 'H:underline']);
  });

  it('shows the corrupt-settings notice and dismisses it for good', async () => {
    const notice = page.locator('[data-notice-id]');
    await notice.first().waitFor();
    expect(await notice.first().textContent()).toContain('初期値で起動しました');
    await notice.first().getByRole('button', { name: 'お知らせを閉じる' }).click();
    await notice.first().waitFor({ state: 'detached' });
    const info = await apiCall(backend, 'app:info', {});
    expect(info.ok && info.result.notices).toEqual([]);
  });

  it('shows a notice raised while the window is open, without a reload', async () => {
    writeFileSync(path.join(data.dir, 'settings.json'), '[not settings');
    // any call makes the backend notice the file changed on disk
    await apiCall(backend, 'settings:get', {});
    const notice = page.locator('[data-notice-id]');
    await notice.first().waitFor();
    expect(await notice.first().textContent()).toContain('初期値で起動しました');
    await notice.first().getByRole('button', { name: 'お知らせを閉じる' }).click();
    await notice.first().waitFor({ state: 'detached' });
  });

  it('browses the event-log tree: イベントログ → システム → atapi → 0xc0040006 (6)', async () => {
    const tree = page.getByRole('tree', { name: 'イベントログ' });
    await tree.getByRole('treeitem', { name: 'atapi' }).click();
    const event = tree.getByRole('treeitem', { name: '0xc0040006 (6)' });
    await event.click();
    await expect.poll(() => event.getAttribute('aria-selected')).toBe('true');
    const details = page.getByRole('region', { name: '詳細' });
    const text = await details.textContent();
    expect(text).toContain('atapi');
    expect(text).toContain('0xc0040006');
    expect(text).toContain('エラー');
    expect(text).toContain('デバイスでコントローラ エラーが検出されました。');
  });

  it('saves a screenshot to docs/screenshot-main.png', async () => {
    await page.mouse.move(900, 650);
    mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
    const file = path.join(ROOT, 'docs', 'screenshot-main.png');
    const png = await page.screenshot({ path: file });
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('moves through the tree with the keyboard', async () => {
    const tree = page.getByRole('tree', { name: 'イベントログ' });
    await tree.getByRole('treeitem', { name: '0xc0040006 (6)' }).focus();
    await page.keyboard.press('ArrowDown');
    const next = tree.getByRole('treeitem', { name: '0xc0040009 (9)' });
    await expect.poll(() => next.getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.getByRole('region', { name: '詳細' }).textContent())
      .toContain('デバイスがタイムアウト期間内に応答しませんでした。');
  });

  it('F10 focuses the menu bar; arrows move along it; Escape leaves', async () => {
    await page.keyboard.press('F10');
    expect(await focused()).toBe('ファイル(F)');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('設定(S)');
    await page.keyboard.press('ArrowDown');
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).waitFor({ state: 'detached' });
    expect(await focused()).toBe('設定(S)');
    await page.keyboard.press('Escape');
  });

  it('a lone Alt focuses the menu bar, and a second Alt goes back where the focus was', async () => {
    await page.getByRole('treeitem', { name: '0xc0040009 (9)' }).focus();
    await page.keyboard.press('Alt');
    expect(await focused()).toBe('ファイル(F)');
    await page.keyboard.press('Alt');
    expect(await focused()).toBe('0xc0040009 (9)');
  });

  it('ヘルプ → バージョン情報 shows the product and report-module versions from app:info', async () => {
    const info = await apiCall(backend, 'app:info', {});
    if (!info.ok) throw new Error(info.error.message);
    await page.keyboard.press('Alt+h');
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog', { name: 'バージョン情報' });
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('エクスプレス通報サービス');
    expect(text).toContain('通報モジュール(アラートマネージャ)バージョン');
    expect(await dialog.getByTestId('product-version').textContent()).toBe(info.result.productVersion);
    expect(await dialog.getByTestId('module-version').textContent()).toBe(info.result.reportModuleVersion);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('ツール → エクスプレス通報サービス → サーバー starts the opening wizard (test/e2e/opening-*.test.ts)', async () => {
    expect(await page.getByRole('contentinfo', { name: 'ステータス バー' }).textContent()).toContain('まだ開局していません。');
    await menubar().getByRole('menuitem', { name: 'ツール(T)' }).click();
    await page.getByRole('menuitem', { name: 'エクスプレス通報サービス(E)' }).click();
    await page.getByRole('menuitem', { name: 'サーバー(S)' }).click();
    const dialog = page.getByRole('dialog', { name: '開局方式選択' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('開局ファイルを持っていますか。');
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('ファイル → 終了 in browser mode says the tab can be closed and nothing is lost', async () => {
    await page.keyboard.press('Alt+f');
    await page.keyboard.press('x');
    const box = page.getByRole('alertdialog', { name: '終了' });
    await box.waitFor();
    expect(await box.textContent()).toContain('失われる内容はありません');
    await box.getByRole('button', { name: 'OK' }).click();
    await box.waitFor({ state: 'detached' });
  });

  it('a reload keeps working and the dismissed notice stays away', async () => {
    await page.reload();
    await waitReady(page);
    expect(await page.locator('[data-notice-id]').count()).toBe(0);
  });

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
