/**
 * Express Report by e-mail set up in the window, end to end: real Chromium against `serve`.
 * A key-code opening (through the API) → エクスプレス通報サービスの基本設定 with S/MIME off and
 * saying why, the destination window without a preset; then a key-file opening the center
 * simulator issued (the real opening action) → インターネット メール経由 → the mail route's basic
 * settings and 認証設定 (POP before SMTP, SMTP AUTH, OAuth), saved with OK and shown again
 * (passwords masked, unchanged when saved again), → the destination window with the key file's
 * address preset and the encoding saved. Screenshots to docs/screenshots/mail-*.png.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSecretCodec } from '../../src-main/platform/secrets';
import { issueKeyFile } from '../center/issue-key-file';
import { apiCall, launchBrowser, makeDataDir, openWindow, startBackend, stopAllBackends, type Backend, type OpenWindow } from './harness';
import { seriousViolations } from './axe';
import { AUTH_TITLE, mailDialogs, storedExpress, type MailDialogs } from './mail-dialogs';

const CENTER_MAIL = 'express-center@center.example.jp';
const SMTP_PASSWORD = 'smtp-s3cret';
const POP_PASSWORD = 'p0p-s3cret';
const CLIENT_SECRET = 'oauth-cl1ent-secret';
const DEVICE = { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' };
const K = 'methods.express.mail';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();
const centerDir = makeDataDir();

beforeAll(async () => {
  backend = await startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' });
  browser = await launchBrowser();
  win = await openWindow(browser, backend, { width: 1024, height: 768 });
  page = win.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    await page.screenshot({ path: `/tmp/mail-e2e-fail-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}.png` });
    console.log(await page.locator('body').ariaSnapshot());
  }
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
  centerDir.remove();
});

const ui = (): MailDialogs => mailDialogs(page);

/** The stored secret in plain text, read as the service reads it (settings.json + secret.key). */
async function storedSecret(pathInMail: string): Promise<string | null> {
  const onDisk = JSON.parse(await fs.readFile(path.join(data.dir, 'settings.json'), 'utf8')) as { methods: { express: { mail: Record<string, unknown> } } };
  let node: unknown = onDisk.methods.express.mail;
  for (const part of pathInMail.split('.')) node = (node as Record<string, unknown>)[part];
  return (await loadSecretCodec(data.dir)).decrypt(String(node));
}

