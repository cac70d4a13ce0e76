/**
 * The service's life in the window (S1, seed L1446–1455, L2757–2766), end to end: real Chromium
 * against `serve`, opened with a key file from the center simulator whose contract ends in 20
 * days. The status bar warns of the end; [サービスの終了] asks first, then ends the service and the
 * lower left says so; 通報テスト is then refused and nothing reaches the center;
 * [サービス有効期限の変更] refuses an empty, malformed or wrong 期限延長キー under the field and
 * takes one from `express-center issue-extension-key`, after which the service runs (and reports)
 * again. Screenshots to docs/screenshots/service-*.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src-shared/history';
import type { IssuedKeyFile } from '../center/issue-key-file';
import { CENTER_BIN, startCenter, type Center } from '../helpers/center';
import {
  apiCall,
  enableHttpsTo,
  launchBrowser,
  makeDataDir,
  openWindow,
  ROOT,
  startBackend,
  stopAllBackends,
  type Backend,
  type OpenWindow,
} from './harness';
import { alertDialog as alertDialogIn, dialog as dialogIn, explainFailures, fieldMessage, makeKeyFile } from './opening-helpers';

const METHOD = 'エクスプレス通報サービス(HTTPS)';
const SCREEN = { width: 1024, height: 768 };

let browser: Browser;
let backend: Backend;
let center: Center;
let win: OpenWindow;
let page: Page;
let keyFile: IssuedKeyFile;
const data = makeDataDir();
const centerDir = path.join(data.dir, 'center');

/** The local day `days` from today, YYYY-MM-DD. */
function inDays(days: number): string {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

beforeAll(async () => {
  keyFile = await makeKeyFile(centerDir, 'server001.key', { serverName: 'SERVER001', expires: inDays(20) });
  [center, backend] = await Promise.all([
    startCenter({ dataDir: centerDir }),
    startBackend(path.join(data.dir, 'service'), 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' }),
  ]);
  const read = await apiCall(backend, 'opening:readKeyFile', { file: { path: keyFile.file } });
  if (!read.ok) throw new Error(read.error.message);
  const { customer, device, options, dealer } = read.result.keyFile;
  const opened = await apiCall(backend, 'opening:commit', { source: { mode: 'key-file', file: { path: keyFile.file } }, customer, device, options, dealer });
  if (!opened.ok) throw new Error(opened.error.message);
  await enableHttpsTo(backend, center);
  browser = await launchBrowser();
  win = await openWindow(browser, backend, SCREEN);
  page = win.page;
});

explainFailures(() => page);

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await center?.stop();
  data.remove();
});

const dialog = (name: string): Locator => dialogIn(page, name);
const alertDialog = (name: string): Locator => alertDialogIn(page, name);
const statusBar = (): Locator => page.getByRole('contentinfo', { name: 'ステータス バー' });
const serviceNotice = (): Locator => statusBar().locator('[data-service-state]');
const basic = (): Locator => dialog('通報基本設定');
const https = (): Locator => dialog(`${METHOD}の基本設定`);
const extendDialog = (): Locator => dialog('サービス有効期限の変更');
const terminateButton = (): Locator => https().getByRole('button', { name: 'サービスの終了(E)' });
const extendButton = (): Locator => https().getByRole('button', { name: 'サービス有効期限の変更(X)' });

async function status(): Promise<ServiceStatus> {
  const out = await apiCall(backend, 'service:status', {});
  if (!out.ok) throw new Error(out.error.message);
  return out.result;
}

async function shot(name: string): Promise<void> {
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** 設定 → 通報基本設定 → エクスプレス通報サービス(HTTPS)の[設定...]. */
async function openSetup(): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
  await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
  await basic().getByRole('button', { name: `${METHOD}の設定...` }).click();
  await https().waitFor();
}

async function closeSetup(): Promise<void> {
  await https().getByRole('button', { name: 'キャンセル', exact: true }).click();
  await https().waitFor({ state: 'detached' });
  await basic().getByRole('button', { name: 'OK', exact: true }).click();
  await basic().waitFor({ state: 'detached' });
}

/** Right-click システム → atapi → 0xc0040006 → 通報テスト; returns the box that answers. */
async function reportTest(): Promise<Locator> {
  const tree = page.getByRole('tree', { name: 'イベントログ' });
  const atapi = tree.getByRole('treeitem', { name: 'atapi' });
  const node = tree.getByRole('treeitem', { name: '0xc0040006 (6)' });
  if (!(await node.isVisible())) await atapi.click();
  await node.click({ button: 'right' });
  await page.getByRole('menu', { name: 'イベント ID のメニュー' }).getByRole('menuitem', { name: '通報テスト(T)' }).click();
  const box = alertDialog('通報テスト');
  await box.waitFor();
  return box;
}

/** `express-center issue-extension-key`: the key on its first line. */
function issueExtensionKey(expires: string): string {
  const r = spawnSync(process.execPath, [CENTER_BIN, 'issue-extension-key', '--data-dir', centerDir, '--user-system-code', keyFile.userSystemCode, '--expires', expires], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`issue-extension-key exited with ${r.status}: ${r.stderr}`);
  const m = /^key: (\S+)$/.exec(r.stdout.split('\n')[0] ?? '');
  if (!m) throw new Error(`no key line in ${r.stdout}`);
  return m[1]!;
}

