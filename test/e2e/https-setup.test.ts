/**
 * Express Report (HTTPS) set up in the window, end to end: real Chromium against `serve`, the
 * center simulator over real TLS, and a real tinyproxy with Basic authentication. Opening by key
 * code (through the API) → 基本設定 with the proxy → 宛先設定 (URL, CA file) → test report →
 * [開局通報] with a syntax-error list → configuration progress → enabled; then キャンセル during
 * the configuration report, the secondary offered when the primary fails, a wrong proxy password
 * (the proxy-authentication message), the マネージャ経由 window and the English window.
 * Screenshots to docs/screenshots/https-*.png.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type Center } from '../helpers/center';
import { startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy';
import {
  apiCall,
  launchBrowser,
  makeDataDir,
  openWindow,
  ROOT,
  setSetting,
  startBackend,
  stopAllBackends,
  type Backend,
  type OpenWindow,
} from './harness';
import { httpsDialogs, storedHttps, type HttpsDialogs } from './https-dialogs';

const METHOD = 'エクスプレス通報サービス(HTTPS)';
const RESULT_MAIL = 'result@example.co.jp';
const PROXY_USER = 'alice';
const PROXY_PASSWORD = 'pr0xy-secret';
const SCREEN = { width: 1024, height: 768 };

let browser: Browser;
let backend: Backend;
let center: Center;
let proxy: Tinyproxy;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();

beforeAll(async () => {
  [center, proxy, backend] = await Promise.all([
    startCenter(),
    startTinyproxy({ user: PROXY_USER, password: PROXY_PASSWORD }),
    startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' }),
  ]);
  browser = await launchBrowser();
  win = await openWindow(browser, backend, SCREEN);
  page = win.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    mkdirSync('/tmp/https-e2e', { recursive: true });
    await page.screenshot({ path: `/tmp/https-e2e/fail-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}.png` });
    console.log(
      await page.evaluate(() =>
        [...document.querySelectorAll('[role=dialog],[role=alertdialog]')].map((e) => ({
          title: e.querySelector('h2')?.textContent,
          hidden: e.closest('[aria-hidden=true]') !== null,
          inert: (e as HTMLElement).closest('[inert]') !== null,
        })),
      ),
    );
    console.log(await page.locator('body').ariaSnapshot());
  }
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await proxy?.stop();
  await center?.stop();
  data.remove();
});

const ui = (): HttpsDialogs => httpsDialogs(page);
const dialog = (name: string): Locator => ui().dialog(name);
const box = (): Locator => ui().box();
const fieldMessage = (scope: Locator, key: string): Locator => ui().fieldMessage(scope, key);
const openBasicSettings = () => ui().openBasicSettings();
const openDestinations = () => ui().openDestinations();
const settings = () => storedHttps(backend);

/** A screenshot of the window at 1024×768 to docs/screenshots/https-NAME.png, after the dialogs' fade-in. */
async function shot(name: string): Promise<void> {
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(dir, `https-${name}.png`) });
}




/** キャンセル on 宛先設定 (unless it has closed itself), OK on ID 設定 and on the list. */
async function closeDestinations({ list, id, dest }: { list: Locator; id: Locator; dest: Locator }, destOpen = true): Promise<void> {
  if (destOpen) {
    // while a message box fades out the dialogs under it are still hidden from the accessibility tree
    await dest.waitFor();
    await dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
  }
  await id.getByRole('button', { name: 'OK', exact: true }).click();
  await id.waitFor({ state: 'detached' });
  await list.getByRole('button', { name: 'OK', exact: true }).click();
  await list.waitFor({ state: 'detached' });
}

/** [テスト通報(1次)] → テスト結果送付先の選択 (the default mail) → はい → the result box's text. */
async function runTest(dest: Locator): Promise<string> {
  await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
  const select = dialog('テスト結果送付先の選択');
  await select.getByRole('button', { name: 'OK' }).click();
  await box().getByRole('button', { name: 'はい(Y)' }).click();
  const result = box().filter({ hasText: 'テスト通報に' });
  await result.waitFor({ timeout: 20_000 });
  return (await result.textContent()) ?? '';
}

