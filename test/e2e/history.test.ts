/**
 * 通報テスト and the report history, end to end: real Chromium against `serve`, Express (HTTPS)
 * set up against the center simulator over real TLS. Right-click システム → atapi → 0xc0040006 →
 * 通報テスト → accepted → the history shows it delivered (and the center has it); a center refusal
 * makes a report fail for good and [再送] sends it again; a report made while the window watches
 * appears and settles live; with the center gone the history says 再送待ち and when it tries
 * next; a long history keeps only the rows in view in the page. Also the keyboard (Shift+F10),
 * 通報の抑制 in the basic settings, the English history, and docs/screenshots/history.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src-shared/history';
import { startCenter, type Center } from '../helpers/center';
import {
  apiCall,
  enableHttpsTo,
  launchBrowser,
  makeDataDir,
  openWindow,
  ROOT,
  setSetting,
  startBackend,
  stopAllBackends,
  type Backend,
  type OpenWindow,
} from './harness';
import { alertDialog as alertDialogIn, dialog as dialogIn, explainFailures } from './opening-helpers';

const METHOD = 'エクスプレス通報サービス(HTTPS)';
const SCREEN = { width: 1024, height: 768 };

let browser: Browser;
let backend: Backend;
let center: Center;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();

beforeAll(async () => {
  [center, backend] = await Promise.all([startCenter(), startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' })]);
  const opened = await apiCall(backend, 'opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: true },
    device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
  });
  if (!opened.ok) throw new Error(opened.error.message);
  await enableHttpsTo(backend, center);
  browser = await launchBrowser();
  win = await openWindow(browser, backend, SCREEN);
  page = win.page;
});

explainFailures(() => page);

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await center?.stop();
  data.remove();
});

const dialog = (name: string): Locator => dialogIn(page, name);
const alertDialog = (name: string): Locator => alertDialogIn(page, name);
const history = (): Locator => dialog('通報履歴');
const row = (id: string): Locator => history().locator(`[role="row"][data-report-id="${id}"]`);
const stateCell = (id: string): Locator => row(id).locator('[data-column="state"]');
const tree = (): Locator => page.getByRole('tree', { name: 'イベントログ' });
const eventNode = (): Locator => tree().getByRole('treeitem', { name: '0xc0040006 (6)' });

async function shot(name: string): Promise<void> {
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

async function listHistory(): Promise<HistoryItem[]> {
  const out = await apiCall(backend, 'history:list', {});
  if (!out.ok) throw new Error(out.error.message);
  return out.result;
}

/** Right-click the event id → 通報テスト(T) → the acceptance box; returns its text and the new report's id. */
async function reportTestByMouse(shots = false): Promise<{ text: string; id: string }> {
  const before = new Set((await listHistory()).map((i) => i.id));
  await tree().getByRole('treeitem', { name: 'atapi' }).waitFor();
  await eventNode().click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'イベント ID のメニュー' });
  const item = menu.getByRole('menuitem', { name: '通報テスト(T)' });
  await item.waitFor();
  if (shots) await shot('history-menu');
  await item.click();
  const box = alertDialog('通報テスト');
  await box.waitFor();
  if (shots) await shot('history-accepted');
  const text = (await box.textContent()) ?? '';
  const added = (await listHistory()).filter((i) => !before.has(i.id));
  expect(added).toHaveLength(1);
  return { text, id: added[0]!.id };
}

/** OK on the acceptance box opens the history with the new report selected. */
async function okToHistory(): Promise<void> {
  await alertDialog('通報テスト').getByRole('button', { name: 'OK' }).click();
  await history().getByRole('grid', { name: '通報の一覧' }).waitFor();
}

async function closeHistory(): Promise<void> {
  await history().getByRole('button', { name: '閉じる', exact: true }).click();
  await history().waitFor({ state: 'detached' });
}

