/**
 * Issue 13, the agent's pin of the manager's certificate, the mail / dial-up edition, end to end:
 * real Chromium against two real `serve` processes (a manager MANAGER01 whose method
 * マネージャからのエクスプレス通報 forwards by mail, and an agent AGENT01 whose method
 * エクスプレス通報サービス goes through it), a real SMTP server (npm smtp-server, a child of the
 * test on 127.0.0.1) standing for the center's mail server, real TLS between the two products.
 * - In the agent's window: 基本設定 → マネージャ経由, the manager's address, port and relay key,
 *   the certificate looked at and accepted; テスト通報 reaches the manager and is forwarded by mail.
 * - The manager's certificate replaced: the window's テスト通報 and an alert are refused before a
 *   byte is sent, with the `manager-cert` step's reason; neither the manager's books nor the SMTP
 *   server see anything.
 * - The new certificate accepted in the window: the test goes through again, and the alert the
 *   agent held goes out by mail at once, not at its next retry minutes later.
 * Screenshot of the refusal to docs/screenshots/relay-express-refused.png.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueKeyFile } from '../center/issue-key-file';
import type { Center } from '../helpers/center';
import { startSmtpPeer, type SmtpPeer } from '../helpers/mail-smtp';
import { launchBrowser, makeDataDir, openWindow, stopAllBackends, type Backend, type OpenWindow } from './harness';
import { AGENT_EXPRESS, agentWindow, closeBox, expectAlertRefusedAtCertificate, listening, managerTarget, must, relayDialogs, relayShot, replaceManagerCertificate, showFailure, startRelayPeers, testRefusedAtCertificate, testResult } from './relay-dialogs';

const SCREEN = { width: 1024, height: 800 };
const AGENT_WINDOW = agentWindow(AGENT_EXPRESS);
const CENTER_MAIL = 'center@example.co.jp';

let browser: Browser;
let center: Center;
let smtp: SmtpPeer;
let manager: Backend;
let agent: Backend;
let agentWin: OpenWindow;
let page: Page;
let port: number;
let key: string;
let first: string;
/** the alert refused at the certificate, held in the agent's queue */
let heldAlert: string;
const managerData = makeDataDir();
const agentData = makeDataDir();

beforeAll(async () => {
  let peers: Awaited<ReturnType<typeof startRelayPeers>>;
  [peers, smtp] = await Promise.all([startRelayPeers(managerData.dir, agentData.dir), startSmtpPeer()]);
  ({ center, manager, agent, port } = peers);
  // the manager (its windows are relay-windows.test.ts's): 宛先登録 from the center's key file,
  // forwarding by mail to the SMTP server, the mail edition's receive service enabled
  const issued = await issueKeyFile({ out: path.join(managerData.dir, 'center.key'), dataDir: center.dataDir, mail: CENTER_MAIL });
  await must(manager, 'manager:register', { file: { path: issued.file } });
  const m = 'methods.manager-express';
  await must(manager, 'settings:patch', {
    changes: { [`${m}.receivePort`]: port, [`${m}.forward`]: 'mail', [`${m}.mail.smtpHost`]: '127.0.0.1', [`${m}.mail.smtpPort`]: smtp.port, [`${m}.mail.sender`]: 'manager@example.co.jp' },
  });
  await must(manager, 'methods:setEnabled', { name: 'manager-express', enabled: true });
  first = await listening(manager, 'manager-express');
  key = (await must(manager, 'manager:key', {})).key;
  browser = await launchBrowser();
  agentWin = await openWindow(browser, agent, SCREEN);
  page = agentWin.page;
}, 60_000);

afterEach((ctx) => showFailure(ctx, page, 'pin-express-'));

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  await Promise.all([smtp?.close(), center?.stop()]);
  for (const data of [managerData, agentData]) data.remove();
});

const ui = () => relayDialogs(page);
/** テスト通報 → テスト結果送付先の選択 (the default mail) → はい → the result box (left open) and its text. */
const runTest = (scope: Locator) => testResult(page, scope, 'テスト通報(T)', AGENT_EXPRESS);
const pinnedInBackend = async () => (await must(agent, 'settings:get', {})).methods.express.manager.fingerprint;
/** what the manager holds: its agents book (AGENT01's row) and its history */
const managerBooks = async () => ({
  agent: (await must(manager, 'manager:agents', {})).agents.find((a) => a.serverName === 'AGENT01') ?? null,
  history: (await must(manager, 'history:list', {})).map((i) => i.id),
});
/** the ids of the agent's test reports the SMTP server received (each forwarded mail carries its report's id) */
const mailed = (ids: string[]) => ids.filter((id) => smtp.received.some((r) => r.to.includes(CENTER_MAIL) && r.raw.toString('utf8').includes(id)));

