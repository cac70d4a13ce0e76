/**
 * Issue 13, what the relay windows keep watching, end to end: real Chromium against two real
 * `serve` processes (a manager MANAGER01 and an agent AGENT01, each with its own data folder) and
 * the center simulator over real TLS.
 * - The manager's receive state follows its service by the service's own event
 *   (`manager:changed`), with no timed re-ask: a port another program holds is named, and once
 *   freed the window says 受信中 without any change of the settings.
 * - The manager certificate accepted in the agent's window is held by the agent's backend: after
 *   the administrator replaces the manager's certificate, every report (the window's テスト通報,
 *   an alert) is refused before a byte is sent, the window saying why, until the new one is
 *   accepted again in the window.
 * - エージェント一覧 flags an agent silent for more than twice its heartbeat interval.
 * Screenshots to docs/screenshots/relay-*.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Center } from '../helpers/center';
import { launchBrowser, makeDataDir, openWindow, startBackend, stopAllBackends, type Backend, type OpenWindow } from './harness';
import { AGENT_ENV, AGENT_HTTPS, agentWindow, closeBox, expectAlertRefusedAtCertificate, MANAGER_ENV, MANAGER_HTTPS, managerTarget, must, relayDialogs, relayShot, replaceManagerCertificate, showFailure, startRelayPeers, testRefusedAtCertificate, testResult } from './relay-dialogs';

const SCREEN = { width: 1024, height: 800 };
const HTTPS_BASIC = 'マネージャからのエクスプレス(HTTPS)通報の基本設定';
const AGENT_WINDOW = agentWindow(AGENT_HTTPS);
const RESULT = { kind: 'mail', address: 'result@example.co.jp' } as const;
/** how far ahead the restarted manager's clock runs (more than twice the agent's one-hour heartbeat) */
const AHEAD_MS = 3 * 3600_000;

let browser: Browser;
let center: Center;
let manager: Backend;
let agent: Backend;
let managerWin: OpenWindow;
let agentWin: OpenWindow;
let page: Page;
let port: number;
let blocker: Server | null = null;
const managerData = makeDataDir();
const agentData = makeDataDir();
const tools = mkdtempSync(path.join(os.tmpdir(), 'er-e2e-tools-'));

beforeAll(async () => {
  ({ center, manager, agent, port } = await startRelayPeers(managerData.dir, agentData.dir));
  // the manager's forwarding to the center (its windows are relay-windows.test.ts's), not enabled yet
  const m = 'methods.manager-express-https';
  await must(manager, 'settings:patch', { changes: { [`${m}.url1`]: center.url, [`${m}.caFile`]: center.ca, [`${m}.receivePort`]: port } });
  // the agent announces a one-hour heartbeat interval in its hello: silent after two hours
  await must(agent, 'settings:patch', { changes: { 'methods.express-https.route': 'manager', 'methods.express-https.manager.heartbeatHours': 1 } });
  browser = await launchBrowser();
  managerWin = await openWindow(browser, manager, SCREEN);
  agentWin = await openWindow(browser, agent, SCREEN);
  page = managerWin.page;
}, 60_000);

afterEach((ctx) => showFailure(ctx, page, 'watch-'));

afterAll(async () => {
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  await browser?.close();
  await stopAllBackends();
  await center?.stop();
  managerData.remove();
  agentData.remove();
  rmSync(tools, { recursive: true, force: true });
});

const shot = (name: string) => relayShot(page, name);

const ui = () => relayDialogs(page);
const testReports = () => center.reports().filter((r) => r.kind === 'test').length;

/** テスト通報 → テスト結果送付先の選択 (the default mail) → はい → the result box (left open for a screenshot) and its text. */
const runTest = (scope: Locator) => testResult(page, scope, 'テスト通報(T)', AGENT_HTTPS);

const pinnedInBackend = async () => (await must(agent, 'settings:get', {})).methods['express-https'].manager.fingerprint;

