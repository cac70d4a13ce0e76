/**
 * Issue 9 item 7, the rule itself: a テスト通報 in 宛先設定 is sent with what the window shows, but
 * nothing is stored until OK. While the dialog is open after a failed test with a wrong URL1, a
 * real alert still goes to the stored URL (and reaches the center simulator); a backend killed
 * (SIGKILL) with the dialog open leaves the starting settings. Real Chromium, real `serve`, real
 * center over TLS on 127.0.0.1.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type Center } from '../helpers/center';
import { apiCall, enableHttpsTo, launchBrowser, makeDataDir, openWindow, setSetting, startBackend, stopAllBackends, type Backend } from './harness';
import { httpsDialogs, storedHttps, type HttpsDialogs } from './https-dialogs';

const METHOD = 'エクスプレス通報サービス(HTTPS)';
/** nothing listens on port 9 of the loopback: the test report fails at once */
const WRONG_URL = 'https://127.0.0.1:9/Scripts/trsRecvAlert.cgi';

let browser: Browser;
let backend: Backend;
let center: Center;
let page: Page;
const data = makeDataDir();

beforeAll(async () => {
  [center, backend] = await Promise.all([startCenter(), startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' })]);
  const opened = await apiCall(backend, 'opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: true },
    device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
  });
  if (!opened.ok) throw new Error(opened.error.message);
  await setSetting(backend, 'methods.express-https.url1', center.url);
  await enableHttpsTo(backend, center);
  browser = await launchBrowser();
  page = (await openWindow(browser, backend)).page;
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
const https = (on: Backend) => storedHttps(on);


/** 設定 → 通報先リストの設定 → HTTPS → [修正...] → [宛先設定...], then a failed テスト通報 to a wrong URL1 and an empty CA file. */
async function failedTestInOpenDialog(): Promise<Locator> {
  const { dest } = await ui().openDestinations();
  await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).fill(WRONG_URL);
  await dest.getByRole('textbox', { name: 'CA ファイル(C)' }).fill('');
  await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
  await dialog('テスト結果送付先の選択').getByRole('button', { name: 'OK' }).click();
  await box().getByRole('button', { name: 'はい(Y)' }).click();
  const result = box().filter({ hasText: 'テスト通報に失敗しました。' });
  await result.waitFor({ timeout: 20_000 });
  expect(await result.textContent()).toContain(`${WRONG_URL} への通報に失敗しました`);
  await result.getByRole('button', { name: 'OK' }).click();
  await result.waitFor({ state: 'detached' });
  // the dialog stays open with the wrong values on screen
  expect(await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).inputValue()).toBe(WRONG_URL);
  return dest;
}

describe('item 7: only OK stores what a test used', () => {
  it('while 宛先設定 is open after a failed test, a real alert goes to the stored URL and reaches the center', async () => {
    const start = await https(backend);
    await failedTestInOpenDialog();

    const before = center.reports().length;
    const alert = await apiCall(backend, 'report:event', { source: 'disk', eventId: '0xc0040007', message: 'disk error', wait: true });
    if (!alert.ok) throw new Error(alert.error.message);
    expect(alert.result.items.map((i) => [i.state, i.destination])).toEqual([['delivered', center.url]]);
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['alert']);
    expect(await https(backend)).toEqual(start);
  }, 60_000);

  it('a backend killed (SIGKILL) with the dialog open after a test leaves the starting settings', async () => {
    const start = await https(backend);
    // the same dialog, still open after the first test: test again, then the backend dies
    const dest = dialog(`${METHOD}の宛先設定`);
    await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
    await dialog('テスト結果送付先の選択').getByRole('button', { name: 'OK' }).click();
    await box().getByRole('button', { name: 'はい(Y)' }).click();
    const result = box().filter({ hasText: 'テスト通報に失敗しました。' });
    await result.waitFor({ timeout: 20_000 });
    process.kill(backend.pid, 'SIGKILL');
    await backend.stop();

    const again = await startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' });
    const after = await https(again);
    expect(after).toEqual(start);
    expect(after).toMatchObject({ url1: center.url, caFile: center.ca, enabled: true });
  }, 60_000);
});
