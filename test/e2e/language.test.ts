import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  launchBrowser,
  makeDataDir,
  openWindow,
  stopAllBackends,
  startBackend,
  waitReady,
  type Backend,
} from './harness';

let browser: Browser;
const english = makeDataDir();
const japanese = makeDataDir();

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  english.remove();
  japanese.remove();
});

const menuNames = (page: Page) => page.getByRole('menubar').getByRole('menuitem').allTextContents();

async function languageSetting(backend: Backend): Promise<string> {
  const outcome = await apiCall(backend, 'settings:get', {});
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result.ui.language;
}

describe('language', () => {
  it('speaks English when the OS locale is en_US.UTF-8 (the browser’s own locale does not matter)', async () => {
    const backend = await startBackend(english.dir, 'en_US.UTF-8');
    const { page, errors, context } = await openWindow(browser, backend);
    expect(await page.title()).toBe('AlertManager Settings');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await menuNames(page)).toEqual(['File', 'Settings', 'Tools', 'Help']);

    await page.keyboard.press('Alt+s');
    await page.keyboard.press('b');
    const dialog = page.getByRole('dialog', { name: 'Base Setting' });
    await dialog.waitFor();
    await dialog.getByRole('tab', { name: 'Report Method Setting' }).waitFor();
    await dialog.getByRole('button', { name: 'Express Report Service: Disabled', exact: true }).click();
    const box = page.getByRole('alertdialog');
    await box.waitFor();
    const text = await box.textContent();
    expect(text).toContain('Express Report Service has not been set up yet and cannot be enabled.');
    expect(text).toContain('The opening information has not been entered');
    await box.getByRole('button', { name: 'OK' }).click();
    await box.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Help → 日本語(L) switches to Japanese and remembers it
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Help' }).click();
    await page.getByRole('menuitem', { name: '日本語(L)' }).click();
    await expect.poll(() => menuNames(page)).toEqual(['ファイル(F)', '設定(S)', 'ツール(T)', 'ヘルプ(H)']);
    expect(await page.title()).toBe('アラートマネージャ設定ウィンドウ');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await languageSetting(backend)).toBe('ja');
    expect(errors).toEqual([]);
    await context.close();
    await backend.stop();
  });

  it('switches a Japanese window to English from ヘルプ and keeps it after a restart', async () => {
    let backend = await startBackend(japanese.dir, 'ja_JP.UTF-8');
    const { page, errors, context } = await openWindow(browser, backend);
    expect(await menuNames(page)).toEqual(['ファイル(F)', '設定(S)', 'ツール(T)', 'ヘルプ(H)']);
    await page.keyboard.press('Alt+h');
    await page.keyboard.press('l');
    await expect.poll(() => menuNames(page)).toEqual(['File', 'Settings', 'Tools', 'Help']);
    expect(await page.title()).toBe('AlertManager Settings');
    expect(await languageSetting(backend)).toBe('en');

    // the backend's own messages follow too
    await page.keyboard.press('Alt+s');
    await page.keyboard.press('l');
    const list = page.getByRole('dialog', { name: 'Destination List Setting' });
    await list.waitFor();
    await list.getByRole('option', { name: 'Express Report Service (HTTPS) every 5 min, for 72 h, 24 hours' }).waitFor();
    await list.getByRole('button', { name: 'Cancel' }).click();
    await list.waitFor({ state: 'detached' });

    await backend.stop();
    backend = await startBackend(japanese.dir, 'ja_JP.UTF-8');
    await page.goto(backend.url);
    await waitReady(page);
    expect(await menuNames(page)).toEqual(['File', 'Settings', 'Tools', 'Help']);
    expect(errors).toEqual([]);
    await context.close();
    await backend.stop();
  });
});
