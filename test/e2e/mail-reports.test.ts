/**
 * Express Report by e-mail from the window to the center, end to end: real Chromium against
 * `serve`, real SMTP all the way. A key-file opening the center issued → the mail route's basic
 * settings with SMTP AUTH over STARTTLS (a throwaway CA) → the destination window → [テスト通報]
 * (the result destination, the confirmation, the progress, the result; the center mails the
 * result) → [開局通報] → OK → "enable?" はい → 通報テスト from the event tree arrives at the
 * center and shows as 送信済み in the history.
 *
 * The peers: the center simulator (`express-center serve --smtp-port 0 --result-smtp …`, a child
 * of the test); a POP-before-SMTP gate in front of it (Debian dovecot-pop3d in the foreground and
 * a relay that takes mail only from an address that logged in to POP, test/helpers/mail-peers);
 * the server the product talks to, a submission server in the test (npm smtp-server: STARTTLS
 * with a throwaway CA, AUTH PLAIN / LOGIN only — so the window's CRAM-MD5 is skipped — relaying
 * through the gate with nodemailer only for an authenticated client, so a mail goes through only
 * after the product's own POP login); and a mailbox for the result mail (npm smtp-server).
 * Nothing is faked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser, Locator, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCenterCa, issueServerCertificate } from '../center/certs';
import { issueKeyFile } from '../center/issue-key-file';
import { startMailCenter, type MailCenter } from '../helpers/mail-peers/center';
import { startPopBeforeSmtp, type PopBeforeSmtp } from '../helpers/mail-peers/pop-before-smtp';
import { apiCall, launchBrowser, makeDataDir, openWindow, startBackend, stopAllBackends, type Backend, type OpenWindow } from './harness';
import { AUTH_TITLE, mailDialogs, storedExpress, type MailDialogs } from './mail-dialogs';

const CENTER_MAIL = 'express-center@center.example.jp';
const RESULT_MAIL = 'result@example.co.jp';
const ACCOUNT = 'mailer';
const PASSWORD = 'subm1ssion-pass';
const POP_USER = 'popuser';
const POP_PASSWORD = 'p0p-pass';
const DEVICE_HOST = 'SERVER001';

interface Received {
  to: string[];
  raw: string;
}

function listen(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

let browser: Browser;
let backend: Backend;
let center: MailCenter;
let gate: PopBeforeSmtp;
let submission: SMTPServer;
let mailbox: SMTPServer;
let submissionPort = 0;
let submissionCaFile = '';
const results: Received[] = [];
const relayed: Received[] = [];
const logins: string[] = [];
let win: OpenWindow;
let page: Page;
const data = makeDataDir();
const peers = makeDataDir();

beforeAll(async () => {
  mailbox = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      readAll(stream).then((raw) => {
        results.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      }, callback);
    },
  });
  const mailboxPort = await listen(mailbox);
  center = await startMailCenter({ dataDir: path.join(peers.dir, 'center'), args: ['--result-smtp', `127.0.0.1:${mailboxPort}`] });
  gate = await startPopBeforeSmtp({ users: { [POP_USER]: POP_PASSWORD }, relayTo: { host: '127.0.0.1', port: center.smtpPort, ca: center.caPem } });
  const throughGate = nodemailer.createTransport({ host: '127.0.0.1', port: gate.smtpPort, secure: false });
  const ca = createCenterCa();
  const cert = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
  submissionCaFile = path.join(peers.dir, 'submission-ca.pem');
  writeFileSync(submissionCaFile, ca.certPem);
  submission = new SMTPServer({
    key: cert.keyPem,
    cert: cert.certPem,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.method} ${auth.username}`);
      if (auth.username === ACCOUNT && auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, session, callback) {
      // a submission server relays for authenticated clients only
      if (!session.user) callback(Object.assign(new Error('5.7.0 Authentication required'), { responseCode: 530 }));
      else callback();
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          await throughGate.sendMail({ envelope: { from, to }, raw });
          relayed.push({ to, raw });
          callback();
        })
        .catch((error: unknown) => callback(Object.assign(new Error(`4.4.1 next hop: ${String(error)}`), { responseCode: 451 })));
    },
  });
  submissionPort = await listen(submission);
  backend = await startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: DEVICE_HOST });
  browser = await launchBrowser();
  win = await openWindow(browser, backend, { width: 1024, height: 768 });
  page = win.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    await page.screenshot({ path: `/tmp/mail-reports-fail-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}.png` });
    console.log(await page.locator('body').ariaSnapshot());
  }
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await gate?.stop();
  await center?.stop();
  await new Promise<void>((resolve) => (submission ? submission.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (mailbox ? mailbox.close(() => resolve()) : resolve()));
  data.remove();
  peers.remove();
});

const ui = (): MailDialogs => mailDialogs(page);
const box = (): Locator => ui().box();

describe('Express Report by e-mail: test report → opening report → enabled → 通報テスト, through POP before SMTP and SMTP AUTH', () => {
  it('opens with a key file the center issued, and sets up the mail route with POP before SMTP and SMTP AUTH over STARTTLS in the window', async () => {
    mkdirSync(path.join(peers.dir, 'key'), { recursive: true });
    const issued = await issueKeyFile({ out: path.join(peers.dir, 'key', 'server.key'), dataDir: center.dataDir, mail: CENTER_MAIL });
    const read = await apiCall(backend, 'opening:readKeyFile', { file: { path: issued.file } });
    if (!read.ok) throw new Error(read.error.message);
    const { customer, device, options, dealer } = read.result.keyFile;
    const opened = await apiCall(backend, 'opening:commit', { source: { mode: 'key-file', file: { path: issued.file } }, customer, device, options, dealer });
    if (!opened.ok) throw new Error(opened.error.message);

    const { list, basic } = await ui().openBasicSettings();
    await basic.getByRole('radio', { name: 'インターネット メール経由(I)' }).check();
    const mail = await ui().openMailSettings(basic);
    await mail.getByRole('textbox', { name: 'メールサーバー(SMTP)(M)' }).fill('127.0.0.1');
    await mail.getByRole('textbox', { name: 'ポート番号(P)' }).fill(String(submissionPort));
    await mail.getByRole('combobox', { name: '接続の保護(E)' }).selectOption({ label: 'STARTTLS を必須にする' });
    await mail.getByRole('textbox', { name: 'CA ファイル(C)' }).fill(submissionCaFile);
    await mail.getByRole('textbox', { name: '送信者のメールアドレス(A)' }).fill('sousin@example.co.jp');
    await mail.getByRole('checkbox', { name: 'このサーバは POP Before SMTP が必要(B)' }).check();
    await mail.getByRole('checkbox', { name: 'このサーバは SMTP 認証が必要(R)' }).check();
    await mail.getByRole('button', { name: '設定(S)...' }).click();
    const auth = ui().dialog(AUTH_TITLE);
    await auth.getByRole('textbox', { name: 'メールサーバー(POP)(M)' }).fill('127.0.0.1');
    await auth.getByRole('textbox', { name: 'アカウント名(A)' }).fill(POP_USER);
    await auth.getByLabel('パスワード(P)').fill(POP_PASSWORD);
    await auth.getByRole('textbox', { name: 'POP ポート番号(O)' }).fill(String(gate.popPort));
    await auth.getByRole('textbox', { name: '待ち時間(秒)(W)' }).fill('1');
    await auth.getByRole('textbox', { name: 'アカウント名(C)' }).fill(ACCOUNT);
    await auth.getByLabel('パスワード(D)').fill(PASSWORD);
    await ui().close(auth);
    await ui().close(mail);
    await ui().close(basic);
    await ui().close(list);
    expect(await storedExpress(backend)).toMatchObject({ route: 'mail', smime: true, mail: { smtpHost: '127.0.0.1', security: 'starttls', smtpAuth: true, popBeforeSmtp: true, pop: { port: gate.popPort, waitSeconds: 1 } } });
  });

  /** basic settings → [設定] → 認証設定: the SMTP password typed anew, stored by the windows' OKs. */
  async function typeSmtpPassword(password: string): Promise<void> {
    const { list, basic } = await ui().openBasicSettings();
    const mail = await ui().openMailSettings(basic);
    await mail.getByRole('button', { name: '設定(S)...' }).click();
    const auth = ui().dialog(AUTH_TITLE);
    await auth.getByLabel('パスワード(D)').fill(password);
    await ui().close(auth);
    await ui().close(mail);
    await ui().close(basic);
    await ui().close(list);
  }

  it('a wrong SMTP password: the test fails naming the refusal, after LOGIN then PLAIN were tried; nothing reaches the center', async () => {
    await typeSmtpPassword('wrong-password');
    const parts = await ui().openDestinations();
    await parts.dest.getByRole('button', { name: 'テスト通報(T)' }).click();
    const select = ui().dialog('テスト結果送付先の選択');
    await select.getByRole('textbox', { name: 'メールアドレス' }).fill(RESULT_MAIL);
    await select.getByRole('button', { name: 'OK' }).click();
    await box().filter({ hasText: 'テスト通報結果は' }).getByRole('button', { name: 'はい(Y)' }).click();
    const result = box().filter({ hasText: 'テスト通報に' });
    await result.waitFor({ timeout: 30_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('テスト通報に失敗しました。');
    expect(text).toContain('SMTP 認証のアカウント名、パスワード、認証方式を確認してください');
    expect(text).not.toContain('wrong-password');
    await ui().shot('test-failed');
    await result.getByRole('button', { name: 'OK' }).click();
    await result.waitFor({ state: 'detached' });
    // a refused mechanism moves on to the next checked one the server offers (CRAM-MD5 it does not)
    expect(logins).toEqual([`LOGIN ${ACCOUNT}`, `PLAIN ${ACCOUNT}`]);
    expect(await parts.dest.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(true);
    expect(relayed).toEqual([]);
    await ui().close(parts.dest, 'キャンセル');
    await ui().close(parts.id);
    await ui().close(parts.list);
    await typeSmtpPassword(PASSWORD);
    logins.length = 0;
  });

  it('[テスト通報] → テスト結果送付先 → はい → sent (progress) → the result; the center has it and mails the result; [開局通報] → OK → enabled', async () => {
    const parts = await ui().openDestinations();
    const { dest } = parts;
    expect(await dest.getByRole('textbox', { name: '宛先(A)' }).inputValue()).toBe(CENTER_MAIL);
    expect(await dest.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(true);
    const testButton = dest.getByRole('button', { name: 'テスト通報(T)' });
    await testButton.click();
    const select = ui().dialog('テスト結果送付先の選択');
    await select.getByRole('textbox', { name: 'メールアドレス' }).fill(RESULT_MAIL);
    await select.getByRole('button', { name: 'OK' }).click();
    const confirm = box().filter({ hasText: 'テスト通報結果は、電子メールにて以下の宛先に送付されます' });
    expect(await confirm.textContent()).toContain(RESULT_MAIL);
    await confirm.getByRole('button', { name: 'はい(Y)' }).click();
    const result = box().filter({ hasText: 'テスト通報に' });
    await result.waitFor({ timeout: 30_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('テスト通報に成功しました。');
    expect(text).toContain('テスト通報結果を確認した後で、開局通報してください。');
    await ui().shot('test-result');
    await result.getByRole('button', { name: 'OK' }).click();
    await result.waitFor({ state: 'detached' });
    // focus returns to [テスト通報]
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('テスト通報(T)');
    // the product logged in to POP first; the submission server was asked with LOGIN (it offers
    // no CRAM-MD5) and relayed through the gate, which let it pass for that POP login
    expect(gate.logins().map((l) => l.user).at(-1)).toBe(POP_USER);
    expect(logins).toEqual([`LOGIN ${ACCOUNT}`]);
    expect(relayed.map((r) => r.to)).toEqual([[CENTER_MAIL]]);
    await expect.poll(() => center.reports().map((r) => r.kind)).toEqual(['test']);
    await expect.poll(() => results.map((r) => r.to), { timeout: 20_000 }).toEqual([[RESULT_MAIL]]);

    const opening = dest.getByRole('button', { name: '開局通報(O)' });
    await expect.poll(() => opening.isEnabled()).toBe(true);
    await opening.click();
    const done = box().filter({ hasText: '開局通報に' });
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toContain('開局通報に成功しました。');
    await ui().shot('opening-result');
    await done.getByRole('button', { name: 'OK' }).click();
    await done.waitFor({ state: 'detached' });
    await expect.poll(() => center.reports().map((r) => r.kind)).toContain('opening');
    await expect.poll(async () => (await storedExpress(backend)).openingReportedAt).not.toBeNull();

    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    const enable = box().filter({ hasText: '通報手段を有効にしますか' });
    await enable.waitFor();
    await ui().shot('enable');
    await enable.getByRole('button', { name: 'はい(Y)' }).click();
    await dest.waitFor({ state: 'detached' });
    // ID 設定 → [スケジュール...]: the seed's recommended values (L905)
    await parts.id.getByRole('button', { name: 'スケジュール...' }).click();
    const schedule = ui().dialog('スケジュール設定');
    expect(await schedule.getByRole('textbox', { name: '間隔', exact: true }).inputValue()).toBe('5');
    expect(await schedule.getByRole('textbox', { name: '期限', exact: true }).inputValue()).toBe('72');
    expect(await schedule.getByRole('checkbox', { name: '24 時間通報する' }).isChecked()).toBe(true);
    await ui().close(schedule, 'キャンセル');
    await ui().close(parts.id);
    await ui().close(parts.list);
    const methods = await apiCall(backend, 'methods:list', {});
    if (!methods.ok) throw new Error(methods.error.message);
    expect(methods.result.find((m) => m.name === 'express')?.enabled).toBe(true);
  });

  it('通報テスト from the event tree reaches the center by mail and shows as 送信済み in the history', async () => {
    const tree = page.getByRole('tree', { name: 'イベントログ' });
    await tree.getByRole('treeitem', { name: 'atapi' }).click();
    await tree.getByRole('treeitem', { name: '0xc0040006 (6)' }).click({ button: 'right' });
    await page.getByRole('menu', { name: 'イベント ID のメニュー' }).getByRole('menuitem', { name: '通報テスト(T)' }).click();
    const accepted = page.getByRole('alertdialog', { name: '通報テスト', exact: true });
    expect(await accepted.textContent()).toContain('エクスプレス通報サービス(受付番号');
    await accepted.getByRole('button', { name: 'OK' }).click();
    const history = ui().dialog('通報履歴');
    const selected = history.locator('[role="row"][aria-selected="true"]');
    await expect.poll(() => selected.locator('[data-column="state"]').textContent(), { timeout: 30_000 }).toBe('送信済み');
    expect(await selected.getByRole('gridcell').nth(3).textContent()).toBe(CENTER_MAIL);
    await expect.poll(() => center.reports().filter((r) => r.kind === 'alert').length).toBe(1);
    await history.getByRole('button', { name: '閉じる', exact: true }).click();
    expect(win.errors).toEqual([]);
  });
});
