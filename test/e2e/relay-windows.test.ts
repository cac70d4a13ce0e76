/**
 * Issue 13, the windows of the relay through a manager, end to end: real Chromium against two
 * real `serve` processes — a manager and an agent, each with its own data folder — and the center
 * simulator over real TLS. The manager is set up in its windows (マネージャからのエクスプレス(HTTPS)
 * 通報の基本設定: port, receive state, relay key; 宛先設定: URL, CA file, テスト通報, enable → its
 * receive service listens, shown live); the agent's (マネージャ経由)の設定 takes the manager's
 * address, port and relay key, and its テスト通報 reaches the center through the manager and pins
 * the manager's certificate, shown in both windows. Then the agents list, and the mail/dial-up
 * edition's basic settings with 宛先登録 (a real key file issued by the center tool) and its
 * routes' [設定(S)...], a changed manager certificate accepted in the agent's window, the
 * agent window of the mail / dial-up edition and in English, and [新しいキーを作成]. Every window
 * is checked with axe; page errors are checked before each window is closed.
 * Screenshots to docs/screenshots/relay-*.png.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { issueKeyFile } from '../center/issue-key-file';
import type { Center } from '../helpers/center';
import { launchBrowser, makeDataDir, openWindow, startBackend, stopAllBackends, type Backend, type OpenWindow } from './harness';
import { AGENT_ENV, AGENT_HTTPS, MANAGER_ENV, MANAGER_EXPRESS, MANAGER_HTTPS, must, relayDialogs, relayShot, showFailure, startRelayPeers, testResult } from './relay-dialogs';

const SCREEN = { width: 1024, height: 800 };
const HTTPS_BASIC = 'マネージャからのエクスプレス(HTTPS)通報の基本設定';
const HTTPS_DEST = 'マネージャからのエクスプレス(HTTPS)通報の宛先設定';
const EXPRESS_BASIC = 'マネージャからのエクスプレス通報の基本設定';
const AGENT_WINDOW = `${AGENT_HTTPS}(マネージャ経由)の設定`;

let browser: Browser;
let center: Center;
let manager: Backend;
let agent: Backend;
let managerWin: OpenWindow;
let agentWin: OpenWindow;
let page: Page;
let port: number;
const managerData = makeDataDir();
const agentData = makeDataDir();

beforeAll(async () => {
  ({ center, manager, agent, port } = await startRelayPeers(managerData.dir, agentData.dir));
  browser = await launchBrowser();
  managerWin = await openWindow(browser, manager, SCREEN);
  agentWin = await openWindow(browser, agent, SCREEN);
  page = managerWin.page;
}, 60_000);

afterEach((ctx) => showFailure(ctx, page, ''));

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await center?.stop();
  managerData.remove();
  agentData.remove();
});

const shot = (name: string) => relayShot(page, name);

const ui = () => relayDialogs(page);

/** テスト通報 → テスト結果送付先の選択 (the default mail) → はい → the result box's text (then OK). */
async function runTest(scope: Locator, button: string, title: string): Promise<string> {
  const { box, text } = await testResult(page, scope, button, title);
  await box.getByRole('button', { name: 'OK' }).click();
  await box.waitFor({ state: 'detached' });
  return text;
}

