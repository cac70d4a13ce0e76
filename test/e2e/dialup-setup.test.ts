/**
 * Express Report by modem dial-up set up in the window (issue 12): real Chromium against `serve`.
 * Opening by key code (through the API), the route set to dial-up by the real settings:patch,
 * then 通報先リストの設定 → ID 設定 → [宛先設定...] → エクスプレス通報(ダイヤルアップ経由)の設定 →
 * [通報先設定(R)...] → 通報先の設定(シリアルポート経由): this machine's serial ports in the
 * combobox, the validation messages under their fields, saved and reopened; ゼロ発信 on and off in
 * the list (and by `dialup:zeroDial` from outside, shown by the window); the manager's edition and
 * the English window. Screenshots to docs/screenshots/dialup-*.png.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueKeyFile } from '../center/issue-key-file';
import { seriousViolations } from './axe';
import { DEST_TITLE, dialupDialogs, TITLE, type DialupWindows } from './dialup-dialogs';
import { apiCall, launchBrowser, makeDataDir, openWindow, ROOT, startBackend, stopAllBackends, waitReady, type Backend, type OpenWindow } from './harness';

const SCREEN = { width: 1024, height: 768 };
const BASE = 'methods.express.dialup';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();

/** the ttyS*, ttyUSB*, ttyACM* this machine's /dev holds */
const realDevices = readdirSync('/dev')
  .filter((name) => /^tty(S|USB|ACM)\d+$/.test(name))
  .map((name) => `/dev/${name}`);

beforeAll(async () => {
  backend = await startBackend(data.dir, 'ja_JP.UTF-8', { EXPRESS_REPORT_HOSTNAME: 'SERVER001' });
  browser = await launchBrowser();
  win = await openWindow(browser, backend, SCREEN);
  page = win.page;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    mkdirSync('/tmp/dialup-e2e', { recursive: true });
    await page.screenshot({ path: `/tmp/dialup-e2e/fail-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}.png` });
    console.log(await page.locator('body').ariaSnapshot());
  }
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

async function stored() {
  const out = await apiCall(backend, 'settings:get', {});
  if (!out.ok) throw new Error(out.error.message);
  return out.result.methods.express;
}

async function shot(name: string): Promise<void> {
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(dir, `dialup-${name}.png`) });
}

const ui = () => dialupDialogs(page);
const dialog = (name: string) => ui().dialog(name);
const fieldMessage = (scope: Locator, key: string) => ui().fieldMessage(scope, key);
const listRow = (scope: Locator, which: 'primary' | 'secondary') => ui().listRow(scope, which);
const focusedName = () => ui().focusedName();
const openDialup = (method?: string, title?: string) => ui().openDialup(method, title);
const closeDialup = (parts: DialupWindows, button?: 'OK' | 'キャンセル') => ui().closeDialup(parts, button);

