import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  launchBrowser,
  makeDataDir,
  openWindow,
  setSetting,
  stopAllBackends,
  startBackend,
  type Backend,
  type OpenWindow,
} from './harness';
import { startMailCenter } from '../helpers/mail-peers/center';
import { openedMailDataDir } from '../helpers/setup-methods';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();

/** Express (HTTPS) and Express by e-mail on one key-file opening, each tested and
 * opening-reported by the real actions against the center simulator (HTTPS and SMTP). */
async function setUpBoth(): Promise<void> {
  const center = await startMailCenter({ https: true });
  try {
    await openedMailDataDir(data.dir, center, { https: true });
  } finally {
    await center.stop();
  }
}

beforeAll(async () => {
  // the browser starts while the data folder is set up
  const [launched, setUp] = await Promise.allSettled([launchBrowser(), setUpBoth()]);
  if (launched.status === 'fulfilled') browser = launched.value;
  for (const r of [launched, setUp]) if (r.status === 'rejected') throw r.reason;
  backend = await startBackend(data.dir, 'ja_JP.UTF-8');
  win = await openWindow(browser, backend);
  page = win.page;
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const basicDialog = () => page.getByRole('dialog', { name: '通報基本設定' });
const toggle = (name: string) => basicDialog().getByRole('button', { name, exact: true });

async function enabledOnServer(name: string): Promise<boolean | undefined> {
  const outcome = await apiCall(backend, 'methods:list', {});
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result.find((m) => m.name === name)?.enabled;
}

async function closeBasicDialog(): Promise<void> {
  await basicDialog().getByRole('button', { name: 'OK', exact: true }).click();
  await basicDialog().waitFor({ state: 'detached' });
}

describe('通報基本設定 → 通報手段の設定', () => {
  it('opens from the 設定 menu with the mouse and lists the four methods, all disabled', async () => {
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
    await basicDialog().waitFor();
    expect(await basicDialog().getByRole('tab', { name: '通報手段の設定' }).getAttribute('aria-selected')).toBe('true');
    for (const label of [
      'エクスプレス通報サービス',
      'エクスプレス通報サービス(HTTPS)',
      'マネージャからのエクスプレス通報',
      'マネージャからのエクスプレス通報(HTTPS)',
    ]) {
      await toggle(`${label}: 無効`).waitFor();
    }
    await closeBasicDialog();
  });

  it('opens with the keyboard: Alt+S, then B', async () => {
    await page.locator('body').click({ position: { x: 600, y: 400 } });
    await page.keyboard.press('Alt+s');
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).waitFor();
    await page.keyboard.press('b');
    await basicDialog().waitFor();
  });

  it('enables a set-up method: its bitmap turns green (enabled) and the backend has it', async () => {
    const button = toggle('エクスプレス通報サービス(HTTPS): 無効');
    expect(await button.locator('svg').getAttribute('data-enabled')).toBe('false');
    await button.click();
    const enabled = toggle('エクスプレス通報サービス(HTTPS): 有効');
    await enabled.waitFor();
    expect(await enabled.locator('svg').getAttribute('data-enabled')).toBe('true');
    expect(await enabled.locator('svg circle').getAttribute('fill')).toBe('#13a10e');
    expect(await enabledOnServer('express-https')).toBe(true);
  });

  it('refuses to enable Express while Express (HTTPS) is on, with the seed’s reason', async () => {
    await toggle('エクスプレス通報サービス: 無効').click();
    const box = page.getByRole('alertdialog');
    await box.waitFor();
    const text = await box.textContent();
    expect(text).toContain('エクスプレス通報サービス(HTTPS)とエクスプレス通報サービスは同時に使用できません');
    expect(text).toContain('エクスプレス通報サービス(HTTPS)の手段を無効にしてから');
    await box.getByRole('button', { name: 'OK' }).click();
    await box.waitFor({ state: 'detached' });
    await toggle('エクスプレス通報サービス: 無効').waitFor();
    expect(await enabledOnServer('express')).toBe(false);
  });

  it('shows what a method that is not set up still lacks, on enabling and under 設定...', async () => {
    await toggle('マネージャからのエクスプレス通報: 無効').click();
    const box = page.getByRole('alertdialog');
    await box.waitFor();
    const text = await box.textContent();
    expect(text).toContain('マネージャからのエクスプレス通報はまだ設定されていないため有効にできません');
    expect(text).toContain('保守センターの宛先が登録されていません');
    expect(text).toContain('転送手段(インターネットメール経由/ダイヤルアップ経由)が選択されていません');
    await box.getByRole('button', { name: 'OK' }).click();
    await box.waitFor({ state: 'detached' });

    await basicDialog().getByRole('button', { name: 'マネージャからのエクスプレス通報(HTTPS)の設定...' }).click();
    // its own window (issue 13: test/e2e/relay-windows.test.ts) lists what it lacks too
    const setup = page.getByRole('dialog', { name: 'マネージャからのエクスプレス(HTTPS)通報の基本設定' });
    await setup.waitFor();
    expect(await setup.getByRole('list', { name: '有効にするには、次の項目を設定する必要があります:' }).textContent()).toContain('1 次通報先の URL が設定されていません。');
    await setup.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await setup.waitFor({ state: 'detached' });
  });

  it('follows changes made elsewhere (another window, the CLI) through the event stream', async () => {
    await setSetting(backend, 'methods.express-https.enabled', false);
    await toggle('エクスプレス通報サービス(HTTPS): 無効').waitFor();
    // with HTTPS off, Express may now be enabled from the window
    await toggle('エクスプレス通報サービス: 無効').click();
    await toggle('エクスプレス通報サービス: 有効').waitFor();
    expect(await enabledOnServer('express')).toBe(true);
    await closeBasicDialog();
  });

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
