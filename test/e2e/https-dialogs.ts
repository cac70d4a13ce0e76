/**
 * The Express (HTTPS) dialogs as the e2e tests reach them (Japanese window): locators by the
 * seed's titles and the menu paths to 宛先設定 and 基本設定. One place, so a changed label or path
 * is changed once.
 */
import type { Locator, Page } from 'playwright-core';
import { apiCall, type Backend } from './harness';

export const HTTPS_METHOD = 'エクスプレス通報サービス(HTTPS)';

export interface HttpsDialogs {
  dialog(name: string): Locator;
  /** the method's message box (its title is the method's name) */
  box(): Locator;
  /** the validation message under the field with this settings key */
  fieldMessage(scope: Locator, key: string): Locator;
  /** 設定 → 通報先リストの設定 → HTTPS → [修正...] → [宛先設定...] */
  openDestinations(): Promise<{ list: Locator; id: Locator; dest: Locator }>;
  /** 設定 → 通報基本設定 → HTTPS の[設定...] */
  openBasicSettings(): Promise<{ basic: Locator; https: Locator }>;
}

export function httpsDialogs(page: Page): HttpsDialogs {
  const dialog = (name: string): Locator => page.getByRole('dialog', { name, exact: true });
  return {
    dialog,
    box: () => page.getByRole('alertdialog', { name: HTTPS_METHOD, exact: true }),
    fieldMessage: (scope, key) => scope.locator('.fui-Field', { has: page.locator(`[data-field="${key}"]`) }).locator('.fui-Field__validationMessage'),
    async openDestinations() {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
      const list = dialog('通報先リストの設定');
      await list.getByRole('option', { name: new RegExp(`^${HTTPS_METHOD.replace(/[()]/g, '\\$&')} `) }).click();
      await list.getByRole('button', { name: '修正...' }).click();
      const id = dialog('ID 設定');
      await id.getByRole('button', { name: '宛先設定...' }).click();
      const dest = dialog(`${HTTPS_METHOD}の宛先設定`);
      await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).waitFor();
      return { list, id, dest };
    },
    async openBasicSettings() {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
      const basic = dialog('通報基本設定');
      await basic.getByRole('button', { name: `${HTTPS_METHOD}の設定...` }).click();
      const https = dialog(`${HTTPS_METHOD}の基本設定`);
      await https.waitFor();
      return { basic, https };
    },
  };
}

/** The stored Express (HTTPS) settings, as the backend has them now. */
export async function storedHttps(backend: Backend) {
  const out = await apiCall(backend, 'settings:get', {});
  if (!out.ok) throw new Error(out.error.message);
  return out.result.methods['express-https'];
}