/** `fingerprint` pinned in the backend; the window's テスト通報 succeeds: the report went to the manager, which forwarded it by mail. */
async function testGoesThrough(dest: Locator, fingerprint: string): Promise<void> {
  expect(await pinnedInBackend()).toBe(fingerprint);
  const passed = await runTest(dest);
  expect(passed.text).toContain('テスト通報に成功しました。');
  await closeBox(passed.box);
  const id = (await must(agent, 'history:list', {}))[0]!.id;
  await expect.poll(() => mailed([id]), { timeout: 15_000 }).toEqual([id]);
  const forwarded = (await must(manager, 'history:list', {})).find((i) => i.id === id);
  expect(forwarded).toMatchObject({ method: 'express', lane: 'manager-express', state: 'delivered', from: { serverName: 'AGENT01' } });
}

describe('the manager certificate pinned by an Express (mail / dial-up edition) agent: a manager forwarding by mail to a real SMTP server, an agent, each a real serve process', () => {
  it('in the agent’s window: マネージャ経由, the manager’s address and key, its certificate accepted; テスト通報 reaches the manager and is forwarded by mail', async () => {
    const { basic, window } = await ui().openBasic(AGENT_EXPRESS, 'エクスプレス通報サービスの基本設定');
    await window.getByRole('radio', { name: 'マネージャ経由(G)' }).check();
    await window.getByRole('button', { name: 'OK', exact: true }).click();
    await window.waitFor({ state: 'detached' });
    await basic.getByRole('button', { name: 'OK', exact: true }).click();
    await basic.waitFor({ state: 'detached' });
    expect((await must(agent, 'settings:get', {})).methods.express.route).toBe('manager');

    const parts = await ui().openDestinations(AGENT_EXPRESS, AGENT_WINDOW);
    const target = managerTarget(page, parts.dest);
    expect(await parts.dest.getByRole('textbox', { name: 'ポート番号(N)' }).inputValue()).toBe('31136');
    await target.fill(port, key);
    // the person looks at the certificate first and accepts it, compared with the manager's window
    await target.acceptShown('まだ登録されていません', first);
    await testGoesThrough(parts.dest, first);
    expect(smtp.received).toHaveLength(1);
    await parts.dest.getByRole('button', { name: 'OK', exact: true }).click();
    await parts.dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);
    const stored = (await must(agent, 'settings:get', {})).methods.express.manager;
    expect(stored).toMatchObject({ host: '127.0.0.1', port, fingerprint: first });
    // Express enabled: the agent's alerts go to the manager
    await must(agent, 'methods:setEnabled', { name: 'express', enabled: true });
    expect(agentWin.errors).toEqual([]);
  }, 90_000);

  it('the manager’s certificate replaced: the window’s テスト通報 and an alert are refused with the manager-cert reason; nothing reaches the manager’s books or the SMTP server', async () => {
    const renewed = await replaceManagerCertificate(manager, 'manager-express');
    expect(renewed).not.toBe(first);
    const booksBefore = await managerBooks();
    const mailsBefore = smtp.received.length;

    heldAlert = await expectAlertRefusedAtCertificate(agent, renewed, first);

    const { parts, target, box } = await testRefusedAtCertificate(page, AGENT_EXPRESS, first);
    await relayShot(page, 'express-refused');
    // read before the box closes: then the window looks at the certificate, and that look is a hello
    expect(await managerBooks()).toEqual(booksBefore);
    expect(smtp.received).toHaveLength(mailsBefore);
    expect(await pinnedInBackend()).toBe(first);
    await closeBox(box);
    // the window offers what the manager presents now, without being asked
    await expect.poll(() => target.presented(), { timeout: 15_000 }).toContain(renewed);
    await parts.dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await parts.dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);
    expect(smtp.received).toHaveLength(mailsBefore);
    expect(agentWin.errors).toEqual([]);
  }, 90_000);

  it('the new certificate accepted in the window: the test goes through the manager and out by mail again; the held alert follows at once, not at its retry minutes later', async () => {
    const renewed = (await must(manager, 'manager:status', {})).fingerprint!;
    const parts = await ui().openDestinations(AGENT_EXPRESS, AGENT_WINDOW);
    const target = managerTarget(page, parts.dest);
    await target.acceptShown('証明書が変わっています', renewed);
    await testGoesThrough(parts.dest, renewed);
    await parts.dest.getByRole('button', { name: 'キャンセル', exact: true }).click();
    await parts.dest.waitFor({ state: 'detached' });
    await ui().closeList(parts);
    expect(agentWin.errors).toEqual([]);
    // nothing accepted is lost: the alert the agent held goes out once, as soon as the certificate is accepted
    await expect.poll(() => mailed([heldAlert]), { timeout: 20_000, interval: 500 }).toEqual([heldAlert]);
    const held = (await must(agent, 'history:list', {})).find((i) => i.id === heldAlert);
    expect(held?.state).toBe('delivered');
    expect(smtp.received.filter((r) => r.raw.toString('utf8').includes(heldAlert))).toHaveLength(1);
  }, 60_000);
});