describe('the service’s life: end, refusal, extension', () => {
  it('while it runs within 30 days of its end, the status bar warns; only [サービスの終了] is offered', async () => {
    const running = await status();
    expect(running).toMatchObject({ state: 'running', expiresAt: inDays(20), daysLeft: 20, expiryWarning: true });
    await expect.poll(() => serviceNotice().getAttribute('data-service-state')).toBe('running');
    expect(await serviceNotice().textContent()).toBe(running.message);
    expect(running.message).toContain('あと 20 日');

    await openSetup();
    await expect.poll(() => terminateButton().isEnabled()).toBe(true);
    expect(await extendButton().isDisabled()).toBe(true);
    expect(await https().textContent()).toContain(`サービスの状態: ${running.message}`);
  });

  it('[サービスの終了] asks first: いいえ changes nothing; はい ends it and the lower left says so', async () => {
    await terminateButton().click();
    const question = alertDialog(METHOD);
    await question.waitFor();
    const text = (await question.textContent()) ?? '';
    expect(text).toContain(`${METHOD}を終了します。`);
    expect(text).toContain('サービスの終了以降、アラートは通知されなくなります。');
    expect(text).toContain('期限延長キー');
    await question.getByRole('button', { name: 'いいえ(N)' }).click();
    await question.waitFor({ state: 'detached' });
    expect((await status()).state).toBe('running');

    await terminateButton().click();
    await alertDialog(METHOD).getByRole('button', { name: 'はい(Y)' }).click();
    await expect.poll(async () => (await status()).state).toBe('terminated');
    const ended = await status();
    expect(ended.terminatedAt).not.toBeNull();
    await expect.poll(() => extendButton().isEnabled()).toBe(true);
    expect(await terminateButton().isDisabled()).toBe(true);
    expect(await https().textContent()).toContain(ended.message);
    await shot('service-ended-setup');
    await closeSetup();

    await expect.poll(() => serviceNotice().getAttribute('data-service-state')).toBe('terminated');
    expect(await serviceNotice().textContent()).toBe(ended.message);
    expect(ended.message).toContain('終了しています');
    // the message sits at the lower left of the window
    const box = await serviceNotice().boundingBox();
    expect(box!.x).toBeLessThan(40);
    expect(box!.y).toBeGreaterThan(SCREEN.height - 40);
    await page.mouse.move(900, 650);
    await shot('service-ended');
  });

  it('通報テスト after the end is refused with the reason, and nothing reaches the center', async () => {
    const before = center.reports().length;
    const historyBefore = await apiCall(backend, 'history:list', {});
    const box = await reportTest();
    const text = (await box.textContent()) ?? '';
    expect(text).toContain('通報テストを実行できませんでした。');
    await box.getByRole('button', { name: 'OK' }).click();
    await box.waitFor({ state: 'detached' });
    // a refusal does not open the history
    expect(await dialog('通報履歴').count()).toBe(0);
    await page.waitForTimeout(1000);
    expect(center.reports().length).toBe(before);
    const historyAfter = await apiCall(backend, 'history:list', {});
    expect(historyAfter.ok && historyBefore.ok && historyAfter.result.length).toBe(historyBefore.ok && historyBefore.result.length);
  });

  it('[サービス有効期限の変更] refuses an empty, a malformed and a wrong key under the field; the dialog stays open', async () => {
    await openSetup();
    await extendButton().click();
    await extendDialog().waitFor();
    expect(await extendDialog().textContent()).toContain('期限延長キーは契約更新すると入手できます。');
    const input = extendDialog().getByRole('textbox', { name: '期限延長キー(K)' });
    // the field has the focus
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('key');

    await extendDialog().getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => fieldMessage(extendDialog(), 'key').textContent()).toBe('期限延長キーを入力してください。');

    await input.fill('ABCDE-12345');
    await page.keyboard.press('Enter');
    await expect.poll(() => fieldMessage(extendDialog(), 'key').textContent()).toContain('30 文字');

    // a real key with one character changed fails its check
    const real = issueExtensionKey(inDays(400));
    const last = real.at(-1)!;
    const wrong = real.slice(0, -1) + (last === '0' ? '1' : '0');
    await input.fill(wrong);
    await extendDialog().getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => fieldMessage(extendDialog(), 'key').textContent()).not.toContain('30 文字');
    const reason = (await fieldMessage(extendDialog(), 'key').textContent()) ?? '';
    expect(reason.length).toBeGreaterThan(0);
    await shot('service-extend-refused');
    expect((await status()).state).toBe('terminated');
    expect(await extendDialog().isVisible()).toBe(true);

    // the right key: the dialog closes and the service runs again
    await input.fill(real);
    await extendDialog().getByRole('button', { name: 'OK' }).click();
    await extendDialog().waitFor({ state: 'detached' });
    const running = await status();
    expect(running).toMatchObject({ state: 'running', expiresAt: inDays(400), expiryWarning: false, terminatedAt: null });
    await expect.poll(() => https().textContent()).toContain(running.message);
    expect(await terminateButton().isEnabled()).toBe(true);
    expect(await extendButton().isDisabled()).toBe(true);
    await closeSetup();
    // far from its end: nothing about the service at the lower left
    await expect.poll(() => serviceNotice().count()).toBe(0);
  }, 45_000);

  it('once extended, 通報テスト is accepted and delivered again', async () => {
    const before = center.reports().length;
    const box = await reportTest();
    expect(await box.textContent()).toContain('疑似障害通報を受け付けました。');
    await box.getByRole('button', { name: 'OK' }).click();
    const history = dialog('通報履歴');
    await history.waitFor();
    await expect.poll(() => history.locator('[role="row"][aria-selected="true"] [data-column="state"]').textContent(), { timeout: 20_000 }).toBe('送信済み');
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['alert']);
    await history.getByRole('button', { name: '閉じる', exact: true }).click();
    await history.waitFor({ state: 'detached' });
  }, 45_000);

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
