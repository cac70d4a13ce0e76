/**
 * Issue 13: agent → manager → center by HTTPS with two real product instances (each its own
 * `node bin/express-report.cjs serve` and data folder) and the center simulator
 * (`express-center serve`). The manager's receive port is closed while its method is disabled;
 * a wrong relay key is refused and logged with the address; a changed manager certificate is
 * refused until it is accepted again.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type Center } from '../helpers/center';
import { freePort, setUpAgent, setUpManager, startProduct, until, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-');
let center: Center;
let manager: Product;
let agent: Product;
let port: number;
let key: string;

function connects(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(p, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  manager = await startProduct(path.join(tmp.dir, 'manager'));
  agent = await startProduct(path.join(tmp.dir, 'agent'));
}, 60_000);

afterAll(async () => {
  await Promise.all([agent?.stop(), manager?.stop(), center?.stop()]);
  tmp.remove();
});

describe('relay through a manager by HTTPS (two serve processes and the center simulator)', () => {
  it('the receive port is closed until the manager method is enabled, then it listens with its own certificate', async () => {
    expect(await connects(port)).toBe(false);
    const before = await manager.call('manager:status', {});
    expect(before.receivers.find((r) => r.method === 'manager-express-https')).toMatchObject({ enabled: false, listening: false, address: null });
    key = await setUpManager(manager, { center, port });
    expect(key).toMatch(/^([A-Z2-9]{4}-){7}[A-Z2-9]{4}$/);
    await manager.waitForLog(/relay manager-express-https: listening on 127\.0\.0\.1:/);
    expect(await connects(port)).toBe(true);
    const status = await manager.call('manager:status', {});
    expect(status.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(status.receivers.find((r) => r.method === 'manager-express-https')).toMatchObject({ enabled: true, listening: true, address: `127.0.0.1:${port}`, forwardProblem: null });
  });

  it('a test report goes to the manager and on to the center, and pins the manager certificate', async () => {
    await setUpAgent(agent, 'AGENT01', { port, key });
    const outcome = await agent.call('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(outcome.delivered, outcome.message).toBe(true);
    expect(outcome.destination).toBe(`127.0.0.1:${port}`);
    const tests = center.reports().filter((r) => r.kind === 'test');
    expect(tests).toHaveLength(1);
    const agentHistory = await agent.call('history:list', {});
    expect(tests[0]!.id).toBe(agentHistory[0]!.id);
    const settings = await agent.call('settings:get', {});
    const status = await manager.call('manager:status', {});
    expect(settings.methods['express-https'].manager.fingerprint).toBe(status.fingerprint);
    expect(settings.methods['express-https'].testedAt).not.toBeNull();
  });

  it('the opening report and its configuration report travel through the manager; an alert is acknowledged once durable and reaches the center once', async () => {
    const opening = await agent.call('report:opening', { method: 'express-https', destination: 1, ignoreSyntaxErrors: true });
    expect(opening.stage, JSON.stringify(opening)).toBe('done');
    await agent.call('methods:setEnabled', { name: 'express-https', enabled: true });
    const fault = await agent.call('report:event', { source: 'relay-test', eventId: '0xC0000001', message: 'disk failure', wait: true });
    expect(fault.items).toHaveLength(1);
    expect(fault.items[0]!.state).toBe('delivered');
    const id = fault.items[0]!.id;
    await until(() => center.reports().some((r) => r.id === id), 20_000, 'the alert at the center');
    expect(center.reports().filter((r) => r.id === id)).toHaveLength(1);
    const kinds = center.reports().map((r) => r.kind).sort();
    expect(kinds).toEqual(['alert', 'heartbeat', 'opening', 'test']);
    // The manager's history shows where it came from, on its own method's lane.
    const forwarded = (await manager.call('history:list', {})).find((i) => i.id === id)!;
    expect(forwarded).toMatchObject({ method: 'express-https', lane: 'manager-express-https', state: 'delivered' });
    expect(forwarded.from).toMatchObject({ serverName: 'AGENT01', userSystemCode: 'OPFILELESS' });
    expect(forwarded.from!.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const agents = await manager.call('manager:agents', {});
    expect(agents.agents).toHaveLength(1);
    expect(agents.agents[0]).toMatchObject({ serverName: 'AGENT01', userSystemCode: 'OPFILELESS', method: 'manager-express-https', silent: false, notice: null });
    expect(agents.agents[0]!.reports).toBeGreaterThanOrEqual(4);
    expect(agents.agents[0]!.lastReportAt).not.toBeNull();
  });

  it('a wrong relay key is refused, and the manager logs the refusal with the address', async () => {
    await agent.call('settings:set', { key: 'methods.express-https.manager.key', value: 'WRONG-KEY0-0000' });
    const outcome = await agent.call('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(outcome.delivered).toBe(false);
    expect(outcome.step).toBe('manager-auth');
    const line = await manager.waitForLog(/refused 127\.0\.0\.1:\d+ \(AGENT01, OPFILELESS\): the relay key does not match/);
    expect(line).not.toContain('WRONG');
    expect(manager.log()).not.toContain(key);
    await agent.call('settings:set', { key: 'methods.express-https.manager.key', value: key });
  });

  it('a changed manager certificate is refused with the reason until the administrator accepts it; the alert it refused then goes at once', async () => {
    const old = (await manager.call('manager:status', {})).fingerprint!;
    await manager.stop();
    rmSync(path.join(manager.dataDir, 'relay', 'manager-cert.pem'));
    manager = await startProduct(manager.dataDir);
    await manager.waitForLog(/listening on 127\.0\.0\.1:/);
    const now = (await manager.call('manager:status', {})).fingerprint!;
    expect(now).not.toBe(old);
    const refused = await agent.call('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(refused.delivered).toBe(false);
    expect(refused.step).toBe('manager-cert');
    expect(refused.message).toContain(now);
    expect(refused.message).toContain(old);
    const probe = await agent.call('manager:probe', { method: 'express-https' });
    expect(probe).toMatchObject({ reached: true, fingerprint: now, pinned: old, matches: false, forward: 'https' });
    const alert = await agent.call('report:event', { source: 'relay-test', eventId: '0xC0000002', message: 'fan failure', wait: true });
    const held = alert.items[0]!;
    expect(held).toMatchObject({ state: 'retrying', lastError: { step: 'manager-cert' } });
    expect(Date.parse(held.nextAttemptAt!) - Date.now(), 'its next retry is minutes away').toBeGreaterThan(60_000);
    expect((await agent.call('manager:trust', { method: 'express-https', fingerprint: now })).pinned).toBe(now);
    // Not at its retry minutes later: as soon as the certificate is accepted.
    await until(() => center.reports().some((r) => r.id === held.id), 15_000, 'the refused alert at the center');
    expect(center.reports().filter((r) => r.id === held.id)).toHaveLength(1);
    expect((await agent.call('history:list', {})).find((i) => i.id === held.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    const accepted = await agent.call('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(accepted.delivered, accepted.message).toBe(true);
  });

  it('a new relay key closes the open links: an agent with the old key is refused on its next report, and delivers again with the new one', async () => {
    const result = { kind: 'mail', address: 'result@example.co.jp' } as const;
    // A report first, so that the agent holds an open, proven link to the manager.
    expect((await agent.call('report:test', { method: 'express-https', destination: 1, result })).delivered).toBe(true);
    const renewed = await manager.call('manager:key', { renew: true });
    expect(renewed.key).not.toBe(key);
    await manager.waitForLog(/a new relay key was made; \d+ open link\(s\) closed/);
    const refused = await agent.call('report:test', { method: 'express-https', destination: 1, result });
    expect(refused.delivered).toBe(false);
    expect(refused.step).toBe('manager-auth');
    key = renewed.key;
    await agent.call('settings:set', { key: 'methods.express-https.manager.key', value: key });
    const again = await agent.call('report:test', { method: 'express-https', destination: 1, result });
    expect(again.delivered, again.message).toBe(true);
  });

  it('disabling the manager method stops its receive service: the port closes', async () => {
    await manager.call('methods:setEnabled', { name: 'manager-express-https', enabled: false });
    await until(async () => !(await connects(port)), 10_000, 'the port to close');
    const status = await manager.call('manager:status', {});
    expect(status.receivers.find((r) => r.method === 'manager-express-https')).toMatchObject({ enabled: false, listening: false });
  });
});