describe('Express Report (HTTPS) set-up in the window', () => {
  it('opens by key code (for HTTPS, with the result mail) through the API', async () => {
    const out = await apiCall(backend, 'opening:commit', {
      source: { mode: 'key-code', keyCode: '01239', resultMail: RESULT_MAIL, forHttps: true },
      device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
    });
    expect(out.ok).toBe(true);
    await expect.poll(() => page.getByRole('contentinfo', { name: 'ステータス バー' }).textContent()).toContain('OPFILELESS');
  });

  it('基本設定: HTTPS is chosen, suppression stays at its defaults, [設定] opens the proxy settings', async () => {
    const { basic, https } = await openBasicSettings();
    expect(await https.getByRole('radio', { name: 'HTTPS(H)' }).isChecked()).toBe(true);
    expect(await https.getByRole('radio', { name: 'マネージャ経由(M)' }).isChecked()).toBe(false);
    const text = await https.textContent();
    expect(text).toContain('通報の抑制');
    expect(text).toContain('既定値を変更しないでください');
    expect(text).toContain('OPFILELESS');
    await https.getByRole('button', { name: '開局情報の入力(I)' }).waitFor();
    expect(text).toContain('プロキシ: 使用しない');
    await shot('basic');

    // マネージャ経由 has no proxy: [設定] is off while it is chosen
    await https.getByRole('radio', { name: 'マネージャ経由(M)' }).check();
    expect(await https.getByRole('button', { name: '設定(S)...' }).isDisabled()).toBe(true);
    await page.keyboard.press('Alt+h');
    await expect.poll(() => https.getByRole('radio', { name: 'HTTPS(H)' }).isChecked()).toBe(true);

    await https.getByRole('button', { name: '設定(S)...' }).click();
    const proxyDialog = dialog('プロキシの設定');
    await proxyDialog.waitFor();
    const proxyText = await proxyDialog.textContent();
    expect(proxyText).toContain('BASIC 認証方式に対応しています');
    expect(proxyText).toContain('自動構成スクリプト、プロキシの自動検出には対応していません');
    expect(proxyText).toContain('FQDN');
    const host = proxyDialog.getByRole('textbox', { name: 'アドレス(A)' });
    expect(await host.isDisabled()).toBe(true);
    await proxyDialog.getByRole('checkbox', { name: '指定したプロキシサーバを使用する(U)' }).check();
    await host.fill('127.0.0.1');
    await proxyDialog.getByRole('textbox', { name: 'ポート(P)' }).fill('70000');
    await proxyDialog.getByRole('textbox', { name: 'ユーザー名(N)' }).fill(PROXY_USER);
    const password = proxyDialog.getByLabel('パスワード(W)');
    expect(await password.getAttribute('type')).toBe('password');
    await password.fill(PROXY_PASSWORD);
    await proxyDialog.getByRole('button', { name: 'OK' }).click();
    await expect
      .poll(() => fieldMessage(proxyDialog, 'methods.express-https.proxy.port').textContent())
      .toBe('ポートには 1 から 65535 までの整数を入力してください。');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('methods.express-https.proxy.port');
    // nothing is stored while a field is refused
    expect((await settings()).proxy.enabled).toBe(false);
    await proxyDialog.getByRole('textbox', { name: 'ポート(P)' }).fill(String(proxy.port));
    // the message goes when the field is edited
    await expect.poll(() => fieldMessage(proxyDialog, 'methods.express-https.proxy.port').count()).toBe(0);
    await shot('proxy');
    await proxyDialog.getByRole('button', { name: 'OK' }).click();
    await proxyDialog.waitFor({ state: 'detached' });
    await expect.poll(() => https.textContent()).toContain(`プロキシ: 127.0.0.1:${proxy.port}(ユーザー ${PROXY_USER})`);
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });

    const stored = await settings();
    expect(stored.route).toBe('https');
    expect(stored.proxy).toEqual({ enabled: true, host: '127.0.0.1', port: proxy.port, user: PROXY_USER, password: '********' });
  });

  it('宛先設定: shows the WebReprt path; a CA file refused by the backend is shown under its field; [開局通報] waits for a test', async () => {
    const start = await settings();
    const parts = await openDestinations();
    const { dest } = parts;
    expect(await dest.getByTestId('address-file').textContent()).toContain(path.join(data.dir, 'WebReprt', 'AMHTPADR.INF'));
    expect(await dest.textContent()).toContain('宛先定義ファイルの読み込みはおこなわないでください');
    expect(await dest.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(true);
    // the remote-access fields are for Windows dial-up, off until asked for
    expect(await dest.getByRole('textbox', { name: '接続名(N)' }).isDisabled()).toBe(true);

    await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).fill('http://127.0.0.1/plain');
    await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
    await expect.poll(() => fieldMessage(dest, 'methods.express-https.url1').textContent()).toBe('URL は https:// で始めてください。');

    await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).fill(center.url);
    await dest.getByRole('textbox', { name: 'CA ファイル(C)' }).fill(path.join(data.dir, 'no-such-ca.pem'));
    await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
    await expect.poll(() => fieldMessage(dest, 'methods.express-https.caFile').textContent()).toContain('ファイルが存在しません');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('methods.express-https.caFile');
    expect(await dialog('テスト結果送付先の選択').count()).toBe(0);
    // a refused test stores nothing (only OK stores)
    expect(await settings()).toEqual(start);

    await dest.getByRole('textbox', { name: 'CA ファイル(C)' }).fill(center.ca);
    await expect.poll(() => fieldMessage(dest, 'methods.express-https.caFile').count()).toBe(0);
    await shot('destination');
  });

  it('[宛先の読み込み] reads AMHTPADR.INF from the WebReprt folder into the fields (OK stores them); a bad file is refused with its line', async () => {
    const start = await settings();
    const dest = dialog(`${METHOD}の宛先設定`);
    const adr = path.join(data.dir, 'WebReprt', 'AMHTPADR.INF');
    writeFileSync(adr, '[URL1]\r\nURL=http://127.0.0.1/plain\r\n');
    await dest.getByRole('button', { name: '宛先の読み込み(L)' }).click();
    const refused = box().filter({ hasText: '宛先を読み込めませんでした。' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/AMHTPADR\.INF:2: /);
    await refused.getByRole('button', { name: 'OK' }).click();
    await refused.waitFor({ state: 'detached' });
    expect(await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).inputValue()).toBe(center.url);

    // the seed's own example has a space after '='
    writeFileSync(adr, `[URL1]\r\nURL= ${center.url}\r\n[URL2]\r\nURL=${center.url}\r\n`);
    await dest.getByRole('button', { name: '宛先の読み込み(L)' }).click();
    const loaded = box().filter({ hasText: '宛先を読み込みました。' });
    await loaded.waitFor();
    expect(await loaded.textContent()).toContain(`1 次: ${center.url}`);
    await loaded.getByRole('button', { name: 'OK' }).click();
    await loaded.waitFor({ state: 'detached' });
    expect(await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).inputValue()).toBe(center.url);
    expect(await dest.getByRole('textbox', { name: '2 次通報先 URL(2)' }).inputValue()).toBe(center.url);
    expect(await settings()).toEqual(start);
  });

  it('[テスト通報]: テスト結果送付先 (the result mail by default, [既定値]) → いいえ returns → はい → success', async () => {
    const dest = dialog(`${METHOD}の宛先設定`);
    const before = center.reports().length;
    await dest.getByRole('button', { name: 'テスト通報(1次)(T)' }).click();
    const select = dialog('テスト結果送付先の選択');
    await select.waitFor();
    expect(await select.getByRole('radio', { name: '電子メール(M)' }).isChecked()).toBe(true);
    const address = select.getByRole('textbox', { name: 'メールアドレス' });
    expect(await address.inputValue()).toBe(RESULT_MAIL);
    // the hint says where the default comes from: here the opening's result mail
    expect(await select.textContent()).toContain('既定値は開局情報のテスト・開局結果返信メールアドレスです');
    await address.fill('not-an-address');
    await select.getByRole('button', { name: 'OK' }).click();
    await select.getByRole('alert').filter({ hasText: 'メールアドレスを正しく入力してください' }).waitFor();
    await select.getByRole('button', { name: '既定値(D)' }).click();
    expect(await address.inputValue()).toBe(RESULT_MAIL);
    // ファクシミリ takes a number instead
    await page.keyboard.press('Alt+f');
    await expect.poll(() => select.getByRole('radio', { name: 'ファクシミリ(F)' }).isChecked()).toBe(true);
    expect(await address.isDisabled()).toBe(true);
    await select.getByRole('radio', { name: '電子メール(M)' }).check();
    await shot('test-result');
    await select.getByRole('button', { name: 'OK' }).click();

    const confirm = box();
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('テスト通報結果は、電子メールにて以下の宛先に送付されます。よろしいですか?');
    expect(await confirm.textContent()).toContain(RESULT_MAIL);
    await shot('test-confirm');
    await confirm.getByRole('button', { name: 'いいえ(N)' }).click();
    await confirm.waitFor({ state: 'detached' });
    await select.waitFor();
    expect(await address.inputValue()).toBe(RESULT_MAIL);
    await select.getByRole('button', { name: 'OK' }).click();
    // Y answers the question, as in Windows
    await box().getByRole('button', { name: 'はい(Y)' }).waitFor();
    await page.keyboard.press('y');

    const result = box().filter({ hasText: 'テスト通報に成功しました。' });
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toContain(`${center.url} への通報が完了しました。`);
    await shot('test-ok');
    await result.getByRole('button', { name: 'OK' }).click();
    await result.waitFor({ state: 'detached' });

    const arrived = center.reports().slice(before);
    expect(arrived.map((r) => r.kind)).toEqual(['test']);
    expect(arrived[0]!.resultDestination).toEqual({ kind: 'mail', address: RESULT_MAIL });
    // through the proxy, with its Basic authentication
    expect(proxy.log()).toMatch(new RegExp(`CONNECT 127\\.0\\.0\\.1:${center.port}`));
    // the test used the window's values; nothing is stored until OK
    const stored = await settings();
    expect(stored.caFile).toBe('');
    expect(stored.testedAt).toBeNull();
    await expect.poll(() => dest.getByRole('button', { name: '開局通報(O)' }).isEnabled()).toBe(true);
    await expect.poll(() => dest.getByTestId('tested-state').textContent()).toContain('に成功');
  });

  it('[開局通報]: syntax errors listed → OK goes on → configuration progress → success', async () => {
    const dest = dialog(`${METHOD}の宛先設定`);
    // a broken AMHTPLOG.INF, and an AMHTPHBI.INF whose tool takes a few seconds (to see the progress)
    const webReprt = path.join(data.dir, 'WebReprt');
    writeFileSync(
      path.join(webReprt, 'AMHTPLOG.INF'),
      ['[Configuration]', 'TimeOut=ten minutes', 'MaxSize=0', '', '[DefaultTools]', 'Command=', 'LogFile=', 'Directory=', ''].join('\r\n'),
    );
    const tools = path.join(data.dir, 'tools');
    mkdirSync(path.join(tools, 'logs'), { recursive: true });
    writeFileSync(path.join(tools, 'logs', 'hardware.txt'), 'CPU: 2\nMemory: 24 GiB\n');
    const tool = path.join(tools, 'slow-config-tool.sh');
    writeFileSync(tool, '#!/bin/sh\nsleep 3\n');
    chmodSync(tool, 0o755);
    writeFileSync(
      path.join(webReprt, 'AMHTPHBI.INF'),
      ['[Configuration]', 'TimeOut=60', 'MaxSize=0', '', '[Tools]', `Command=${tool}`, `LogFile=${path.join(tools, 'logs')}`, 'Directory=', '', '[Schedule]', 'ScheduleType=every month', 'ScheduleDay=1', 'ScheduleTime=03:00', ''].join('\r\n'),
    );
    const before = center.reports().length;

    await dest.getByRole('button', { name: '開局通報(O)' }).click();
    const syntax = box().filter({ hasText: '構文エラーがあります' });
    await syntax.waitFor({ timeout: 15_000 });
    const row = syntax.getByRole('row').filter({ hasText: 'AMHTPLOG.INF' });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('2');
    expect(await row.getByRole('cell').nth(2).textContent()).toContain('TimeOut');
    await shot('syntax');
    // nothing is sent while the errors are on screen
    expect(center.reports().length).toBe(before);
    await syntax.getByRole('button', { name: 'OK' }).click();

    const progress = box().filter({ hasText: '構成情報を送信しています。数分かかることがあります。' });
    await progress.waitFor({ timeout: 15_000 });
    const bar = progress.getByRole('progressbar');
    await bar.waitFor();
    expect(await progress.textContent()).toContain('構成情報採取ツールを実行しています');
    await progress.getByRole('button', { name: 'キャンセル' }).waitFor();
    await shot('progress');

    const done = box().filter({ hasText: '開局通報に成功しました。' });
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toContain('構成情報の通報に成功しました。');
    await shot('opening-ok');
    await done.getByRole('button', { name: 'OK' }).click();
    await done.waitFor({ state: 'detached' });

    const arrived = center.reports().slice(before);
    expect(arrived.map((r) => r.kind)).toEqual(['opening', 'heartbeat']);
    expect(arrived[1]!.attachments[0]).toMatchObject({ name: 'config.zip' });
    expect((await settings()).openingReportedAt).not.toBeNull();
  }, 60_000);

  it('OK on 宛先設定 asks whether to enable the method; はい enables it (green in 通報基本設定)', async () => {
    const dest = dialog(`${METHOD}の宛先設定`);
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    const question = box().filter({ hasText: '通報手段を有効にしますか?' });
    await question.waitFor();
    await shot('enable');
    await question.getByRole('button', { name: 'はい(Y)' }).click();
    await dest.waitFor({ state: 'detached' });
    // OK stored the tested values, and they count as tested
    const stored = await settings();
    expect(stored).toMatchObject({ url1: center.url, url2: center.url, caFile: center.ca });
    expect(stored.testedAt).not.toBeNull();
    await closeDestinations({ list: dialog('通報先リストの設定'), id: dialog('ID 設定'), dest }, false);

    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報基本設定(B)...' }).click();
    const basic = dialog('通報基本設定');
    const toggle = basic.getByRole('button', { name: `${METHOD}: 有効` });
    await toggle.waitFor();
    expect(await toggle.locator('svg.method-bitmap').getAttribute('data-enabled')).toBe('true');
    await shot('enabled');
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    expect((await settings()).enabled).toBe(true);
  });

  it('キャンセル during the configuration report stops it; the opening report itself stands', async () => {
    const parts = await openDestinations();
    const before = center.reports().length;
    await parts.dest.getByRole('button', { name: '開局通報(O)' }).click();
    await box().filter({ hasText: '構文エラーがあります' }).getByRole('button', { name: 'OK' }).click();
    const progress = box().filter({ hasText: '構成情報を送信しています。' });
    await progress.waitFor({ timeout: 15_000 });
    await progress.getByRole('button', { name: 'キャンセル' }).click();
    const done = box().filter({ hasText: '開局通報に成功しました。' });
    await done.waitFor({ timeout: 15_000 });
    const text = await done.textContent();
    expect(text).toContain('構成情報の通報はまだ完了していません。');
    expect(text).toContain('通報は取り消されました');
    await done.getByRole('button', { name: 'OK' }).click();
    await done.waitFor({ state: 'detached' });
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['opening']);
    await closeDestinations(parts);
  }, 45_000);

  it('when the primary refuses the opening report, the secondary is offered; はい sends it there', async () => {
    const parts = await openDestinations();
    const before = center.reports().length;
    await center.fault({ mode: 'status', status: 503, count: 1 });
    await parts.dest.getByRole('button', { name: '開局通報(O)' }).click();
    await box().filter({ hasText: '構文エラーがあります' }).getByRole('button', { name: 'OK' }).click();
    const failed = box().filter({ hasText: '開局通報に失敗しました。' });
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toContain('URL を確認してください');
    await failed.getByRole('button', { name: 'OK' }).click();
    const ask = box().filter({ hasText: '2 次通報先へ開局通報を実行しますか?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'はい(Y)' }).click();
    const done = box().filter({ hasText: '開局通報に成功しました。' });
    await done.waitFor({ timeout: 30_000 });
    await done.getByRole('button', { name: 'OK' }).click();
    await done.waitFor({ state: 'detached' });
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['opening', 'heartbeat']);
    await closeDestinations(parts);
  }, 60_000);

  it('a wrong proxy password gives the proxy-authentication message', async () => {
    const { basic, https } = await openBasicSettings();
    await https.getByRole('button', { name: '設定(S)...' }).click();
    const proxyDialog = dialog('プロキシの設定');
    const password = proxyDialog.getByLabel('パスワード(W)');
    // the stored password shows as ●●●●●●●● and is never sent back to the window
    expect(await password.inputValue()).toBe('********');
    await password.fill('wrong-password');
    await proxyDialog.getByRole('button', { name: 'OK' }).click();
    await proxyDialog.waitFor({ state: 'detached' });
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });

    const parts = await openDestinations();
    const before = center.reports().length;
    const text = await runTest(parts.dest);
    expect(text).toContain('テスト通報に失敗しました。');
    expect(text).toContain('プロキシのユーザー名とパスワード(BASIC 認証)を確認してください');
    await shot('proxy-auth-failed');
    await box().getByRole('button', { name: 'OK' }).click();
    await box().waitFor({ state: 'detached' });
    expect(center.reports().length).toBe(before);
    await closeDestinations(parts);
  }, 45_000);

  it('マネージャ経由: 宛先設定 becomes the manager window (address, port with 初期値); a test without the relay key names the manager settings', async () => {
    await setSetting(backend, 'methods.express-https.proxy.password', PROXY_PASSWORD);
    const { basic, https } = await openBasicSettings();
    await https.getByRole('radio', { name: 'マネージャ経由(M)' }).check();
    await https.getByRole('button', { name: 'OK', exact: true }).click();
    await https.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    expect((await settings()).route).toBe('manager');

    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
    const list = dialog('通報先リストの設定');
    await list.getByRole('option', { name: new RegExp(`^${METHOD.replace(/[()]/g, '\\$&')} `) }).click();
    await list.getByRole('button', { name: '修正...' }).click();
    const id = dialog('ID 設定');
    await id.getByRole('button', { name: '宛先設定...' }).click();
    const manager = dialog(`${METHOD}(マネージャ経由)の設定`);
    await manager.waitFor();
    const host = manager.getByRole('textbox', { name: 'IP アドレス(またはホスト名)(I)' });
    const port = manager.getByRole('textbox', { name: 'ポート番号(N)' });
    expect(await port.inputValue()).toBe('31138');
    await manager.getByRole('button', { name: 'OK', exact: true }).click();
    await expect
      .poll(() => fieldMessage(manager, 'methods.express-https.manager.host').textContent())
      .toBe('マネージャの IP アドレスまたはホスト名を入力してください。');
    await host.fill('manager.example.jp');
    await port.fill('1');
    await page.keyboard.press('Alt+d');
    expect(await port.inputValue()).toBe('31138');
    await shot('manager');
    await manager.getByRole('button', { name: 'テスト通報(T)' }).click();
    await dialog('テスト結果送付先の選択').getByRole('button', { name: 'OK' }).click();
    await box().getByRole('button', { name: 'はい(Y)' }).click();
    // The relay is in (issue 13): the test is tried and fails on the set-up (no relay key), naming what to check.
    const refused = box().filter({ hasText: 'マネージャ経由の設定' });
    await refused.waitFor();
    await refused.getByRole('button', { name: 'OK' }).click();
    await refused.waitFor({ state: 'detached' });
    // the test used the window's values and stored nothing; OK stores them
    expect((await settings()).manager.host).toBe('');
    await manager.getByRole('button', { name: 'OK', exact: true }).click();
    await manager.waitFor({ state: 'detached' });
    expect((await settings()).manager).toEqual({ host: 'manager.example.jp', port: 31138, key: '', fingerprint: '', caFile: '', heartbeatHours: 24 });
    await closeDestinations({ list, id, dest: manager }, false);
    await setSetting(backend, 'methods.express-https.route', 'https');
  }, 45_000);

  it('speaks English when the window is English', async () => {
    await setSetting(backend, 'ui.language', 'en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Destination List Setting...' }).click();
    const list = dialog('Destination List Setting');
    await list.getByRole('option', { name: /^Express Report Service \(HTTPS\) / }).click();
    await list.getByRole('button', { name: 'Modify...' }).click();
    const id = dialog('ID Setting');
    await id.getByRole('button', { name: 'Destination...' }).click();
    const dest = dialog('Express Report Service (HTTPS) Destination Setting');
    await dest.getByRole('textbox', { name: 'Primary URL (1)' }).waitFor();
    await dest.getByRole('button', { name: 'Test (primary)' }).waitFor();
    expect(await dest.textContent()).toContain('verification cannot be switched off');
    await shot('destination-en');
    await dest.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await id.getByRole('button', { name: 'OK', exact: true }).click();
    await list.getByRole('button', { name: 'OK', exact: true }).click();
    await list.waitFor({ state: 'detached' });
    await setSetting(backend, 'ui.language', 'ja');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ja');
  });

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