describe('Express Report by e-mail: the windows', () => {
  it('with a key-code opening: S/MIME is off, greyed out and says why; [設定] only for the chosen route', async () => {
    const out = await apiCall(backend, 'opening:commit', { source: { mode: 'key-code', keyCode: '01239', resultMail: '', forHttps: false }, device: DEVICE });
    expect(out.ok).toBe(true);
    const { list, basic } = await ui().openBasicSettings();
    const text = await basic.textContent();
    expect(text).toContain('通報手段を選択し、[設定]ボタンを押して通報基本設定を行ってください。');
    expect(text).toContain('既定値を変更しないでください');
    expect(text).toContain('OPFILELESS');
    // no route chosen yet: every [設定] is off
    for (const route of ['mail', 'dialup'] as const) expect(await ui().routeRow(basic, route).getByRole('button', { name: '設定(S)...' }).isDisabled()).toBe(true);
    const smime = basic.getByRole('checkbox', { name: 'S/MIME 有効(M)' });
    expect(await smime.isChecked()).toBe(false);
    expect(await smime.isDisabled()).toBe(true);
    expect(await basic.getByTestId('smime-why').textContent()).toContain('通報開局キーコードによる開局のため、S/MIME 暗号化は使えません');

    // ダイヤルアップ経由's [設定] opens the dial-up route's own window (registered by its channel)
    await basic.getByRole('radio', { name: 'ダイヤルアップ経由(D)' }).check();
    await ui().routeRow(basic, 'dialup').getByRole('button', { name: '設定(S)...' }).click();
    const dialup = ui().dialog('エクスプレス通報(ダイヤルアップ経由)の設定');
    await dialup.waitFor();
    await ui().close(dialup, 'キャンセル');
    expect(await ui().routeRow(basic, 'mail').getByRole('button', { name: '設定(S)...' }).isDisabled()).toBe(true);

    // Alt+I chooses インターネット メール経由 (the seed's letter); its [設定] becomes usable
    await page.keyboard.press('Alt+i');
    await expect.poll(() => basic.getByRole('radio', { name: 'インターネット メール経由(I)' }).isChecked()).toBe(true);
    expect(await ui().routeRow(basic, 'mail').getByRole('button', { name: '設定(S)...' }).isEnabled()).toBe(true);
    // the stored S/MIME (on by default) is not what a key-code opening can use: still off
    expect(await smime.isChecked()).toBe(false);
    await ui().shot('basic-key-code');
    // axe: no serious or critical violation in the window
    expect(await seriousViolations(page)).toEqual([]);

    // ヘルプ(H) explains the window; focus returns to it
    await basic.getByRole('button', { name: 'ヘルプ(H)' }).click();
    const help = page.getByRole('alertdialog', { name: 'ヘルプ - エクスプレス通報サービスの基本設定' });
    expect(await help.textContent()).toContain('25(SMTP');
    await help.getByRole('button', { name: 'OK' }).click();
    await help.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('ヘルプ(H)');

    await ui().close(basic);
    await ui().close(list);
    const stored = await storedExpress(backend);
    expect(stored.route).toBe('mail');
    // a greyed-out S/MIME is not written
    expect(stored.smime).toBe(true);
  });

  it('the destination window after a key-code opening: no preset, it says what to type', async () => {
    const parts = await ui().openDestinations();
    const { dest } = parts;
    expect(await dest.getByRole('textbox', { name: '宛先(A)' }).inputValue()).toBe('');
    expect(await dest.getByTestId('destination-hint').textContent()).toContain('保守サービス会社から指定された保守センターのメールアドレスを入力してください');
    expect(await dest.getByRole('radio', { name: 'uuencode(E)' }).isChecked()).toBe(true);
    expect(await dest.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(true);
    // [テスト通報] with no destination: said under the field, nothing sent
    await dest.getByRole('button', { name: 'テスト通報(T)' }).click();
    await expect.poll(() => ui().fieldMessage(dest, `${K}.destination`).textContent()).toBe('宛先のメールアドレスを入力してください。');
    await ui().shot('destination-key-code');
    // axe: no serious or critical violation in the window
    expect(await seriousViolations(page)).toEqual([]);
    await ui().close(dest, 'キャンセル');
    await ui().close(parts.id);
    await ui().close(parts.list);
  });

  it('a key-file opening (the real action) erases the earlier set-up: S/MIME is on and can be set', async () => {
    const issued = await issueKeyFile({ out: path.join(centerDir.dir, 'server.key'), dataDir: path.join(centerDir.dir, 'center'), mail: CENTER_MAIL });
    const read = await apiCall(backend, 'opening:readKeyFile', { file: { path: issued.file } });
    if (!read.ok) throw new Error(read.error.message);
    const { customer, device, options, dealer } = read.result.keyFile;
    const opened = await apiCall(backend, 'opening:commit', { source: { mode: 'key-file', file: { path: issued.file } }, customer, device, options, dealer });
    expect(opened.ok).toBe(true);
    expect((await storedExpress(backend)).route).toBeNull();

    const { list, basic } = await ui().openBasicSettings();
    await expect.poll(() => basic.textContent()).toContain(issued.userSystemCode);
    const smime = basic.getByRole('checkbox', { name: 'S/MIME 有効(M)' });
    // no route yet: S/MIME waits for the mail or dial-up route (L1655)
    expect(await smime.isDisabled()).toBe(true);
    expect(await basic.getByTestId('smime-why').textContent()).toContain('「インターネットメール経由」または「ダイヤルアップ経由」');
    await basic.getByRole('radio', { name: 'マネージャ経由(G)' }).check();
    expect(await smime.isDisabled()).toBe(true);
    await basic.getByRole('radio', { name: 'インターネット メール経由(I)' }).check();
    expect(await smime.isDisabled()).toBe(false);
    expect(await smime.isChecked()).toBe(true);
    expect(await basic.getByTestId('smime-why').count()).toBe(0);
    await ui().shot('basic');
    await ui().close(basic);
    await ui().close(list);
    const stored = await storedExpress(backend);
    expect(stored).toMatchObject({ route: 'mail', smime: true });
  });

  it('the mail route: SMTP, security, sender; [設定] waits for a check box; 認証設定 with POP, SMTP AUTH and OAuth; OK stores all in one go', async () => {
    const { list, basic } = await ui().openBasicSettings();
    const mail = await ui().openMailSettings(basic);
    const text = await mail.textContent();
    for (const example of ['smtp.foo.co.jp', '192.168.0.100', 'sousin@foo.co.jp']) expect(text).toContain(example);
    const port = mail.getByRole('textbox', { name: 'ポート番号(P)' });
    expect(await port.inputValue()).toBe('25');
    expect(await mail.getByRole('combobox', { name: '接続の保護(E)' }).inputValue()).toBe('starttls-if-offered');
    const authButton = mail.getByRole('button', { name: '設定(S)...' });
    expect(await authButton.isDisabled()).toBe(true);

    // the window's own checks, under the fields
    await mail.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => ui().fieldMessage(mail, `${K}.smtpHost`).textContent()).toBe('メールサーバー(SMTP)のホスト名または IP アドレスを入力してください。');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe(`${K}.smtpHost`);
    await mail.getByRole('textbox', { name: 'メールサーバー(SMTP)(M)' }).fill('smtp.example.co.jp');
    await mail.getByRole('textbox', { name: '送信者のメールアドレス(A)' }).fill('sousin@example.co.jp');

    // TLS from the start moves an untouched 25 to 465, and back
    await mail.getByRole('combobox', { name: '接続の保護(E)' }).selectOption({ label: '最初から TLS で接続する(通常ポート 465)' });
    expect(await port.inputValue()).toBe('465');
    expect(await mail.getByRole('checkbox', { name: '暗号化なしでの認証を許可する(U)' }).isDisabled()).toBe(true);
    await mail.getByRole('combobox', { name: '接続の保護(E)' }).selectOption({ label: 'STARTTLS を必須にする' });
    expect(await port.inputValue()).toBe('25');
    await port.fill('587');
    await ui().shot('settings');
    // axe: no serious or critical violation in the window
    expect(await seriousViolations(page)).toEqual([]);

    await mail.getByRole('checkbox', { name: 'このサーバは POP Before SMTP が必要(B)' }).check();
    expect(await authButton.isEnabled()).toBe(true);
    await mail.getByRole('checkbox', { name: 'このサーバは SMTP 認証が必要(R)' }).check();
    // checked but not set: OK says to use [設定]
    await mail.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => mail.getByRole('alert').first().textContent()).toContain('[設定]で指定してください');

    await authButton.click();
    const auth = ui().dialog(AUTH_TITLE);
    await auth.waitFor();
    expect(await auth.getByRole('textbox', { name: 'POP ポート番号(O)' }).inputValue()).toBe('110');
    expect(await auth.textContent()).toContain('問題がなければ特に変更の必要はありません');
    expect(await auth.textContent()).toContain('CRAM-MD5、LOGIN、PLAIN の順に認証を行います');
    for (const name of ['CRAM-MD5(R)', 'LOGIN(L)', 'PLAIN(N)']) expect(await auth.getByRole('checkbox', { name }).isChecked()).toBe(true);
    const xoauth2 = auth.getByRole('checkbox', { name: 'OAuth 2.0 (XOAUTH2)(X)' });
    expect(await xoauth2.isChecked()).toBe(false);
    expect(await auth.getByRole('textbox', { name: 'トークン エンドポイント(T)' }).count()).toBe(0);
    await auth.getByRole('textbox', { name: 'メールサーバー(POP)(M)' }).fill('pop.example.co.jp');
    await auth.getByRole('textbox', { name: 'アカウント名(A)' }).fill('popuser');
    const popPassword = auth.getByLabel('パスワード(P)');
    expect(await popPassword.getAttribute('type')).toBe('password');
    await popPassword.fill(POP_PASSWORD);
    await auth.getByRole('textbox', { name: '待ち時間(秒)(W)' }).fill('700');
    await auth.getByRole('textbox', { name: 'アカウント名(C)' }).fill('smtpuser');
    await auth.getByLabel('パスワード(D)').fill(SMTP_PASSWORD);
    await auth.getByRole('checkbox', { name: 'PLAIN(N)' }).uncheck();
    await xoauth2.check();
    await auth.getByRole('textbox', { name: 'トークン エンドポイント(T)' }).fill('http://login.example.com/token');
    await auth.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => ui().fieldMessage(auth, `${K}.pop.waitSeconds`).textContent()).toBe('待ち時間は 0 から 600 までの整数(秒)で入力してください。');
    expect(await ui().fieldMessage(auth, `${K}.smtp.oauth.tokenUrl`).textContent()).toBe('トークン エンドポイントは https:// で始まる URL で入力してください。');
    await auth.getByRole('textbox', { name: '待ち時間(秒)(W)' }).fill('5');
    await auth.getByRole('textbox', { name: 'トークン エンドポイント(T)' }).fill('https://login.example.com/token');
    await auth.getByRole('textbox', { name: 'クライアント ID(I)' }).fill('client-1');
    await auth.getByLabel('クライアント シークレット(S)').fill(CLIENT_SECRET);
    await auth.getByRole('textbox', { name: 'スコープ(E)' }).fill('https://outlook.office.com/SMTP.Send');
    await ui().shot('auth');
    // axe: no serious or critical violation in the window
    expect(await seriousViolations(page)).toEqual([]);
    await ui().close(auth);
    // the authentication window's OK stores nothing yet
    expect((await storedExpress(backend)).mail.pop.host).toBe('');
    await expect.poll(() => mail.textContent()).toContain('SMTP 認証: CRAM-MD5, LOGIN, XOAUTH2(アカウント smtpuser)');
    // set there: the "use [設定]" messages are gone
    expect(await mail.getByRole('alert').count()).toBe(0);
    expect(await mail.textContent()).toContain('POP: pop.example.co.jp:110(アカウント popuser)');
    await ui().shot('settings-auth');
    await ui().close(mail);

    const stored = (await storedExpress(backend)).mail;
    expect(stored).toMatchObject({
      smtpHost: 'smtp.example.co.jp',
      smtpPort: 587,
      security: 'starttls',
      sender: 'sousin@example.co.jp',
      popBeforeSmtp: true,
      smtpAuth: true,
      pop: { host: 'pop.example.co.jp', port: 110, account: 'popuser', password: '********', waitSeconds: 5 },
      smtp: { account: 'smtpuser', password: '********', cramMd5: true, login: true, plain: false, xoauth2: true },
    });
    expect(stored.smtp.oauth).toMatchObject({ tokenUrl: 'https://login.example.com/token', clientId: 'client-1', clientSecret: '********', refreshToken: '' });
    // the basic settings show what the mail window stored
    await expect.poll(() => ui().routeRow(basic, 'mail').textContent()).toContain('SMTP サーバー: smtp.example.co.jp:587 / 送信者: sousin@example.co.jp');
    await ui().close(basic);
    await ui().close(list);
    const onDisk = await fs.readFile(path.join(data.dir, 'settings.json'), 'utf8');
    for (const secret of [SMTP_PASSWORD, POP_PASSWORD, CLIENT_SECRET]) expect(onDisk).not.toContain(secret);
  });

  it('reopened: the values are shown, passwords masked, and OK keeps them unchanged', async () => {
    const { list, basic } = await ui().openBasicSettings();
    const mail = await ui().openMailSettings(basic);
    expect(await mail.getByRole('textbox', { name: 'メールサーバー(SMTP)(M)' }).inputValue()).toBe('smtp.example.co.jp');
    expect(await mail.getByRole('textbox', { name: 'ポート番号(P)' }).inputValue()).toBe('587');
    expect(await mail.getByRole('combobox', { name: '接続の保護(E)' }).inputValue()).toBe('starttls');
    expect(await mail.getByRole('checkbox', { name: 'このサーバは SMTP 認証が必要(R)' }).isChecked()).toBe(true);
    await mail.getByRole('button', { name: '設定(S)...' }).click();
    const auth = ui().dialog(AUTH_TITLE);
    await auth.waitFor();
    const smtpPassword = auth.getByLabel('パスワード(D)');
    expect(await smtpPassword.getAttribute('type')).toBe('password');
    expect(await smtpPassword.inputValue()).toBe('********');
    expect(await auth.textContent()).toContain('保存されています。変更するときだけ入力し直してください。');
    expect(await auth.getByRole('checkbox', { name: 'PLAIN(N)' }).isChecked()).toBe(false);
    // a changed account, the passwords untouched
    await auth.getByRole('textbox', { name: 'アカウント名(C)' }).fill('smtpuser2');
    await ui().close(auth);
    await ui().close(mail);
    await ui().close(basic);
    await ui().close(list);
    expect((await storedExpress(backend)).mail.smtp.account).toBe('smtpuser2');
    expect(await storedSecret('smtp.password')).toBe(SMTP_PASSWORD);
    expect(await storedSecret('pop.password')).toBe(POP_PASSWORD);
    expect(await storedSecret('smtp.oauth.clientSecret')).toBe(CLIENT_SECRET);
  });

  it('unticking both check boxes greys out [設定] and keeps the stored authentication', async () => {
    const { list, basic } = await ui().openBasicSettings();
    const mail = await ui().openMailSettings(basic);
    await mail.getByRole('checkbox', { name: 'このサーバは POP Before SMTP が必要(B)' }).uncheck();
    await mail.getByRole('checkbox', { name: 'このサーバは SMTP 認証が必要(R)' }).uncheck();
    expect(await mail.getByRole('button', { name: '設定(S)...' }).isDisabled()).toBe(true);
    await ui().close(mail, 'キャンセル');
    // キャンセル stores nothing
    expect((await storedExpress(backend)).mail.popBeforeSmtp).toBe(true);
    await ui().close(basic, 'キャンセル');
    await ui().close(list);
  });

  it('the destination window: the key file’s center address preset; the encoding is saved with OK', async () => {
    const parts = await ui().openDestinations();
    const { dest } = parts;
    expect(await dest.getByRole('textbox', { name: '宛先(A)' }).inputValue()).toBe(CENTER_MAIL);
    expect(await dest.getByTestId('destination-hint').textContent()).toContain('宛先は自動的に適切に設定されています');
    expect(await dest.getByRole('radio', { name: 'uuencode(E)' }).isChecked()).toBe(true);
    expect(await dest.getByRole('textbox', { name: '使用するエントリ(N)' }).isDisabled()).toBe(true);
    expect(await dest.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(true);
    expect(await dest.getByTestId('tested-state').textContent()).toBe('テスト通報: まだ成功していません');
    await dest.getByRole('radio', { name: 'Base64(B)' }).check();
    await dest.getByRole('checkbox', { name: '利用する(R)' }).check();
    await dest.getByRole('textbox', { name: '使用するエントリ(N)' }).fill('provider');
    await dest.getByRole('textbox', { name: 'ユーザー名(U)' }).fill('dialuser');
    await ui().shot('destination');
    // axe: no serious or critical violation in the window
    expect(await seriousViolations(page)).toEqual([]);
    // [設定情報の変更...] opens the settings utility over the stored opening
    await dest.getByRole('button', { name: '設定情報の変更(C)...' }).click();
    const utility = ui().dialog('エクスプレス通報サービス設定ユーティリティ');
    await utility.waitFor();
    await ui().close(utility, 'キャンセル');
    await ui().close(dest);
    await ui().close(parts.id);
    await ui().close(parts.list);
    const stored = (await storedExpress(backend)).mail;
    expect(stored).toMatchObject({ destination: CENTER_MAIL, encoding: 'base64', remoteAccess: { use: true, entry: 'provider', user: 'dialuser' } });

    const again = await ui().openDestinations();
    expect(await again.dest.getByRole('radio', { name: 'Base64(B)' }).isChecked()).toBe(true);
    await ui().close(again.dest, 'キャンセル');
    await ui().close(again.id);
    await ui().close(again.list);
  });

  it('the manager’s forwarding by mail: the same destination window with the seed’s title, only 宛先 and エンコード方式 (L1182)', async () => {
    const set = await apiCall(backend, 'settings:set', { key: 'methods.manager-express.forward', value: 'mail' });
    expect(set.ok).toBe(true);
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
    await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
    const list = ui().dialog('通報先リストの設定');
    await list.getByRole('option', { name: /^マネージャからのエクスプレス通報 / }).click();
    await list.getByRole('button', { name: '修正...' }).click();
    const id = ui().dialog('ID 設定');
    await id.getByRole('button', { name: '宛先設定...' }).click();
    const dest = ui().dialog('マネージャからのエクスプレス通報(インターネット メール経由)の設定');
    await dest.getByRole('textbox', { name: '宛先(A)' }).fill('center@example.co.jp');
    await dest.getByRole('radio', { name: 'Base64(B)' }).check();
    expect(await dest.getByRole('button', { name: 'テスト通報(T)' }).count()).toBe(0);
    expect(await dest.getByRole('checkbox', { name: '利用する(R)' }).count()).toBe(0);
    await ui().close(dest);
    await ui().close(id);
    await ui().close(list);
    const out = await apiCall(backend, 'settings:get', {});
    if (!out.ok) throw new Error(out.error.message);
    expect(out.result.methods['manager-express'].mail).toMatchObject({ destination: 'center@example.co.jp', encoding: 'base64' });
  });

  it('speaks English when the window is English', async () => {
    const set = await apiCall(backend, 'settings:set', { key: 'ui.language', value: 'en' });
    expect(set.ok).toBe(true);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Base Setting...' }).click();
    const list = ui().dialog('Base Setting');
    await list.getByRole('button', { name: 'Express Report Service Setting...', exact: true }).click();
    const basic = ui().dialog('Express Report Service Base Setting');
    await basic.getByRole('radio', { name: 'Via Internet mail' }).waitFor();
    expect(await basic.getByRole('checkbox', { name: 'S/MIME enabled' }).isChecked()).toBe(true);
    await ui().routeRow(basic, 'mail').getByRole('button', { name: 'Setting...' }).click();
    const mail = ui().dialog('Express Report (Via Internet Mail) Base Setting');
    expect(await mail.getByRole('combobox', { name: 'Connection security' }).inputValue()).toBe('starttls');
    await mail.getByRole('button', { name: 'Setting...' }).click();
    const auth = ui().dialog('Internet Mail Report Authentication Setting');
    expect(await auth.textContent()).toContain('tried in the order CRAM-MD5, LOGIN, PLAIN');
    await ui().shot('auth-en');
    await ui().close(auth, 'Cancel');
    await ui().close(mail, 'Cancel');
    await ui().shot('basic-en');
    await ui().close(basic, 'Cancel');
    await ui().close(list, 'Cancel');
    await apiCall(backend, 'settings:set', { key: 'ui.language', value: 'ja' });
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ja');
  });

  it('no error in the page', () => {
    expect(win.errors).toEqual([]);
  });
});