describe('what the relay windows watch (a manager and an agent, each a real serve process, and the center simulator)', () => {
  it('受信サービスの状態 follows the service by its own event, no timed re-ask: a port another program holds is named; freed, the window says 受信中 with no change of the settings', async () => {
    page = managerWin.page;
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const { basic, window } = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
    const state = window.getByTestId('receiver-state');
    await expect.poll(() => state.textContent()).toContain('通報手段が無効です');
    await must(manager, 'methods:setEnabled', { name: 'manager-express-https', enabled: true });
    // the reason is set only once the service tried: the window hears it from the service's event
    await expect.poll(() => window.getByTestId('receiver-problem').textContent(), { timeout: 10_000 }).toContain(`ポート番号 ${port} で受信できません。別のプログラムがこのポート番号を使用しています`);
    expect(await state.textContent()).toBe('受信していません。');
    await shot('receive-problem');
    // the other program ends; the service finds the port free on its own next look (every 30 s)
    // and says so: the settings do not change, so nothing but its event can tell the window
    const settingsBefore = JSON.stringify(await must(manager, 'settings:get', {}));
    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = null;
    await expect.poll(() => state.textContent(), { timeout: 45_000, interval: 250 }).toContain(`受信中: 127.0.0.1:${port}`);
    expect(await window.getByTestId('receiver-problem').count()).toBe(0);
    expect(JSON.stringify(await must(manager, 'settings:get', {}))).toBe(settingsBefore);
    // and disabling / enabling again, followed live
    await must(manager, 'methods:setEnabled', { name: 'manager-express-https', enabled: false });
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain('通報手段が無効です');
    await must(manager, 'methods:setEnabled', { name: 'manager-express-https', enabled: true });
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain(`受信中: 127.0.0.1:${port}`);
    await window.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await window.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    expect(managerWin.errors).toEqual([]);
  }, 90_000);

  it('the certificate accepted in the agent’s window is held by its backend: the manager’s certificate replaced, the window’s テスト通報 and an alert are refused before a byte is sent, the window says why; accepted again in the window, the test goes through', async () => {
    page = agentWin.page;
    const key = (await must(manager, 'manager:key', {})).key;
    const first = (await must(manager, 'manager:status', {})).fingerprint!;
    const parts = await ui().openDestinations(AGENT_HTTPS, AGENT_WINDOW);
    const { dest } = parts;
    const target = managerTarget(page, dest);
    await target.fill(port, key);
    // the person looks at the certificate first and accepts it, compared with the manager's window
    await target.acceptShown('まだ登録されていません', first);
    expect(await pinnedInBackend()).toBe(first);
    const before = testReports();
    const passed = await runTest(dest);
    expect(passed.text).toContain('テスト通報に成功しました。');
    await closeBox(passed.box);
    expect(testReports()).toBe(before + 1);
    await dest.getByRole('button', { name: 'OK', exact: true }).click();
    await dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);
    // the agent's opening report through the manager, and Express (HTTPS) enabled: its alerts go to the manager
    const opened = await must(agent, 'report:opening', { method: 'express-https', ignoreSyntaxErrors: true });
    expect(opened.stage).toBe('done');
    await must(agent, 'methods:setEnabled', { name: 'express-https', enabled: true });

    // the administrator replaces the manager's certificate and its receive service starts again with it
    const renewed = await replaceManagerCertificate(manager, 'manager-express-https');
    expect(renewed).not.toBe(first);
    const agentsBefore = (await must(manager, 'manager:agents', {})).agents.find((a) => a.serverName === 'AGENT01')!;

    // an alert (no window involved): refused by the agent's backend at the certificate, kept in its queue
    await expectAlertRefusedAtCertificate(agent, renewed, first);

    // the window's テスト通報: refused, the window saying why
    const { parts: again, target: renewedTarget, box: refusedBox } = await testRefusedAtCertificate(page, AGENT_HTTPS, first);
    await shot('agent-refused');
    expect(testReports()).toBe(before + 1);
    // nothing reached the manager: it saw no hello, no report from the agent since the change
    // (read before the box closes: then the window looks at the certificate, and that look is a hello)
    const agentsAfter = (await must(manager, 'manager:agents', {})).agents.find((a) => a.serverName === 'AGENT01')!;
    expect(agentsAfter).toMatchObject({ lastSeenAt: agentsBefore.lastSeenAt, reports: agentsBefore.reports });
    expect(await pinnedInBackend()).toBe(first);
    await closeBox(refusedBox);

    // the window offers what the manager presents now next to the pinned one, without being asked
    await expect.poll(() => renewedTarget.presented(), { timeout: 15_000 }).toContain(renewed);
    await shot('agent-refused-offered');
    // the person compares it with the manager's window and accepts it; the test goes through again
    await renewedTarget.acceptShown('証明書が変わっています', renewed);
    expect(await pinnedInBackend()).toBe(renewed);
    const ok = await runTest(again.dest);
    expect(ok.text).toContain('テスト通報に成功しました。');
    await closeBox(ok.box);
    expect(testReports()).toBe(before + 2);
    await again.dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await again.dest.waitFor({ state: 'detached' });
    await ui().closeList(again);
    expect(agentWin.errors).toEqual([]);
  }, 120_000);

  it('エージェント一覧 flags an agent silent for more than twice its heartbeat interval (the manager restarted with its clock 3 h ahead by a preload: two hours cannot pass in a test; the agents book is the one the real manager wrote), and the notice goes once the agent reports again', async () => {
    page = managerWin.page;
    const { basic, window } = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
    await window.getByRole('button', { name: 'エージェント一覧(G)...' }).click();
    let agents = ui().dialog('エージェント一覧');
    const row = () => agents.getByRole('row').filter({ hasText: 'AGENT01' });
    await row().waitFor();
    expect(await row().locator('.relay-problem').count()).toBe(0);
    expect(await agents.textContent()).not.toContain('応答のないエージェント');
    await agents.getByRole('button', { name: 'OK', exact: true }).click();
    await window.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await basic.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    expect(managerWin.errors).toEqual([]);
    expect(agentWin.errors).toEqual([]);
    const listed = (await must(manager, 'manager:agents', {})).agents.find((a) => a.serverName === 'AGENT01')!;
    expect(listed).toMatchObject({ heartbeatHours: 1, silent: false });

    // the agent goes silent (its service stops); the manager is restarted with its clock running 3 h ahead
    await agentWin.context.close();
    await agent.stop();
    await managerWin.context.close();
    await manager.stop();
    const preload = path.join(tools, 'clock-ahead.cjs');
    writeFileSync(
      preload,
      `const ahead = ${AHEAD_MS};\nconst Real = Date;\nclass Ahead extends Real { constructor(...a) { if (a.length === 0) super(Real.now() + ahead); else super(...a); } static now() { return Real.now() + ahead; } }\nglobalThis.Date = Ahead;\n`,
    );
    manager = await startBackend(managerData.dir, 'ja_JP.UTF-8', { ...MANAGER_ENV, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() });
    managerWin = await openWindow(browser, manager, SCREEN);
    page = managerWin.page;
    const reopened = await ui().openBasic(MANAGER_HTTPS, HTTPS_BASIC);
    await expect.poll(() => reopened.window.getByTestId('receiver-state').textContent(), { timeout: 15_000 }).toContain(`受信中: 127.0.0.1:${port}`);
    await reopened.window.getByRole('button', { name: 'エージェント一覧(G)...' }).click();
    agents = ui().dialog('エージェント一覧');
    await row().waitFor();
    const notice = row().locator('.relay-problem');
    await expect.poll(() => notice.textContent()).toContain('AGENT01 (ユーザシステムコード OPFILELESS) から 2 時間以上通報もハートビートもありません');
    expect(await agents.textContent()).toContain('応答のないエージェント: 1');
    await shot('agents-silent');

    // the agent is back and reports: the manager hears it, and the list says so when refreshed
    agent = await startBackend(agentData.dir, 'ja_JP.UTF-8', AGENT_ENV);
    const back = await must(agent, 'report:test', { method: 'express-https', destination: 1, result: RESULT });
    expect(back.delivered, back.message).toBe(true);
    await agents.getByRole('button', { name: '最新の情報に更新(R)' }).click();
    await expect.poll(() => notice.count()).toBe(0);
    expect(await agents.textContent()).not.toContain('応答のないエージェント');
    await agents.getByRole('button', { name: 'OK', exact: true }).click();
    await agents.waitFor({ state: 'detached' });
    await reopened.window.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await reopened.basic.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await reopened.basic.waitFor({ state: 'detached' });
    expect(managerWin.errors).toEqual([]);
  }, 120_000);
});
