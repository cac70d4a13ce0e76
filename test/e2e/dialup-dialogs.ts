/**
 * The dial-up windows as the e2e tests reach them (Japanese window): locators by the seed's titles
 * and the menu path to エクスプレス通報(ダイヤルアップ経由)の設定. One place, so a changed label or
 * path is changed once.
 */
import type { Locator, Page } from 'playwright-core';

export const TITLE = 'エクスプレス通報(ダイヤルアップ経由)の設定';
export const DEST_TITLE = '通報先の設定(シリアルポート経由)';

export interface DialupWindows {
  list: Locator;
  id: Locator;
  win: Locator;
}

export function dialupDialogs(page: Page) {
  const dialog = (name: string): Locator => page.getByRole('dialog', { name, exact: true });
  return {
    dialog,
    /** the validation message under the field with this settings key */
    fieldMessage: (scope: Locator, key: string): Locator =>
      scope.locator('.fui-Field', { has: page.locator(`[data-field="${key}"]`) }).locator('.fui-Field__validationMessage'),
    /** one row of the 通報先 list */
    listRow: (scope: Locator, which: 'primary' | 'secondary') => scope.getByTestId(`dialup-${which}`),
    /** the accessible name of the focused control */
    focusedName: (): Promise<string> =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return 'BODY';
        return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
      }),
    /** 設定 → 通報先リストの設定 → the method → [修正...] → ID 設定 → [宛先設定...] */
    async openDialup(method = 'エクスプレス通報サービス', title = TITLE): Promise<DialupWindows> {
      await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
      await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
      const list = dialog('通報先リストの設定');
      await list.getByRole('option', { name: new RegExp(`^${method} `) }).click();
      await list.getByRole('button', { name: '修正...' }).click();
      const id = dialog('ID 設定');
      await id.getByRole('button', { name: '宛先設定...' }).click();
      const win = dialog(title);
      await win.waitFor();
      return { list, id, win };
    },
    /** OK (or キャンセル) on the dial-up window, then OK on ID 設定 and on the list. */
    async closeDialup({ list, id, win }: DialupWindows, button: 'OK' | 'キャンセル' = 'OK'): Promise<void> {
      await win.getByRole('button', { name: button, exact: true }).click();
      await win.waitFor({ state: 'detached' });
      await id.getByRole('button', { name: 'OK', exact: true }).click();
      await id.waitFor({ state: 'detached' });
      await list.getByRole('button', { name: 'OK', exact: true }).click();
      await list.waitFor({ state: 'detached' });
    },
  };
}