describe('Express Report by dial-up set-up in the window', () => {
  it('opens by key code and chooses the dial-up route (the real settings:patch)', async () => {
    const out = await apiCall(backend, 'opening:commit', {
      source: { mode: 'key-code', keyCode: '01239' },
      device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
    });
    expect(out.ok).toBe(true);
    const patched = await apiCall(backend, 'settings:patch', { changes: { 'methods.express.route': 'dialup' } });
    expect(patched.ok).toBe(true);
    await expect.poll(() => page.getByRole('contentinfo', { name: 'ステータス バー' }).textContent()).toContain('OPFILELESS');
  });

  it('ID 設定 → [宛先設定...] opens the dial-up window: シリアルポート chosen, an empty list, [開局通報] waiting for a test', async () => {
    const parts = await openDialup();
    const dialup = parts.win;
    expect(await dialup.getByRole('radio', { name: 'シリアルポート(C)' }).isChecked()).toBe(true);
    expect(await dialup.getByRole('radio', { name: 'サーバー管理ポート(S)' }).isChecked()).toBe(false);
    expect(await dialup.getByRole('radio', { name: 'マネージメントポート(F)' }).isChecked()).toBe(false);
    for (const name of ['情報設定(A)...', '通報先設定(R)...', 'テスト(1次)', 'テスト(2次)', 'OK', 'キャンセル', 'ヘルプ(H)']) {
      await dialup.getByRole('button', { name, exact: true }).waitFor();
    }
    expect(await dialup.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(true);
    expect(await dialup.getByRole('checkbox', { name: 'ゼロ発信(Z)' }).isDisabled()).toBe(true);
    expect(await listRow(dialup, 'primary').textContent()).toBe('一次: ');
    // a BMC route says what it needs
    await page.keyboard.press('Alt+s');
    await expect.poll(() => dialup.getByRole('radio', { name: 'サーバー管理ポート(S)' }).isChecked()).toBe(true);
    expect(await dialup.textContent()).toContain('BMC');
    await dialup.getByRole('radio', { name: 'シリアルポート(C)' }).check();
    await shot('settings');
    expect(await seriousViolations(page)).toEqual([]);

    // ヘルプ(H) explains the window, and the test that sends no result back
    await dialup.getByRole('button', { name: 'ヘルプ(H)' }).click();
    const help = page.getByRole('alertdialog', { name: TITLE });
    expect(await help.textContent()).toContain('「通報に成功しました」と表示されたら');
    await help.getByRole('button', { name: 'OK' }).click();
    await help.waitFor({ state: 'detached' });
    // a test with no number names what is missing, and sends nothing
    await dialup.getByRole('button', { name: 'テスト(1次)' }).click();
    await expect.poll(() => dialup.locator('.form-error').textContent()).toBe('[通報先設定]の一次通報先の電話番号を入力してください。');
  });

  it('通報先設定: the serial ports of this machine, the messages under their fields; OK hands the values back and the list shows them', async () => {
    const dialup = dialog(TITLE);
    await dialup.getByRole('button', { name: '通報先設定(R)...' }).click();
    const dest = dialog(DEST_TITLE);
    await dest.waitFor();
    expect(await dest.textContent()).toContain('モデムが接続されているシリアルポートを設定してください。');
    expect(await dest.getByRole('radio', { name: 'トーン(T)' }).isChecked()).toBe(true);
    expect(await dest.getByRole('textbox', { name: 'ダイヤルアップ間隔(D):' }).inputValue()).toBe('60');
    expect(await dest.getByRole('checkbox', { name: 'リモートアクセスサービスとポートを共有する(R)' }).isChecked()).toBe(false);

    // the combobox lists what /dev holds (no udev here)
    const port = dest.getByRole('combobox', { name: 'シリアルポート(S):' });
    await dest.getByRole('button', { name: '一覧を開く' }).click();
    const listbox = page.getByRole('listbox');
    await listbox.waitFor();
    const options = await listbox.getByRole('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(realDevices));
    await shot('ports');
    await listbox.getByRole('option', { name: realDevices[0]! }).click();
    expect(await port.inputValue()).toBe(realDevices[0]);

    // wrong values: each message under its field, naming it; the first wrong field focused
    const primary = dest.getByRole('textbox', { name: '一次(1):' });
    const secondary = dest.getByRole('textbox', { name: '二次(2):' });
    await primary.fill('03-1234-ABCD');
    await secondary.fill('0,');
    await dest.getByRole('textbox', { name: 'ダイヤルアップ間隔(D):' }).fill('0');
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => fieldMessage(dest, `${BASE}.primary.number`).textContent()).toContain('一次の電話番号に使えない文字があります');
    expect(await fieldMessage(dest, `${BASE}.secondary.number`).textContent()).toBe('二次の電話番号に数字がありません。');
    expect(await fieldMessage(dest, `${BASE}.dialIntervalSeconds`).textContent()).toBe('ダイヤルアップ間隔は 1～3600 秒の整数で入力してください。');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe(`${BASE}.primary.number`);
    await shot('destinations-invalid');
    // a secondary alone is refused on the primary
    await primary.fill('');
    await secondary.fill('06-8765-4321');
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => fieldMessage(dest, `${BASE}.primary.number`).textContent()).toBe('二次通報先だけを設定することはできません。一次通報先の電話番号を入力してください。');
    // a number without a port cannot be dialled
    await port.fill('');
    await primary.fill('03-1234-5678');
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => fieldMessage(dest, `${BASE}.serialPort`).textContent()).toBe('モデムが接続されているシリアルポートを指定してください。');

    // good values; a typed port name is taken as typed
    await port.fill('/dev/ttyUSB7');
    await dest.getByRole('textbox', { name: '一次のコメント' }).fill('保守センター(東京)');
    await dest.getByRole('textbox', { name: 'ダイヤルアップ間隔(D):' }).fill('90');
    await page.keyboard.press('Alt+p');
    await expect.poll(() => dest.getByRole('radio', { name: 'パルス(P)' }).isChecked()).toBe(true);
    await dest.getByRole('checkbox', { name: 'リモートアクセスサービスとポートを共有する(R)' }).check();
    await expect.poll(() => fieldMessage(dest, `${BASE}.dialIntervalSeconds`).count()).toBe(0);
    await shot('destinations');
    expect(await seriousViolations(page)).toEqual([]);
    await dest.getByRole('button', { name: 'ヘルプ(H)' }).click();
    const help = page.getByRole('alertdialog', { name: DEST_TITLE });
    expect(await help.textContent()).toContain('リモートアクセスサービスとポートを共有する場合');
    await help.getByRole('button', { name: 'OK' }).click();
    await help.waitFor({ state: 'detached' });
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await dest.waitFor({ state: 'detached' });

    expect(await listRow(dialup, 'primary').textContent()).toBe('一次: 03-1234-5678保守センター(東京)');
    expect(await listRow(dialup, 'secondary').textContent()).toBe('二次: 06-8765-4321');
    // the child window's OK stores nothing
    expect((await stored()).dialup.primary.number).toBe('');
  });

  it('OK stores everything in one change; reopened, both windows show what was stored', async () => {
    await closeDialup({ list: dialog('通報先リストの設定'), id: dialog('ID 設定'), win: dialog(TITLE) });
    expect((await stored()).dialup).toMatchObject({
      via: 'serial',
      primary: { number: '03-1234-5678', comment: '保守センター(東京)' },
      secondary: { number: '06-8765-4321', comment: '' },
      serialPort: '/dev/ttyUSB7',
      sharePortWithRemoteAccess: true,
      dialIntervalSeconds: 90,
      dialMode: 'pulse',
    });

    const parts = await openDialup();
    expect(await listRow(parts.win, 'primary').textContent()).toBe('一次: 03-1234-5678保守センター(東京)');
    await parts.win.getByRole('button', { name: '通報先設定(R)...' }).click();
    const dest = dialog(DEST_TITLE);
    expect(await dest.getByRole('textbox', { name: '一次(1):' }).inputValue()).toBe('03-1234-5678');
    expect(await dest.getByRole('textbox', { name: '二次(2):' }).inputValue()).toBe('06-8765-4321');
    expect(await dest.getByRole('combobox', { name: 'シリアルポート(S):' }).inputValue()).toBe('/dev/ttyUSB7');
    expect(await dest.getByRole('textbox', { name: 'ダイヤルアップ間隔(D):' }).inputValue()).toBe('90');
    expect(await dest.getByRole('radio', { name: 'パルス(P)' }).isChecked()).toBe(true);
    // Escape is キャンセル, and the focus goes back to the button that opened the window
    await page.keyboard.press('Escape');
    await dest.waitFor({ state: 'detached' });
    await expect.poll(focusedName).toBe('通報先設定(R)...');
  });

  it('ゼロ発信: the check box puts "0," in front of both numbers in the list and in 通報先設定; OK stores them; cleared, it takes them off', async () => {
    const dialup = dialog(TITLE);
    const zero = dialup.getByRole('checkbox', { name: 'ゼロ発信(Z)' });
    expect(await zero.isChecked()).toBe(false);
    await page.keyboard.press('Alt+z');
    await expect.poll(() => zero.isChecked()).toBe(true);
    expect(await listRow(dialup, 'primary').textContent()).toBe('一次: 0,03-1234-5678保守センター(東京)');
    expect(await listRow(dialup, 'secondary').textContent()).toBe('二次: 0,06-8765-4321');
    await shot('zero-dial');
    await dialup.getByRole('button', { name: '通報先設定(R)...' }).click();
    const dest = dialog(DEST_TITLE);
    expect(await dest.getByRole('textbox', { name: '一次(1):' }).inputValue()).toBe('0,03-1234-5678');
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await closeDialup({ list: dialog('通報先リストの設定'), id: dialog('ID 設定'), win: dialup });
    expect((await stored()).dialup.primary.number).toBe('0,03-1234-5678');
    expect((await stored()).dialup.secondary.number).toBe('0,06-8765-4321');
    const status = await apiCall(backend, 'dialup:zeroDial', { action: 'status' });
    expect(status.ok && status.result.state).toBe('on');

    const parts = await openDialup();
    expect(await parts.win.getByRole('checkbox', { name: 'ゼロ発信(Z)' }).isChecked()).toBe(true);
    await parts.win.getByRole('checkbox', { name: 'ゼロ発信(Z)' }).uncheck();
    expect(await listRow(parts.win, 'primary').textContent()).toBe('一次: 03-1234-5678保守センター(東京)');
    // キャンセル keeps what is stored
    await closeDialup(parts, 'キャンセル');
    expect((await stored()).dialup.primary.number).toBe('0,03-1234-5678');
  });

  it('ゼロ発信 from outside (dialup:zeroDial, as `express-report zero-dial off` sends it) is what the window shows', async () => {
    const off = await apiCall(backend, 'dialup:zeroDial', { action: 'off' });
    expect(off.ok && off.result).toMatchObject({ state: 'off', primary: '03-1234-5678', secondary: '06-8765-4321', changed: true });
    const parts = await openDialup();
    await expect.poll(() => listRow(parts.win, 'primary').textContent()).toBe('一次: 03-1234-5678保守センター(東京)');
    expect(await parts.win.getByRole('checkbox', { name: 'ゼロ発信(Z)' }).isChecked()).toBe(false);
    await closeDialup(parts, 'キャンセル');
  });

  it('テスト(1次) → 通報に成功しました → 開局通報 → enabled, through the real serialport binding on a socat pty pair to `express-center modem`', async () => {
    // A socat pty pair: the product dials on A through the real serialport binding, the center's
    // modem answers on B; both children of the test, stopped by PID.
    const center = makeDataDir();
    const a = path.join(center.dir, 'A');
    const b = path.join(center.dir, 'B');
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    let modem: ReturnType<typeof spawn> | null = null;
    try {
      await expect.poll(() => existsSync(a) && existsSync(b), { timeout: 10_000 }).toBe(true);
      modem = spawn(process.execPath, [path.join(ROOT, 'dist', 'center.cjs'), 'modem', '--data-dir', center.dir, '--device', b], { stdio: ['ignore', 'pipe', 'inherit'] });
      const ready = new Promise<void>((resolve) => modem!.stdout!.on('data', (d: Buffer) => d.toString().includes('modem: ready') && resolve()));
      await ready;

      // The opening report follows the test on the same line after the stored dial-up interval
      // (the queue's lane gap): 2 s here, not the 90 s an earlier test stored.
      const patched = await apiCall(backend, 'settings:patch', { changes: { [`${BASE}.dialIntervalSeconds`]: 2 } });
      if (!patched.ok) throw new Error(patched.error.message);
      const parts = await openDialup();
      await parts.win.getByRole('button', { name: '通報先設定(R)...' }).click();
      const dest = dialog(DEST_TITLE);
      await dest.getByRole('combobox', { name: 'シリアルポート(S):' }).fill(a);
      await dest.getByRole('radio', { name: 'トーン(T)' }).check();
      await dest.getByRole('button', { name: 'OK', exact: true }).click();
      await dest.waitFor({ state: 'detached' });

      const box = page.getByRole('alertdialog', { name: 'エクスプレス通報サービス' });
      await parts.win.getByRole('button', { name: 'テスト(1次)' }).click();
      // no result destination is asked: the modem dials at once, with a progress box
      await box.filter({ hasText: '一次通報先にダイヤルしています...' }).waitFor();
      const result = box.filter({ hasText: '通報に成功しました。' });
      await result.waitFor({ timeout: 60_000 });
      await shot('test-ok');
      await result.getByRole('button', { name: 'OK' }).click();
      await expect.poll(() => parts.win.getByRole('button', { name: '開局通報(O)' }).isEnabled()).toBe(true);
      await parts.win.getByRole('button', { name: '開局通報(O)' }).click();
      const opened = box.filter({ hasText: '開局通報に成功しました。' });
      await opened.waitFor({ timeout: 60_000 });
      await opened.getByRole('button', { name: 'OK' }).click();
      // OK stores the values tested, then asks whether to enable the method (W6)
      await parts.win.getByRole('button', { name: 'OK', exact: true }).click();
      await box.getByRole('button', { name: 'はい(Y)' }).click();
      await parts.win.waitFor({ state: 'detached' });
      await expect.poll(async () => (await stored()).enabled).toBe(true);
      expect((await stored()).dialup.serialPort).toBe(a);
      await parts.id.getByRole('button', { name: 'OK', exact: true }).click();
      await parts.list.getByRole('button', { name: 'OK', exact: true }).click();

      const listed = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'center.cjs'), 'reports', '--data-dir', center.dir, '--json'], { encoding: 'utf8' });
      const kinds = (JSON.parse(listed.stdout) as { kind: string; channel?: string }[]).map((r) => r.kind);
      expect(kinds).toEqual(expect.arrayContaining(['test', 'opening']));
    } finally {
      // Stopped by PID and waited for (PID 1 does not reap orphans here).
      for (const child of [modem, socat]) {
        if (!child?.pid || child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      center.remove();
    }
  }, 120_000);

  it('a key file’s phone numbers are the 通報先 list after the opening (the opening erases the earlier set-up)', async () => {
    const center = makeDataDir();
    try {
      const issued = await issueKeyFile({ out: path.join(center.dir, 'server.key'), dataDir: center.dir, phones: ['03-5555-0001', '06-5555-0002'] });
      const read = await apiCall(backend, 'opening:readKeyFile', { file: { path: issued.file } });
      if (!read.ok) throw new Error(read.error.message);
      const { customer, device, options, dealer } = read.result.keyFile;
      const committed = await apiCall(backend, 'opening:commit', {
        source: { mode: 'key-file', file: { path: issued.file }, acceptHostNameMismatch: true },
        customer,
        device: { ...device, serverName: read.result.hostName },
        options,
        dealer,
      });
      if (!committed.ok) throw new Error(committed.error.message);
    } finally {
      center.remove();
    }
    expect((await apiCall(backend, 'settings:patch', { changes: { 'methods.express.route': 'dialup' } })).ok).toBe(true);
    const parts = await openDialup();
    await expect.poll(() => listRow(parts.win, 'primary').textContent()).toBe('一次: 03-5555-0001');
    expect(await listRow(parts.win, 'secondary').textContent()).toBe('二次: 06-5555-0002');
    expect(await parts.win.getByRole('checkbox', { name: 'ゼロ発信(Z)' }).isChecked()).toBe(false);
    await closeDialup(parts, 'キャンセル');
  });

  it('the manager’s forwarding by dial-up: the same window without 通報経路 and the opening report, with 到達確認テスト', async () => {
    const patched = await apiCall(backend, 'settings:patch', { changes: { 'methods.manager-express.forward': 'dialup' } });
    expect(patched.ok).toBe(true);
    const parts = await openDialup('マネージャからのエクスプレス通報', 'マネージャからのエクスプレス通報(ダイヤルアップ経由)');
    expect(await parts.win.getByRole('radio', { name: 'シリアルポート(C)' }).count()).toBe(0);
    expect(await parts.win.getByRole('button', { name: '開局通報(O)' }).count()).toBe(0);
    await parts.win.getByRole('button', { name: '到達確認テスト(1次)' }).waitFor();
    await parts.win.getByRole('button', { name: '通報先設定(R)...' }).waitFor();
    await shot('manager');
    await closeDialup(parts, 'キャンセル');
  });

  it('speaks English on request: the seed’s English labels in both windows', async () => {
    expect((await apiCall(backend, 'settings:patch', { changes: { 'ui.language': 'en' } })).ok).toBe(true);
    await page.reload();
    await waitReady(page);
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Destination List Setting...' }).click();
    const list = dialog('Destination List Setting');
    await list.getByRole('option', { name: /^Express Report Service every/ }).click();
    await list.getByRole('button', { name: 'Modify...' }).click();
    const id = dialog('ID Setting');
    await id.getByRole('button', { name: 'Destination...' }).click();
    const dialup = dialog('Express Notification (Dial-up Route) Settings');
    await dialup.waitFor();
    for (const name of ['Serial Port (C)', 'Server Management Port (S)', 'Management Port (F)']) await dialup.getByRole('radio', { name }).waitFor();
    for (const name of ['Information Settings (A)...', 'Notification Destination Settings (R)...', 'Test (1st)', 'Test (2nd)', 'Start Notification (O)', 'Help (H)']) {
      await dialup.getByRole('button', { name, exact: true }).waitFor();
    }
    expect(await listRow(dialup, 'primary').textContent()).toBe('Primary: 03-5555-0001');
    await shot('settings-en');
    await dialup.getByRole('button', { name: 'Notification Destination Settings (R)...' }).click();
    const dest = dialog('Notification Destination Settings (Serial Port Route)');
    await dest.getByRole('textbox', { name: 'Primary (1):' }).fill('03-5555-00X1');
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => fieldMessage(dest, `${BASE}.primary.number`).textContent()).toBe(
      'The primary phone number has characters that cannot be dialled: use digits, hyphens (-), commas (,), # and *.',
    );
    for (const name of ['Pulse (P)', 'Tone (T)']) await dest.getByRole('radio', { name }).waitFor();
    await dest.getByRole('textbox', { name: 'Dial-up Interval (D):' }).waitFor();
    await shot('destinations-en');
    await dest.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await dialup.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialup.waitFor({ state: 'detached' });
    await id.getByRole('button', { name: 'OK', exact: true }).click();
    await list.getByRole('button', { name: 'OK', exact: true }).click();
    expect(win.errors).toEqual([]);
  });
});
