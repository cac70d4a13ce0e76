import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { launchBrowser, makeDataDir, openWindow, startBackend, stopAllBackends, type Backend } from './harness';
import { startMailCenter } from '../helpers/mail-peers/center';
import { openedMailDataDir } from '../helpers/setup-methods';

let browser: Browser;
let backend: Backend;
let page: Page;
const data = makeDataDir();

/** Express by e-mail opened, tested and opening-reported by the real actions against the
 * center simulator's mail side; Express (HTTPS) has no URL and no opening report. */
async function setUpMail(): Promise<void> {
  const center = await startMailCenter();
  try {
    await openedMailDataDir(data.dir, center);
  } finally {
    await center.stop();
  }
}

beforeAll(async () => {
  // the browser starts while the data folder is set up
  const [launched, setUp] = await Promise.allSettled([launchBrowser(), setUpMail()]);
  if (launched.status === 'fulfilled') browser = launched.value;
  for (const r of [launched, setUp]) if (r.status === 'rejected') throw r.reason;
  backend = await startBackend(data.dir, 'ja_JP.UTF-8');
  page = (await openWindow(browser, backend)).page;
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const basicDialog = () => page.getByRole('dialog', { name: '通報基本設定' });

/** What has keyboard focus: its accessible name as the tests see it, or BODY. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
  });
}

async function openBasicSettings(): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
  await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
  await basicDialog().waitFor();
}

describe('focus returns to the control that opened a child window (item 19)', () => {
  it('closing the [設定...] child of 通報基本設定 puts focus back on its [設定...] button, so Esc then closes 通報基本設定', async () => {
    await openBasicSettings();
    const setup = basicDialog().getByRole('button', { name: 'エクスプレス通報サービスの設定...' });
    await setup.focus();
    await page.keyboard.press('Enter');
    const child = page.getByRole('dialog', { name: 'エクスプレス通報サービスの基本設定' });
    await child.waitFor();
    await child.getByRole('button', { name: 'キャンセル' }).click();
    await child.waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('エクスプレス通報サービスの設定...');
    await page.keyboard.press('Escape');
    await basicDialog().waitFor({ state: 'detached' });
  });

  it('closing a refusal message box (Enter on OK) puts focus back on the method button that raised it', async () => {
    await openBasicSettings();
    // Express (HTTPS) is not set up: enabling it is refused with a message box
    const toggle = basicDialog().locator('tr[data-method="express-https"] .method-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    const box = page.getByRole('alertdialog');
    await box.waitFor();
    await page.keyboard.press('Enter');
    await box.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-method') ?? 'BODY')).toBe('express-https');
    await page.keyboard.press('Escape');
    await basicDialog().waitFor({ state: 'detached' });
  });

  it('a dialog opened from the menu gives focus back to the main window when it closes', async () => {
    const tree = page.getByRole('tree', { name: 'イベントログ' });
    await tree.getByRole('treeitem').first().focus();
    await page.keyboard.press('Alt+h');
    await page.getByRole('menuitem', { name: 'バージョン情報(A)...' }).click();
    const version = page.getByRole('dialog', { name: 'バージョン情報' });
    await version.waitFor();
    await page.keyboard.press('Escape');
    await version.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? 'BODY')).toBe('treeitem');
  });
});

describe('axe: no serious or critical violations (item 19)', () => {
  it('in the main window, also after dialogs have opened and closed (no stray focus sentinels)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a click on empty space leaves focus in its control (as in Windows), so no focus sentinel becomes a tab stop', async () => {
    const item = page.getByRole('tree', { name: 'イベントログ' }).getByRole('treeitem').first();
    await item.focus();
    const details = await page.getByRole('region', { name: '詳細' }).boundingBox();
    await page.mouse.click(details!.x + details!.width / 2, details!.y + details!.height - 10);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? 'BODY')).toBe('treeitem');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('in 通報基本設定 and its [設定...] child', async () => {
    await openBasicSettings();
    expect(await seriousViolations(page)).toEqual([]);
    await basicDialog().getByRole('button', { name: 'エクスプレス通報サービスの設定...' }).click();
    await page.getByRole('dialog', { name: 'エクスプレス通報サービスの基本設定' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // one Esc per window, each after the window under it has focus again (a key pressed while a
    // child still fades out is swallowed by Fluent)
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'エクスプレス通報サービスの基本設定' }).waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('エクスプレス通報サービスの設定...');
    await page.keyboard.press('Escape');
    await basicDialog().waitFor({ state: 'detached' });
  });
});