describe('the relay windows (a manager and an agent, each a real serve process, and the center simulator)', () => {
  it('マネージャからのエクスプレス(HTTPS)通報の基本設定: port with 初期値, not listening while disabled, the relay key shown; OK stores the port', async () => {
    page = managerWin.page;
    const { basic, window } = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
    const portField = window.getByRole('textbox', { name: 'ポート番号(P)' });
    expect(await portField.inputValue()).toBe('31138');
    const text = await window.textContent();
    expect(text).toContain('変更する場合はエージェントでも同一のポート番号を指定してください');
    expect(text).toContain('プロキシ: 使用しない');
    await expect.poll(() => window.getByTestId('receiver-state').textContent()).toContain('受信していません(通報手段が無効です');
    const key = (await must(manager, 'manager:key', {})).key;
    await expect.poll(() => window.getByTestId('relay-key').textContent()).toBe(key);
    await portField.fill('1');
    await page.keyboard.press('Alt+e');
    expect(await portField.inputValue()).toBe('31138');
    await portField.fill('0');
    await window.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => window.textContent()).toContain('ポート番号は 1 から 65535 までの数字で入力してください。');
    await portField.fill(String(port));
    await shot('https-basic');
    await window.getByRole('button', { name: 'プロキシの設定(S)...' }).click();
    const proxy = ui().dialog('プロキシの設定');
    await proxy.waitFor();
    await proxy.getByRole('button', { name: 'キャンセル' }).click();
    await proxy.waitFor({ state: 'detached' });
    await window.getByRole('button', { name: 'OK', exact: true }).click();
    await window.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    expect((await must(manager, 'settings:get', {})).methods['manager-express-https'].receivePort).toBe(port);
  });

  it('宛先設定: the seed\'s caution, テスト通報 to the center, OK → enable → the receive service listens, shown live in the basic settings', async () => {
    page = managerWin.page;
    const parts = await ui().openDestinations(MANAGER_HTTPS, HTTPS_DEST);
    const { dest } = parts;
    expect(await dest.textContent()).toContain('宛先定義ファイルの読み込みはおこなわないでください');
    await dest.getByRole('textbox', { name: '1 次通報先 URL(1)' }).fill(center.url);
    await dest.getByRole('textbox', { name: 'CA ファイル(C)' }).fill(center.ca);
    await shot('https-destination');
    const result = await runTest(dest, 'テスト通報(1次)(T)', MANAGER_HTTPS);
    expect(result).toContain('成功');
    expect(center.reports().filter((r) => r.kind === 'test')).toHaveLength(1);
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    const question = ui().box(MANAGER_HTTPS);
    await question.getByRole('button', { name: 'はい(Y)' }).click();
    await dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);

    const { basic, window } = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
    await expect.poll(() => window.getByTestId('receiver-state').textContent()).toContain(`受信中: 127.0.0.1:${port}`);
    const status = await must(manager, 'manager:status', {});
    expect(status.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(await window.getByTestId('manager-fingerprint').textContent()).toBe(status.fingerprint);
    // live: disabling the method stops the receive service, and the window says so without being reopened
    await must(manager, 'methods:setEnabled', { name: 'manager-express-https', enabled: false });
    await expect.poll(() => window.getByTestId('receiver-state').textContent(), { timeout: 10_000 }).toContain('受信していません');
    await must(manager, 'methods:setEnabled', { name: 'manager-express-https', enabled: true });
    await expect.poll(() => window.getByTestId('receiver-state').textContent(), { timeout: 10_000 }).toContain(`受信中: 127.0.0.1:${port}`);
    await shot('https-listening');
    await window.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await window.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
  }, 60_000);

  it('the agent\'s (マネージャ経由)の設定: host, port and relay key; テスト通報 goes through the manager to the center and pins its certificate; 開局通報 follows', async () => {
    page = agentWin.page;
    await must(agent, 'settings:patch', { changes: { 'methods.express-https.route': 'manager' } });
    const key = (await must(manager, 'manager:key', {})).key;
    const managerFingerprint = (await must(manager, 'manager:status', {})).fingerprint;
    const parts = await ui().openDestinations(AGENT_HTTPS, AGENT_WINDOW);
    const { dest } = parts;
    expect(await dest.getByTestId('pinned-fingerprint').textContent()).toContain('まだ登録されていません');
    await dest.getByRole('textbox', { name: 'IP アドレス(またはホスト名)(I)' }).fill('127.0.0.1');
    await dest.getByRole('textbox', { name: 'ポート番号(N)' }).fill(String(port));
    await dest.getByLabel('リレーキー(K)').fill(key.toLowerCase().replace(/-/g, ' '));
    await shot('agent');
    // 証明書の確認: what the manager presents, nothing sent
    await dest.getByRole('button', { name: '証明書の確認(C)' }).click();
    const probe = ui().box('マネージャ証明書の指紋');
    await probe.waitFor({ timeout: 15_000 });
    expect(await probe.textContent()).toContain(managerFingerprint);
    await probe.getByRole('button', { name: 'OK' }).click();
    await probe.waitFor({ state: 'detached' });
    const before = center.reports().filter((r) => r.kind === 'test').length;
    const result = await runTest(dest, 'テスト通報(T)', AGENT_HTTPS);
    expect(result).toContain('成功');
    expect(center.reports().filter((r) => r.kind === 'test')).toHaveLength(before + 1);
    // the test used the window's values and stored nothing: the certificate it reached is pinned by OK
    await expect.poll(() => dest.getByTestId('pending-fingerprint').textContent()).toContain(managerFingerprint!);
    expect((await must(agent, 'settings:get', {})).methods['express-https'].manager.fingerprint).toBe('');
    expect(await dest.getByRole('button', { name: '開局通報(O)' }).isDisabled()).toBe(false);
    await shot('agent-tested');
    // 開局通報 after the test: the opening and its configuration report travel through the manager
    await dest.getByRole('button', { name: '開局通報(O)' }).click();
    const syntax = ui().box(AGENT_HTTPS).filter({ hasText: '構文エラーがあります' });
    const done = ui().box(AGENT_HTTPS).filter({ hasText: '開局通報に成功しました。' });
    await Promise.race([syntax.waitFor({ timeout: 60_000 }), done.waitFor({ timeout: 60_000 })]);
    if (await syntax.count()) await syntax.getByRole('button', { name: 'OK' }).click();
    await done.waitFor({ timeout: 60_000 });
    await done.getByRole('button', { name: 'OK' }).click();
    await done.waitFor({ state: 'detached' });
    expect(center.reports().some((r) => r.kind === 'opening')).toBe(true);
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);
    const stored = (await must(agent, 'settings:get', {})).methods['express-https'].manager;
    expect(stored).toMatchObject({ host: '127.0.0.1', port, key: '********', fingerprint: managerFingerprint });

    // opened again: the pinned fingerprint shown, the stored key kept, and the manager presents the pinned certificate
    const again = await ui().openDestinations(AGENT_HTTPS, AGENT_WINDOW);
    expect(await again.dest.getByTestId('pinned-fingerprint').textContent()).toBe(managerFingerprint);
    expect(await again.dest.textContent()).toContain('登録済みのリレーキーを使います');
    await again.dest.getByRole('button', { name: '証明書の確認(C)' }).click();
    const matches = ui().box('マネージャ証明書の指紋').filter({ hasText: '一致します' });
    await matches.waitFor({ timeout: 15_000 });
    await matches.getByRole('button', { name: 'OK' }).click();
    await matches.waitFor({ state: 'detached' });
    expect(await again.dest.getByRole('button', { name: '提示された証明書を受け入れる(A)' }).count()).toBe(0);
    await shot('agent-pinned');
    await again.dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await again.dest.waitFor({ state: 'detached' });
    await ui().closeList(again);
    // a test with the stored values goes through the manager again, checked against the pin
    const before2 = center.reports().filter((r) => r.kind === 'test').length;
    const outcome = await must(agent, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(outcome.delivered, outcome.message).toBe(true);
    expect(center.reports().filter((r) => r.kind === 'test')).toHaveLength(before2 + 1);
  }, 120_000);

  it('エージェント一覧: the agent that reported, with its server name, user system code and address', async () => {
    page = managerWin.page;
    const { basic, window } = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
    await window.getByRole('button', { name: 'エージェント一覧(G)...' }).click();
    const agents = ui().dialog('エージェント一覧');
    const row = agents.getByRole('row').filter({ hasText: 'AGENT01' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('OPFILELESS');
    expect(text).toContain('127.0.0.1');
    await shot('agents');
    await agents.getByRole('button', { name: 'OK', exact: true }).click();
    await agents.waitFor({ state: 'detached' });
    await window.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await basic.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
  });

  it('マネージャからのエクスプレス通報の基本設定: 31136, 宛先登録 through the FD reader (a wrong path named, then a real key file), route and S/MIME stored by OK', async () => {
    page = managerWin.page;
    const { basic, window } = await ui().openBasic(MANAGER_EXPRESS, EXPRESS_BASIC);
    expect(await window.getByRole('textbox', { name: 'ポート番号(P)' }).inputValue()).toBe('31136');
    const text = await window.textContent();
    expect(text).toContain('保守センターの宛先の登録を行う必要があります');
    expect(text).toContain('特に保守契約先から指定がないかぎり、宛先登録は不要です');
    expect(await window.getByRole('checkbox', { name: 'S/MIME有効(M)' }).isChecked()).toBe(true);
    expect(await window.getByRole('button', { name: '設定(S)...' }).isDisabled()).toBe(true);
    await shot('express-basic');
    await window.getByRole('button', { name: '宛先登録(A)...' }).click();
    const wizard = ui().dialog('通報開局FD読み取りツール');
    await wizard.waitFor();
    expect(await wizard.textContent()).toContain('通報開局FD内を読み込む必要があります');
    await shot('register');
    const missing = path.join(managerData.dir, 'missing.key');
    await wizard.getByRole('textbox', { name: '開局キーファイルのパス(P)' }).fill(missing);
    await wizard.getByRole('button', { name: '次へ(N) >' }).click();
    await expect.poll(() => wizard.textContent()).toContain('missing.key');
    const issued = await issueKeyFile({ out: path.join(managerData.dir, 'center.key'), dataDir: center.dataDir, mail: 'center@example.co.jp', phones: ['03-1111-2222', ''] });
    await wizard.getByRole('textbox', { name: '開局キーファイルのパス(P)' }).fill(issued.file);
    await wizard.getByRole('button', { name: '次へ(N) >' }).click();
    await wizard.getByTestId('register-done').waitFor();
    expect(await wizard.textContent()).toContain(issued.userSystemCode);
    await shot('register-done');
    await wizard.getByRole('button', { name: '完了' }).click();
    await wizard.waitFor({ state: 'detached' });
    await expect.poll(() => window.getByTestId('registered-state').textContent()).toContain('宛先登録済み');
    await window.getByRole('radio', { name: 'インターネットメール経由(I)' }).check();
    await window.getByRole('button', { name: '設定(S)...' }).click();
    const mail = ui().dialog('マネージャからのエクスプレス通報(インターネット メール経由)の基本設定');
    await mail.waitFor();
    await mail.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await mail.waitFor({ state: 'detached' });
    await window.getByRole('radio', { name: 'ダイヤルアップ経由(D)' }).check();
    // [設定(S)...] opens the route's own window for the manager's forwarding
    await window.getByRole('button', { name: '設定(S)...' }).click();
    const dialup = ui().dialog('マネージャからのエクスプレス通報(ダイヤルアップ経由)');
    await dialup.waitFor();
    await dialup.getByRole('button', { name: '到達確認テスト(1次)' }).waitFor();
    await dialup.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dialup.waitFor({ state: 'detached' });
    await window.getByRole('checkbox', { name: 'S/MIME有効(M)' }).uncheck();
    await window.getByRole('button', { name: 'OK', exact: true }).click();
    await window.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    const stored = (await must(manager, 'settings:get', {})).methods['manager-express'];
    expect(stored).toMatchObject({ forward: 'dialup', smime: false, receivePort: 31136 });
    expect(stored.destinationsRegisteredAt).not.toBeNull();
  }, 45_000);

  it('a changed manager certificate: the agent’s window shows the one presented, the test is refused until it is accepted', async () => {
    expect(managerWin.errors).toEqual([]);
    // the manager gets a new certificate (its window closed first: the restarted backend has another token)
    await managerWin.context.close();
    await manager.stop();
    rmSync(path.join(managerData.dir, 'relay', 'manager-cert.pem'));
    rmSync(path.join(managerData.dir, 'relay', 'manager-key.pem'));
    manager = await startBackend(managerData.dir, 'ja_JP.UTF-8', MANAGER_ENV);
    const status = await (async () => {
      for (let i = 0; i < 100; i++) {
        const s = await must(manager, 'manager:status', {});
        if (s.receivers.some((r) => r.method === 'manager-express-https' && r.listening)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the manager does not listen again');
    })();
    const oldPin = (await must(agent, 'settings:get', {})).methods['express-https'].manager.fingerprint;
    expect(status.fingerprint).not.toBe(oldPin);
    const refused = await must(agent, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(refused.delivered).toBe(false);

    page = agentWin.page;
    const parts = await ui().openDestinations(AGENT_HTTPS, AGENT_WINDOW);
    const { dest } = parts;
    await dest.getByRole('button', { name: '証明書の確認(C)' }).click();
    const changed = ui().box('マネージャ証明書の指紋').filter({ hasText: '証明書が変わっています' });
    await changed.waitFor({ timeout: 15_000 });
    await changed.getByRole('button', { name: 'OK' }).click();
    await changed.waitFor({ state: 'detached' });
    expect(await dest.getByTestId('presented-fingerprint').textContent()).toContain(status.fingerprint!);
    await shot('agent-changed');
    await dest.getByRole('button', { name: '提示された証明書を受け入れる(A)' }).click();
    const question = ui().box('マネージャ証明書の指紋').filter({ hasText: '照合しましたか' });
    await question.getByRole('button', { name: 'OK' }).click();
    const trusted = ui().box('マネージャ証明書の指紋').filter({ hasText: '登録しました' });
    await trusted.getByRole('button', { name: 'OK' }).click();
    await trusted.waitFor({ state: 'detached' });
    await expect.poll(() => dest.getByTestId('pinned-fingerprint').textContent()).toBe(status.fingerprint);
    await dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);
    expect((await must(agent, 'settings:get', {})).methods['express-https'].manager.fingerprint).toBe(status.fingerprint);
    const outcome = await must(agent, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(outcome.delivered, outcome.message).toBe(true);
  }, 60_000);

  it('the Express (mail / dial-up edition) agent window: port 31136, the relay key, and the seed’s note on the result by mail / none by dial-up; in English too', async () => {
    page = agentWin.page;
    await must(agent, 'settings:patch', { changes: { 'methods.express.route': 'manager' } });
    const parts = await ui().openDestinations('エクスプレス通報サービス', 'エクスプレス通報サービス(マネージャ経由)の設定');
    const { dest } = parts;
    expect(await dest.getByRole('textbox', { name: 'ポート番号(N)' }).inputValue()).toBe('31136');
    await dest.getByLabel('リレーキー(K)').waitFor();
    const text = await dest.textContent();
    expect(text).toContain('指定した結果送付先にメールで届きます');
    expect(text).toContain('テスト結果は送付されません');
    await dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);

    await must(agent, 'settings:patch', { changes: { 'ui.language': 'en' } });
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('menubar').getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Destination List Setting...' }).click();
    const list = ui().dialog('Destination List Setting');
    await list.getByRole('option', { name: /^Express Report Service / }).first().click();
    await list.getByRole('button', { name: 'Modify...' }).click();
    const id = ui().dialog('ID Setting');
    await id.getByRole('button', { name: 'Destination...' }).click();
    const en = page.getByRole('dialog').filter({ hasText: 'Relay key' });
    await en.waitFor();
    expect(await en.textContent()).toContain('no test result is sent');
    await shot('agent-en');
    await en.getByRole('button', { name: 'Cancel', exact: true }).click();
    await en.waitFor({ state: 'detached' });
    await id.getByRole('button', { name: 'OK', exact: true }).click();
    await list.getByRole('button', { name: 'OK', exact: true }).click();
    await list.waitFor({ state: 'detached' });
    await must(agent, 'settings:patch', { changes: { 'ui.language': 'ja', 'methods.express.route': null } });
  });

  it('[新しいキーを作成]: asked first, the new key shown and the manager’s; an agent with the old key is refused, given the new one it reports through the manager', async () => {
    const fresh = await openWindow(browser, manager, SCREEN);
    page = fresh.page;
    try {
      const old = (await must(manager, 'manager:key', {})).key;
      const { basic, window } = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
      await expect.poll(() => window.getByTestId('relay-key').textContent()).toBe(old);
      await window.getByRole('button', { name: '新しいキーを作成(K)...' }).click();
      const question = ui().box('リレーキー').filter({ hasText: 'すべてのエージェントの通報が拒否されます' });
      await question.getByRole('button', { name: 'OK' }).click();
      const made = ui().box('リレーキー').filter({ hasText: '新しいリレーキーを作成しました' });
      await made.getByRole('button', { name: 'OK' }).click();
      await made.waitFor({ state: 'detached' });
      const renewed = (await must(manager, 'manager:key', {})).key;
      expect(renewed).not.toBe(old);
      await expect.poll(() => window.getByTestId('relay-key').textContent()).toBe(renewed);
      await window.getByRole('button', { name: 'キャンセル', exact: true }).click();
      await basic.getByRole('button', { name: 'キャンセル', exact: true }).click();
      await basic.waitFor({ state: 'detached' });
      // a fresh link (the agent restarted: a link opened before the renewal is not cut by it) with the old key is refused
      expect(agentWin.errors).toEqual([]);
      await agentWin.context.close();
      await agent.stop();
      agent = await startBackend(agentData.dir, 'ja_JP.UTF-8', AGENT_ENV);
      const refused = await must(agent, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
      expect(refused.delivered).toBe(false);
      await must(agent, 'settings:patch', { changes: { 'methods.express-https.manager.key': renewed } });
      const outcome = await must(agent, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
      expect(outcome.delivered, outcome.message).toBe(true);
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  }, 45_000);
});
