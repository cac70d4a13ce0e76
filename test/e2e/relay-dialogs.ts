/**
 * The windows of the relay through a manager as the e2e tests reach them (Japanese window):
 * locators by the seed's titles and the menu paths to a method's 基本設定 and 宛先設定.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startCenter, type Center } from '../helpers/center';
import { freePort } from '../helpers/relay-product';
import { seriousViolations } from './axe';
import { apiCall, ROOT, startBackend, type Backend } from './harness';

export const MANAGER_HTTPS = 'マネージャからのエクスプレス通報(HTTPS)';
export const MANAGER_EXPRESS = 'マネージャからのエクスプレス通報';
export const AGENT_HTTPS = 'エクスプレス通報サービス(HTTPS)';
export const AGENT_EXPRESS = 'エクスプレス通報サービス';
/** the agent's window of `method` (AGENT_HTTPS, AGENT_EXPRESS) on the manager route */
export const agentWindow = (method: string) => `${method}(マネージャ経由)の設定`;

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

const LOOPBACK = { EXPRESS_REPORT_RELAY_LISTEN: '127.0.0.1' };
/** The manager's and the agent's backends: their host names, their receive services on 127.0.0.1 only. */
export const MANAGER_ENV = { ...LOOPBACK, EXPRESS_REPORT_HOSTNAME: 'MANAGER01' };
export const AGENT_ENV = { ...LOOPBACK, EXPRESS_REPORT_HOSTNAME: 'AGENT01' };

/** The center simulator, a manager and an agent backend each opened with a key code (MANAGER01, AGENT01), and a free port for the manager's receive service. */
export async function startRelayPeers(managerDir: string, agentDir: string): Promise<{ center: Center; manager: Backend; agent: Backend; port: number }> {
  const [center, manager, agent, port] = await Promise.all([startCenter(), startBackend(managerDir, 'ja_JP.UTF-8', MANAGER_ENV), startBackend(agentDir, 'ja_JP.UTF-8', AGENT_ENV), freePort()]);
  await Promise.all([openByKeyCode(manager, 'MANAGER01'), openByKeyCode(agent, 'AGENT01')]);
  return { center, manager, agent, port };
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

/** OK on a message box; it closes. */
export async function closeBox(box: Locator): Promise<void> {
  await box.getByRole('button', { name: 'OK' }).click();
  await box.waitFor({ state: 'detached' });
}

/** The agent's (マネージャ経由)の設定 `dest` as a person fills it and handles the manager's certificate. */
export function managerTarget(page: Page, dest: Locator) {
  const box = () => relayDialogs(page).box('マネージャ証明書の指紋');
  return {
    /** the manager at 127.0.0.1:`port`, with its relay key */
    async fill(port: number, key: string) {
      await dest.getByRole('textbox', { name: 'IP アドレス(またはホスト名)(I)' }).fill('127.0.0.1');
      await dest.getByRole('textbox', { name: 'ポート番号(N)' }).fill(String(port));
      await dest.getByLabel('リレーキー(K)').fill(key);
    },
    /** 証明書の確認 → the probe's box with `expected` in it → OK */
    async probe(expected: string) {
      await dest.getByRole('button', { name: '証明書の確認(C)' }).click();
      const shown = box().filter({ hasText: expected });
      await shown.waitFor({ timeout: 15_000 });
      await closeBox(shown);
    },
    /** 提示された証明書を受け入れる → 照合しましたか? OK → 登録しました OK */
    async accept() {
      await dest.getByRole('button', { name: '提示された証明書を受け入れる(A)' }).click();
      await box().filter({ hasText: '照合しましたか' }).getByRole('button', { name: 'OK' }).click();
      await closeBox(box().filter({ hasText: '登録しました' }));
    },
    pinned: () => dest.getByTestId('pinned-fingerprint').textContent(),
    presented: () => dest.getByTestId('presented-fingerprint').textContent(),
    /** probe (its box saying `expected`), the window showing `fingerprint` as presented, accept: it is shown as pinned */
    async acceptShown(expected: string, fingerprint: string) {
      await this.probe(expected);
      expect(await this.presented()).toContain(fingerprint);
      await this.accept();
      await expect.poll(() => this.pinned()).toBe(fingerprint);
    },
  };
}

type ManagerMethod = 'manager-express' | 'manager-express-https';

/** The manager's fingerprint once its receive service `method` listens. */
export async function listening(manager: Backend, method: ManagerMethod): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const s = await must(manager, 'manager:status', {});
    if (s.receivers.some((r) => r.method === method && r.listening)) return s.fingerprint!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the manager does not listen on ${method}`);
}

/**
 * The administrator replaces the manager's certificate (a new pair made with openssl in
 * <data dir>/relay/, as docs/operations.md allows) and restarts its receive service `method`
 * (disabled, enabled); the new fingerprint once it listens again.
 */
export async function replaceManagerCertificate(manager: Backend, method: ManagerMethod): Promise<string> {
  const tools = mkdtempSync(path.join(os.tmpdir(), 'er-e2e-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(tools, 'key.pem'), '-out', path.join(tools, 'cert.pem'), '-days', '3650', '-subj', '/CN=MANAGER01', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    for (const [from, to] of [['key.pem', 'manager-key.pem'], ['cert.pem', 'manager-cert.pem']] as const) {
      const file = path.join(manager.dataDir, 'relay', to);
      writeFileSync(file, readFileSync(path.join(tools, from)));
      chmodSync(file, 0o600);
    }
  } finally {
    rmSync(tools, { recursive: true, force: true });
  }
  await must(manager, 'methods:setEnabled', { name: method, enabled: false });
  await must(manager, 'methods:setEnabled', { name: method, enabled: true });
  return listening(manager, method);
}

/** An alert on the agent (no window involved): refused by its backend at the certificate before a byte is sent, kept in its queue; its id. */
export async function expectAlertRefusedAtCertificate(agent: Backend, presented: string, pinned: string): Promise<string> {
  const alert = await must(agent, 'report:event', { source: 'disk', eventId: '7', message: 'a bad block', wait: true });
  expect(alert.items).toHaveLength(1);
  expect(alert.items[0]).toMatchObject({ state: 'retrying', lastError: { channel: 'relay', step: 'manager-cert' } });
  expect(alert.items[0]!.lastError!.detail).toContain(`${presented} is presented, ${pinned} is pinned`);
  return alert.items[0]!.id;
}

/**
 * The agent's (マネージャ経由)の設定 of `method` opened, `pinned` still shown as pinned, its
 * テスト通報 refused with the `manager-cert` step's Japanese reason; the window's parts, its
 * certificate part and the result box (left open for a screenshot).
 */
export async function testRefusedAtCertificate(page: Page, method: string, pinned: string) {
  const parts = await relayDialogs(page).openDestinations(method, agentWindow(method));
  const target = managerTarget(page, parts.dest);
  expect(await target.pinned()).toBe(pinned);
  const refused = await testResult(page, parts.dest, 'テスト通報(T)', method);
  expect(refused.text).toContain('テスト通報に失敗しました。');
  expect(refused.text).toContain('マネージャの証明書が登録済みのものと異なるため、何も送らずに接続を切りました。');
  return { parts, target, box: refused.box };
}
