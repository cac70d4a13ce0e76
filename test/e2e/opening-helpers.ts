/**
 * Shared steps of the opening (開局) wizard tests: a backend with a chosen host name and DMI
 * folder, key files from the center simulator, the wizard's windows and screenshots.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach } from 'vitest';
import type { Result } from '../../src-shared/api';
import { issueKeyFile, type IssuedKeyFile, type IssueKeyFileOptions } from '../center/issue-key-file';
import { apiCall, ROOT, startBackend, type Backend } from './harness';

export const UTILITY = 'エクスプレス通報サービス設定ユーティリティ';
export const UTILITY_HTTPS = 'エクスプレス通報サービス(HTTPS)設定ユーティリティ';
export const KEY_FILE_RADIO = 'はい、持っています(E)。';
export const KEY_CODE_RADIO = 'いいえ、持っていません。通報開局キーコードを入力します(I)。';

/** A DMI folder as /sys/class/dmi/id would be on an Express5800, or an empty one (no DMI). */
export function dmiFolder(root: string, identity: { productName: string; serial: string } | null): string {
  const dir = path.join(root, identity ? 'dmi' : 'no-dmi');
  mkdirSync(dir, { recursive: true });
  if (identity) {
    writeFileSync(path.join(dir, 'product_name'), `${identity.productName}\n`);
    writeFileSync(path.join(dir, 'product_serial'), `${identity.serial}\n`);
  }
  return dir;
}

/** `serve` that sees `hostName` as the OS host name and reads DMI from `dmiDir`. */
export function startOpeningBackend(dataDir: string, hostName: string, dmiDir: string): Promise<Backend> {
  return startBackend(dataDir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: hostName, EXPRESS_REPORT_DMI_DIR: dmiDir });
}

/** A key file from the center simulator, in a temp folder of its own. */
export async function makeKeyFile(centerDir: string, name: string, options: Omit<IssueKeyFileOptions, 'out' | 'dataDir'> = {}): Promise<IssuedKeyFile> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-keyfile-'));
  return issueKeyFile({ out: path.join(dir, name), dataDir: centerDir, ...options });
}

export async function getOpening(backend: Backend): Promise<Result<'opening:get'>> {
  const outcome = await apiCall(backend, 'opening:get', {});
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result;
}

/** ツール → エクスプレス通報サービス → サーバー. */
export async function openServerMenu(page: Page): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: 'ツール(T)' }).click();
  await page.getByRole('menuitem', { name: 'エクスプレス通報サービス(E)' }).click();
  await page.getByRole('menuitem', { name: 'サーバー(S)' }).click();
}

export const dialog = (page: Page, name: string): Locator => page.getByRole('dialog', { name, exact: true });
export const alertDialog = (page: Page, name: string): Locator => page.getByRole('alertdialog', { name, exact: true });

/** The settings utility's field by its path (`device.serverName`). */
export const field = (scope: Locator, fieldPath: string): Locator => scope.locator(`[data-field="${fieldPath}"]`);

/** The message Fluent shows under a field (its validation message), for the field's row. */
export function fieldMessage(scope: Locator, fieldPath: string): Locator {
  return scope.locator('.fui-Field', { has: scope.page().locator(`[data-field="${fieldPath}"]`) }).locator('.fui-Field__validationMessage');
}

/** Whether a control is marked required (Fluent's Field sets `required` on it; its label gets the asterisk). */
export function isRequired(control: Locator): Promise<boolean> {
  return control.evaluate((el) => (el as HTMLInputElement).required || el.getAttribute('aria-required') === 'true');
}

/** The page heading of the settings utility. */
export const pageTitle = (utility: Locator): Locator => utility.locator('.utility-page-title');

/** Whether the focused element is the field of this path. */
export function focusedField(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-field') ?? null);
}

/** A screenshot of the window at 1024×768 to docs/screenshots/opening-NAME.png. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // the dialogs fade in: let the animation end first
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(dir, `opening-${name}.png`) });
}

export const SCREEN = { width: 1024, height: 768 };

/**
 * After a failed test: a screenshot in the OS temp dir and the window's accessibility tree on the
 * console, to see where a wizard stood.
 */
export function explainFailures(getPage: () => Page | undefined): void {
  afterEach(async (ctx) => {
    const page = getPage();
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const file = path.join(os.tmpdir(), `er-e2e-failure-${ctx.task.name.replace(/[^\w-]+/g, '_').slice(0, 60)}.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    console.log(`screenshot: ${file}\n${await page.locator('body').ariaSnapshot().catch(() => '')}`);
  });
}