describe('通報テスト and the report history', () => {
  it('the event id offers 通報テスト on its context menu; the report is accepted and the history shows it delivered', async () => {
    await tree().getByRole('treeitem', { name: 'atapi' }).click();
    const before = center.reports().length;
    const { text, id } = await reportTestByMouse(true);
    expect(text).toContain('atapi 0xc0040006 の疑似障害通報を受け付けました。');
    expect(text).toContain(`${METHOD}(受付番号`);
    expect(text).toContain('[OK]をクリックすると通報履歴を表示します。');
    await okToHistory();

    await expect.poll(() => stateCell(id).textContent(), { timeout: 20_000 }).toBe('送信済み');
    const cells = await row(id).getByRole('gridcell').allTextContents();
    expect(cells[1]).toBe('障害(atapi 0xc0040006)');
    expect(cells[2]).toBe(METHOD);
    expect(cells[3]).toBe(center.url);
    expect(cells[4]).toBe('1');
    // the new report is the one selected: its details are shown
    expect(await row(id).getAttribute('aria-selected')).toBe('true');
    expect(await history().getByTestId('history-detail').textContent()).toContain('受付番号');
    expect(await history().getByRole('button', { name: '再送(R)' }).isDisabled()).toBe(true);

    const arrived = center.reports().slice(before);
    expect(arrived.map((r) => [r.id, r.kind])).toEqual([[id, 'alert']]);
    await shot('history');
    await closeHistory();
  }, 45_000);

  it('Shift+F10 on the event id opens the menu from the keyboard; T chooses 通報テスト', async () => {
    await eventNode().focus();
    await page.keyboard.press('Shift+F10');
    const item = page.getByRole('menu', { name: 'イベント ID のメニュー' }).getByRole('menuitem', { name: '通報テスト(T)' });
    await item.waitFor();
    await page.keyboard.press('Escape');
    await item.waitFor({ state: 'detached' });
    // Escape gives the focus back to the node
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe('0xc0040006 (6)');

    await page.keyboard.press('Shift+F10');
    await item.waitFor();
    await page.keyboard.press('t');
    const box = alertDialog('通報テスト');
    await box.waitFor();
    expect(await box.textContent()).toContain('疑似障害通報を受け付けました。');
    await okToHistory();
    await expect.poll(async () => (await listHistory())[0]!.state, { timeout: 20_000 }).toBe('delivered');
    await closeHistory();
  }, 45_000);

  it('a report the center refuses fails for good with the reason in plain words; [再送] sends it again', async () => {
    await center.fault({ mode: 'status', status: 404, count: 1 });
    const { id } = await reportTestByMouse();
    await okToHistory();
    await expect.poll(() => stateCell(id).textContent(), { timeout: 20_000 }).toBe('送信失敗');
    const error = await row(id).getByRole('gridcell').nth(6).textContent();
    expect(error).toContain('404');

    // the state filter: only the failed one
    await history().getByRole('combobox', { name: '状態(S):' }).selectOption({ label: '送信失敗' });
    await expect.poll(() => history().getByRole('row').count()).toBe(2);
    expect(await history().getByTestId('history-count').textContent()).toMatch(/^1 件を表示/);

    await row(id).click();
    const resend = history().getByRole('button', { name: '再送(R)' });
    await expect.poll(() => resend.isEnabled()).toBe(true);
    expect(await history().getByTestId('history-detail').textContent()).toContain('404');
    const before = center.reports().length;
    await page.keyboard.press('Alt+r');
    // under the 送信失敗 filter the resent report leaves the list once it is on its way again
    await history().getByRole('combobox', { name: '状態(S):' }).selectOption({ label: 'すべて' });
    await expect.poll(() => stateCell(id).textContent(), { timeout: 20_000 }).toBe('送信済み');
    expect(center.reports().slice(before).map((r) => r.id)).toEqual([id]);
    await closeHistory();
  }, 45_000);

  it('a report made while the history is open appears and settles live (no reopening)', async () => {
    await page.getByRole('menubar').getByRole('menuitem', { name: 'ツール(T)' }).click();
    await page.getByRole('menuitem', { name: '通報履歴(H)...' }).click();
    await history().getByRole('grid', { name: '通報の一覧' }).waitFor();
    const rowsBefore = (await listHistory()).length;
    const out = await apiCall(backend, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xc0040006' });
    if (!out.ok) throw new Error(out.error.message);
    const id = out.result[0]!.id;
    await expect.poll(() => stateCell(id).textContent(), { timeout: 20_000 }).toBe('送信済み');
    expect(await history().getByTestId('history-count').textContent()).toContain(`全 ${rowsBefore + 1} 件`);
    await closeHistory();
  }, 45_000);

  it('with the center gone the report waits: 再送待ち — 次回 <time>, and the last error says what failed', async () => {
    await center.kill();
    const { id } = await reportTestByMouse();
    await okToHistory();
    await expect.poll(() => stateCell(id).textContent(), { timeout: 30_000 }).toMatch(/^再送待ち — 次回 \d{2}:\d{2}:\d{2}$/);
    const item = (await listHistory()).find((i) => i.id === id)!;
    expect(item.state).toBe('retrying');
    expect(item.nextAttemptAt).not.toBeNull();
    const detail = (await history().getByTestId('history-detail').textContent()) ?? '';
    expect(detail).toContain('次回の送信');
    expect(detail).toContain(item.errorText ?? '(no error text)');
    expect(await history().getByRole('button', { name: '再送(R)' }).isDisabled()).toBe(true);
    await shot('history-retrying');
    await closeHistory();
  }, 60_000);

  it('a long history stays light: only the rows in view are in the page, and End reaches the oldest', async () => {
    const made = await Promise.all(
      Array.from({ length: 150 }, () => apiCall(backend, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xc0040006' })),
    );
    expect(made.every((m) => m.ok)).toBe(true);
    const total = (await listHistory()).length;
    expect(total).toBeGreaterThan(150);

    await page.getByRole('menubar').getByRole('menuitem', { name: 'ツール(T)' }).click();
    await page.getByRole('menuitem', { name: '通報履歴(H)...' }).click();
    const grid = history().getByRole('grid', { name: '通報の一覧' });
    await grid.waitFor();
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(total + 1));
    const rendered = await grid.locator('[role="row"]').count();
    expect(rendered).toBeLessThan(40);

    await grid.focus();
    await page.keyboard.press('End');
    const oldest = (await listHistory()).at(-1)!;
    await expect.poll(() => row(oldest.id).getAttribute('aria-selected')).toBe('true');
    expect(await grid.locator('[role="row"]').count()).toBeLessThan(40);
    await page.keyboard.press('Home');
    await expect.poll(() => grid.getAttribute('aria-activedescendant')).toMatch(/-row-/);
    await closeHistory();
  }, 60_000);

  it('通報の抑制 in the basic settings: the switch and the period, checked and saved with OK', async () => {
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
    const basic = dialog('通報基本設定');
    await basic.getByRole('button', { name: `${METHOD}の設定...` }).click();
    const https = dialog(`${METHOD}の基本設定`);
    const suppress = https.getByRole('checkbox', { name: '同一イベントの通報を抑制する(U)' });
    await suppress.waitFor();
    expect(await suppress.isChecked()).toBe(true);
    const periodField = https.getByRole('textbox', { name: '抑制期間(分)(P)' });
    expect(await periodField.inputValue()).toBe('60');
    expect(await https.textContent()).toContain('既定値を変更しないでください');

    await periodField.fill('0');
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.getByText('抑制期間は 1 から 1440 までの整数(分)で入力してください。').waitFor();
    await periodField.fill('1441');
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.getByText('抑制期間は 1 から 1440 までの整数(分)で入力してください。').waitFor();
    await periodField.fill('90');
    // Alt+U goes to the switch; Space turns it off
    await page.keyboard.press('Alt+u');
    await page.keyboard.press('Space');
    await expect.poll(() => suppress.isChecked()).toBe(false);
    expect(await periodField.isDisabled()).toBe(true);
    await suppress.check();
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    const settings = await apiCall(backend, 'settings:get', {});
    expect(settings.ok && settings.result.methods['express-https'].suppression).toEqual({ enabled: true, periodMinutes: 90 });

    // switched off: the period stays as stored
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
    await basic.getByRole('button', { name: `${METHOD}の設定...` }).click();
    await suppress.waitFor();
    expect(await periodField.inputValue()).toBe('90');
    await suppress.uncheck();
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    const after = await apiCall(backend, 'settings:get', {});
    expect(after.ok && after.result.methods['express-https'].suppression).toEqual({ enabled: false, periodMinutes: 90 });
    await setSetting(backend, 'methods.express-https.suppression.enabled', true);
    await setSetting(backend, 'methods.express-https.suppression.periodMinutes', 60);
  }, 45_000);

  it('speaks English when the window is English', async () => {
    await setSetting(backend, 'ui.language', 'en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Tools' }).click();
    await page.getByRole('menuitem', { name: 'Report History...' }).click();
    const en = dialog('Report History');
    const grid = en.getByRole('grid', { name: 'Reports' });
    await grid.waitFor();
    const headers = await en.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['Accepted', 'Kind', 'Method', 'Destination', 'Attempts', 'State', 'Last error']);
    expect(await en.getByRole('row').nth(1).textContent()).toMatch(/Fault \(atapi 0xc0040006\)/);
    // issue 9 item 23: Kind (with its event) and Destination (a whole URL) are not cut off in English
    const cut = await en.getByRole('row').nth(1).evaluate((r) =>
      [...r.querySelectorAll<HTMLElement>('[aria-colindex="2"], [aria-colindex="4"]')].map((c) => ({ text: c.textContent, cut: c.scrollWidth > c.clientWidth })),
    );
    expect(cut).toHaveLength(2);
    expect(cut.filter((c) => c.cut)).toEqual([]);
    await en.getByRole('button', { name: 'Close', exact: true }).click();
    await en.waitFor({ state: 'detached' });
    await setSetting(backend, 'ui.language', 'ja');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ja');
  });

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
