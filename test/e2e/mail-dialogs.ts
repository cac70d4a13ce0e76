/**
 * The Express by e-mail dialogs as the e2e tests reach them (Japanese window): locators by the
 * seed's titles and the menu paths to エクスプレス通報サービスの基本設定, the mail route's basic
 * settings and its destination window. One place, so a changed label or path is changed once.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { apiCall, ROOT, type Backend } from './harness';

export const EXPRESS = 'エクスプレス通報サービス';
export const BASIC_TITLE = 'エクスプレス通報サービスの基本設定';
export const MAIL_TITLE = 'エクスプレス通報(インターネット メール経由)の基本設定';
export const AUTH_TITLE = 'インターネットメール通報の認証設定';
export const DEST_TITLE = 'エクスプレス通報サービス(インターネット メール経由)の設定';

export interface MailDialogs {
  dialog(name: string): Locator;
  /** the method's message box (its title is the method's name) */
  box(): Locator;
  /** the validation message under the field with this settings key */
  fieldMessage(scope: Locator, key: string): Locator;
  /** the input of this settings key */
  field(scope: Locator, key: string): Locator;
  /** 設定 → 通報基本設定 → エクスプレス通報サービスの[設定...] */
  openBasicSettings(): Promise<{ list: Locator; basic: Locator }>;
  /** the route's row in the basic settings (its radio, its [設定], its note) */
  routeRow(basic: Locator, route: 'mail' | 'dialup' | 'manager'): Locator;
  /** [設定] of インターネット メール経由 → the mail route's basic settings */
  openMailSettings(basic: Locator): Promise<Locator>;
  /** 設定 → 通報先リストの設定 → エクスプレス通報サービス → [修正...] → [宛先設定...] */
  openDestinations(): Promise<{ list: Locator; id: Locator; dest: Locator }>;
  /** OK (or キャンセル) on a dialog, waiting until it has gone */
  close(scope: Locator, button?: 'OK' | 'キャンセル' | 'Cancel'): Promise<void>;
  /** a screenshot of the window to docs/screenshots/mail-NAME.png, after the dialogs' fade-in */
  shot(name: string): Promise<void>;
}

export function mailDialogs(page: Page): MailDialogs {
  const dialog = (name: string): Locator => page.getByRole('dialog', { name, exact: true });
  const close = async (scope: Locator, button: 'OK' | 'キャンセル' | 'Cancel' = 'OK') => {
    await scope.getByRole('button', { name: button, exact: true }).click();
    await scope.waitFor({ state: 'detached' });
  };
  const routeRow = (basic: Locator, route: 'mail' | 'dialup' | 'manager') => basic.locator(`.express-route__row[data-route="${route}"]`);
  return {
    dialog,
    box: () => page.getByRole('alertdialog', { name: EXPRESS, exact: true }),
    fieldMessage: (scope, key) => scope.locator('.fui-Field', { has: page.locator(`[data-field="${key}"]`) }).locator('.fui-Field__validationMessage'),
    field: (scope, key) => scope.locator(`[data-field="${key}"]`),
    async openBasicSettings() {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
      const list = dialog('通報基本設定');
      await list.getByRole('button', { name: `${EXPRESS}の設定...`, exact: true }).click();
      const basic = dialog(BASIC_TITLE);
      await basic.waitFor();
      return { list, basic };
    },
    routeRow,
    async openMailSettings(basic) {
      await routeRow(basic, 'mail').getByRole('button', { name: '設定(S)...' }).click();
      const mail = dialog(MAIL_TITLE);
      await mail.waitFor();
      return mail;
    },
    async openDestinations() {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
      const list = dialog('通報先リストの設定');
      await list.getByRole('option', { name: new RegExp(`^${EXPRESS} `) }).click();
      await list.getByRole('button', { name: '修正...' }).click();
      const id = dialog('ID 設定');
      await id.getByRole('button', { name: '宛先設定...' }).click();
      const dest = dialog(DEST_TITLE);
      await dest.getByRole('textbox', { name: '宛先(A)' }).waitFor();
      return { list, id, dest };
    },
    close,
    async shot(name) {
      const dir = path.join(ROOT, 'docs', 'screenshots');
      mkdirSync(dir, { recursive: true });
      await page.waitForTimeout(350);
      await page.screenshot({ path: path.join(dir, `mail-${name}.png`) });
    },
  };
}

/** The stored Express settings, as the backend has them now (secrets masked). */
export async function storedExpress(backend: Backend) {
  const out = await apiCall(backend, 'settings:get', {});
  if (!out.ok) throw new Error(out.error.message);
  return out.result.methods.express;
}
