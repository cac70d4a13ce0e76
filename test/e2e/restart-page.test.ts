/**
 * The forbidden page in real Chromium (issue 9, from item 18): after `serve` was restarted, the
 * old address (its token) gets a page in the user's language that says the service was
 * restarted and to open the new address `serve` printed. Two real serve processes in a row on
 * one data folder; the browser's locale sets its Accept-Language.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, makeDataDir, startBackend, stopAllBackends } from './harness';

let browser: Browser;
const data = makeDataDir();

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

it('an old address after a restart: Japanese by default, English for an English browser', { timeout: 60_000 }, async () => {
  const before = await startBackend(data.dir, 'ja_JP.UTF-8');
  await before.stop();
  const after = await startBackend(data.dir, 'ja_JP.UTF-8');
  // The old token at the service's address (a fixed --port gives the same one).
  const stale = `${after.origin}/?token=${before.token}`;
  for (const [locale, lang, text] of [
    ['ja-JP', 'ja', 'express-report serve が表示した新しいアドレス'],
    ['en-US', 'en', 'Open the new address (url: …) printed by express-report serve.'],
  ] as const) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const response = await page.goto(stale);
    expect(response?.status()).toBe(403);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await expect.poll(() => page.locator('main').innerText()).toContain(text);
    expect(await page.title()).not.toBe('');
    await context.close();
  }
  await after.stop();
});
