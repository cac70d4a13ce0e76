/**
 * The windows of the relay through a manager as the e2e tests reach them (Japanese window):
 * locators by the seed's titles and the menu paths to a method's 基本設定 and 宛先設定.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from './axe';
import { apiCall, ROOT, type Backend } from './harness';

export const MANAGER_HTTPS = 'マネージャからのエクスプレス通報(HTTPS)';
export const MANAGER_EXPRESS = 'マネージャからのエクスプレス通報';
export const AGENT_HTTPS = 'エクスプレス通報サービス(HTTPS)';

const escape = (s: string) => s.replace(/[()]/g, '\\$&');

export function relayDialogs(page: Page) {
  const dialog = (name: string): Locator => page.getByRole('dialog', { name, exact: true });
  return {
    dialog,
    /** a message box titled `title` */
    box: (title: string) => page.getByRole('alertdialog', { name: title, exact: true }),
    /** 設定 → 通報基本設定 → the method's [設定...]; the method's window by its title */
    async openBasic(method: string, title: string) {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
      const basic = dialog('通報基本設定');
      await basic.getByRole('button', { name: `${method}の設定...`, exact: true }).click();
      const window = dialog(title);
      await window.waitFor();
      return { basic, window };
    },
    /** 設定 → 通報先リストの設定 → the method → [修正...] → [宛先設定...] */
    async openDestinations(method: string, title: string) {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
      const list = dialog('通報先リストの設定');
      await list.getByRole('option', { name: new RegExp(`^${escape(method)} `) }).click();
      await list.getByRole('button', { name: '修正...' }).click();
      const id = dialog('ID 設定');
      await id.getByRole('button', { name: '宛先設定...' }).click();
      const dest = dialog(title);
      await dest.waitFor();
      return { list, id, dest };
    },
    /** OK on ID 設定 and on the list (the destination window has closed) */
    async closeList({ list, id }: { list: Locator; id: Locator }) {
      await id.getByRole('button', { name: 'OK', exact: true }).click();
      await id.waitFor({ state: 'detached' });
      await list.getByRole('button', { name: 'OK', exact: true }).click();
      await list.waitFor({ state: 'detached' });
    },
  };
}

/** A contract call that must succeed. */
export async function must<M extends Parameters<typeof apiCall>[1]>(backend: Backend, method: M, params: Parameters<typeof apiCall<M>>[2]) {
  const out = await apiCall(backend, method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result;
}

/** An opening by key code (OPFILELESS) with this server name, through the API. */
export async function openByKeyCode(backend: Backend, serverName: string): Promise<void> {
  await must(backend, 'opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: true },
    device: { serverName, deviceCode: 'N8100-XXX', serialNumber: `S-${serverName}`, warrantyNumber: '12345678' },
  });
}

/** A screenshot to docs/screenshots/relay-NAME.png, after the fade-in, and no serious axe violation in the window. */
export async function relayShot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(350);
  expect(await seriousViolations(page), name).toEqual([]);
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(dir, `relay-${name}.png`) });
}

/** `button` → テスト結果送付先の選択 (the default mail) → はい in `title`'s box → the result box (left open) and its text. */
export async function testResult(page: Page, scope: Locator, button: string, title: string): Promise<{ box: Locator; text: string }> {
  const ui = relayDialogs(page);
  await scope.getByRole('button', { name: button }).click();
  await ui.dialog('テスト結果送付先の選択').getByRole('button', { name: 'OK' }).click();
  await ui.box(title).getByRole('button', { name: 'はい(Y)' }).click();
  const box = ui.box(title).filter({ hasText: 'テスト通報に' });
  await box.waitFor({ timeout: 30_000 });
  return { box, text: (await box.textContent()) ?? '' };
}

/** After a failed test: the window's screenshot to /tmp/relay-e2e/fail-PREFIX…png and its accessibility tree on stdout. */
export async function showFailure(ctx: { task: { name: string; result?: { state?: string } } }, page: Page | undefined, prefix: string): Promise<void> {
  if (ctx.task.result?.state !== 'fail' || !page) return;
  mkdirSync('/tmp/relay-e2e', { recursive: true });
  await page.screenshot({ path: `/tmp/relay-e2e/fail-${prefix}${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}.png` }).catch(() => undefined);
  console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
}
