/**
 * Issue 13, forwarding by dial-up: three agents (IN-PROCESS AGENT REPORTERS, the product's
 * manager-target reporter) report to a manager (an AlertService in this process, its dial-up
 * channel with short modem times and a lock folder of the test's own) whose マネージャからの
 * エクスプレス通報 forwards by dial-up; the center's modem (`express-center modem` on a socat pty
 * pair, through the real serialport binding) receives every report once. The manager's dial-up
 * lane makes one call at a time; that one call carries several reports (一括通報) is asserted in
 * relay-dialup-batch.test.ts (a real manager serve) and dialup-batch.test.ts (the channel).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelayLinks, createRelayReporter } from '../../src-main/channels/relay/agent-reporter';
import { defaultChannels } from '../../src-main/channels/registry';
import { AlertService } from '../../src-main/core/alert-service';
import type { ApiMethod, Params, Result } from '../../src-shared/api';
import { issueKeyFile } from '../center/issue-key-file';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { startModemCenter, type ModemCenter } from '../helpers/modem-center';
import { socatPath } from '../helpers/pty-pair';
import { freePort, until } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-dial-');
let center: Center;
let modem: ModemCenter;
let manager: AlertService;
let port: number;
const logs: string[] = [];

const m = async <M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> => {
  const out = await manager.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
};

const hasSocat = socatPath() !== null;

beforeAll(async () => {
  if (!hasSocat) return;
  center = await startCenter();
  modem = await startModemCenter();
  port = await freePort();
  manager = await AlertService.open({
    dataDir: path.join(tmp.dir, 'manager'),
    osLocale: 'en_US.UTF-8',
    channels: defaultChannels({
      relay: { listenHost: '127.0.0.1' },
      dialup: { lockDirs: [tmp.dir], times: { guardMs: 200, responseMs: 1500 }, carrierWaitMs: 10_000, portWaitMs: 0 },
    }),
  });
  await m('opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: false },
    device: { serverName: 'MANAGER04', deviceCode: 'N8100-XXX', serialNumber: 'M4', warrantyNumber: '12345678' },
  });
  const issued = await issueKeyFile({ out: path.join(tmp.dir, 'center.key'), dataDir: center.dataDir, phones: ['03-1234-5678'] });
  await m('manager:register', { file: { path: issued.file } });
  await m('settings:patch', {
    changes: {
      'methods.manager-express.receivePort': port,
      'methods.manager-express.forward': 'dialup',
      'methods.manager-express.smime': false,
      'methods.manager-express.dialup.serialPort': modem.port,
      'methods.manager-express.dialup.dialIntervalSeconds': 1,
    },
  });
  await m('methods:setEnabled', { name: 'manager-express', enabled: true });
  await manager.startBackground((line) => logs.push(line));
  await until(() => logs.some((l) => l.includes('manager-express: listening on 127.0.0.1')), 10_000, 'the manager listening');
}, 60_000);

afterAll(async () => {
  await manager?.close();
  await closeRelayLinks();
  await Promise.all([modem?.stop(), center?.stop()]);
  tmp.remove();
});

describe.skipIf(!hasSocat)('agent → manager → center by dial-up (skipped without socat)', () => {
  it("every agent's report is acknowledged once durable and reaches the center's modem once", async () => {
    const key = (await m('manager:key', {})).key;
    const fingerprint = (await m('manager:status', {})).fingerprint!;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const reporter = createRelayReporter({ host: '127.0.0.1', port, key, fingerprint, caFile: '', heartbeatHours: 24, timeoutMs: 10_000 });
      const base = sampleEnvelope('alert');
      const envelope = { ...base, method: 'express' as const, contract: { userSystemCode: 'OPFILELESS', keyCode: '' }, server: { ...base.server, serverName: `DIALAGENT${n}` } };
      const d = await reporter.send({ envelope, attachments: [] }, {});
      expect(d.ok, JSON.stringify(d)).toBe(true);
      ids.push(envelope.id);
    }
    await until(() => ids.every((id) => modem.reports().some((r) => r.id === id)), 60_000, 'the reports at the modem center');
    for (const id of ids) expect(modem.reports().filter((r) => r.id === id)).toHaveLength(1);
    // The manager records each delivery when its call has ended (the center has stored it a moment before).
    const history = await until(async () => {
      const h = await m('history:list', {});
      return ids.every((id) => h.find((i) => i.id === id)?.state === 'delivered') ? h : null;
    }, 30_000, 'the deliveries recorded');
    for (const id of ids) expect(history.find((i) => i.id === id)).toMatchObject({ lane: 'manager-express', method: 'express', from: { userSystemCode: 'OPFILELESS' } });
    expect(modem.dials().length).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('到達確認テスト(1次): a reach-test report under the agent\'s user ID reaches the center by dial-up', async () => {
    const out = await m('manager:reachTest', { destination: 1, userId: 'U2024-0099' });
    expect(out.delivered, out.message).toBe(true);
    const at = await until(() => modem.reports().find((r) => r.kind === 'reach-test') ?? null, 30_000, 'the reach test at the center');
    expect(at.userSystemCode).toBe('U2024-0099');
    const bad = await manager.call('manager:reachTest', { destination: 1, userId: 'has space' });
    expect(bad.ok).toBe(false);
  }, 60_000);
});

