/**
 * Issue 13: a manager that is down. The agent (an AlertService in this test process, its queue
 * on a manual clock so that its 5-minute retry takes no real time) keeps the report in its own
 * durable queue while the manager (a real `serve` process, killed with SIGKILL) is down, and
 * delivers it on its retry once the manager is back; the center has it once.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelayLinks } from '../../src-main/channels/relay/agent-reporter';
import { AlertService } from '../../src-main/core/alert-service';
import { ManualClock } from '../../src-main/queue';
import type { ApiMethod, Params, Result } from '../../src-shared/api';
import { startCenter, type Center } from '../helpers/center';
import { freePort, setUpManager, startProduct, until, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-down-');
let center: Center;
let manager: Product;
let agent: AlertService;
let port: number;
const clock = new ManualClock(Date.now());

async function call<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> {
  const out = await agent.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
}

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  manager = await startProduct(path.join(tmp.dir, 'manager'));
  const key = await setUpManager(manager, { center, port });
  await manager.waitForLog(/listening on 127\.0\.0\.1:/);
  agent = await AlertService.open({
    dataDir: path.join(tmp.dir, 'agent'),
    osLocale: 'en_US.UTF-8',
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    hostName: () => 'AGENT-DOWN',
    opening: { hostName: () => 'AGENT-DOWN' },
  });
  await call('opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: true },
    device: { serverName: 'AGENT-DOWN', deviceCode: 'N8100-XXX', serialNumber: 'S1', warrantyNumber: '12345678' },
  });
  const m = 'methods.express-https';
  await call('settings:patch', { changes: { [`${m}.route`]: 'manager', [`${m}.manager.host`]: '127.0.0.1', [`${m}.manager.port`]: port, [`${m}.manager.key`]: key } });
  const test = await call('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
  expect(test.delivered, test.message).toBe(true);
  const opening = await call('report:opening', { method: 'express-https', destination: 1, ignoreSyntaxErrors: true });
  expect(opening.stage).toBe('done');
  await call('methods:setEnabled', { name: 'express-https', enabled: true });
  await agent.startBackground(() => undefined);
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await closeRelayLinks();
  await Promise.all([manager?.stop(), center?.stop()]);
  tmp.remove();
});

describe('a manager that is down', () => {
  it('the agent keeps the report and delivers it once the manager is back; the center stores it once', async () => {
    await manager.kill();
    const out = await call('report:event', { source: 'relay-down', eventId: '0xC0000002', message: 'fan failure', wait: true });
    const id = out.items[0]!.id;
    expect(out.items[0]!.state).toBe('retrying');
    expect(out.items[0]!.lastError).toMatchObject({ channel: 'relay', step: 'connect' });
    expect(center.reports().some((r) => r.id === id)).toBe(false);

    manager = await startProduct(manager.dataDir);
    await manager.waitForLog(/listening on 127\.0\.0\.1:/);
    // The agent's next attempt is one retry interval (5 minutes) later.
    await clock.advance(5 * 60_000 + 1000, () => agent.idle());
    await until(async () => (await call('history:list', {})).find((i) => i.id === id)?.state === 'delivered', 10_000, 'the delivery');
    await until(() => center.reports().some((r) => r.id === id), 20_000, 'the alert at the center');
    expect(center.reports().filter((r) => r.id === id)).toHaveLength(1);
  });
});
