/**
 * Issue 13, 一括通報: a manager forwarding by dial-up sends the reports its agents forwarded
 * together, in one call. A real manager (`express-report serve`, its own data folder, a child of
 * the test; the default modem times and a 3 s linger), agents that are IN-PROCESS AGENT
 * REPORTERS (the product's manager-target reporter over real TLS), and the center's modem
 * (`express-center modem` on a socat pty pair; the manager's serial port is the pair's other end,
 * through the real serialport binding). The center's modem records each call it answered
 * (DIR/dialup-calls.jsonl): N reports in one call; a carrier dropped in the middle of a batch:
 * the reports not yet acknowledged go on the calls after it, none is stored twice.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelayLinks, createRelayReporter } from '../../src-main/channels/relay/agent-reporter';
import { issueKeyFile } from '../center/issue-key-file';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { startModemCenter, type ModemCenter, type ModemCenterOptions } from '../helpers/modem-center';
import { socatPath } from '../helpers/pty-pair';
import { freePort, openByKeyCode, startProduct, until, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-batch-');
const NUMBER = '03-1234-5678';
let center: Center;
let manager: Product;
let port: number;
const modems: ModemCenter[] = [];
const hasSocat = socatPath() !== null;

async function modemCenter(plan?: ModemCenterOptions['plan']): Promise<ModemCenter> {
  const m = await startModemCenter(plan ? { plan } : {});
  modems.push(m);
  return m;
}

/** Points the manager's forwarding at `modem` (its serial port is the pty pair's near end). */
async function forwardTo(modem: ModemCenter): Promise<void> {
  await manager.call('settings:patch', { changes: { 'methods.manager-express.dialup.serialPort': modem.port } });
}

/** `n` agents (server names prefix1…n) each forward one alert report at the same moment; their ids. */
async function agentsReport(n: number, prefix: string): Promise<string[]> {
  const key = (await manager.call('manager:key', {})).key;
  const fingerprint = (await manager.call('manager:status', {})).fingerprint!;
  const sends = Array.from({ length: n }, async (_, i) => {
    const reporter = createRelayReporter({ host: '127.0.0.1', port, key, fingerprint, caFile: '', heartbeatHours: 24, timeoutMs: 20_000 });
    const base = sampleEnvelope('alert');
    const envelope = { ...base, method: 'express' as const, contract: { userSystemCode: 'OPFILELESS', keyCode: '' }, server: { ...base.server, serverName: `${prefix}${i + 1}` } };
    const d = await reporter.send({ envelope, attachments: [] }, {});
    expect(d.ok, JSON.stringify(d)).toBe(true);
    return envelope.id;
  });
  return Promise.all(sends);
}

async function delivered(ids: string[], ms: number): Promise<void> {
  await until(async () => {
    const h = await manager.call('history:list', {});
    return ids.every((id) => h.find((i) => i.id === id)?.state === 'delivered');
  }, ms, 'every forwarded report delivered in the manager');
}

beforeAll(async () => {
  if (!hasSocat) return;
  center = await startCenter();
  port = await freePort();
  const dataDir = path.join(tmp.dir, 'manager');
  mkdirSync(dataDir, { recursive: true });
  manager = await startProduct(dataDir, { EXPRESS_REPORT_DIALUP_LINGER_MS: '3000' });
  await openByKeyCode(manager, 'MANAGER07');
  const issued = await issueKeyFile({ out: path.join(tmp.dir, 'center.key'), dataDir: center.dataDir, phones: [NUMBER] });
  await manager.call('manager:register', { file: { path: issued.file } });
  await manager.call('settings:patch', {
    changes: {
      'methods.manager-express.receivePort': port,
      'methods.manager-express.forward': 'dialup',
      'methods.manager-express.smime': false,
      'methods.manager-express.dialup.dialIntervalSeconds': 1,
      // the report a dropped carrier interrupted is tried again after a minute (the shortest schedule)
      'methods.manager-express.schedule.retryIntervalMinutes': 1,
    },
  });
  await manager.call('methods:setEnabled', { name: 'manager-express', enabled: true });
  await manager.waitForLog(/manager-express: listening on 127\.0\.0\.1/, 15_000);
}, 90_000);

afterAll(async () => {
  await closeRelayLinks();
  await manager?.stop();
  await Promise.all([...modems.map((m) => m.stop()), center?.stop()]);
  tmp.remove();
});

let bytesPerReport = 0;

describe.skipIf(!hasSocat)('一括通報: the manager forwards its agents\' reports by dial-up in one call (skipped without socat)', () => {
  it('six agents report at once: the center\'s modem answers ONE call (one CONNECT) that carries all six, each stored once, then the goodbye and the hang-up', async () => {
    const modem = await modemCenter();
    await forwardTo(modem);
    const ids = await agentsReport(6, 'BATCHAGENT');
    await delivered(ids, 60_000);
    const calls = await until(() => (modem.calls().length ? modem.calls() : null), 20_000, "the call's end at the center");
    expect(calls).toHaveLength(1);
    expect(modem.lines().filter((l) => l.startsWith('result: CONNECT'))).toHaveLength(1);
    expect(modem.dials()).toEqual([`tone ${NUMBER}`]);
    const [call] = calls;
    expect(call).toMatchObject({ number: NUMBER, ended: 'hang-up', bye: true });
    expect([...call!.acknowledged].sort()).toEqual([...ids].sort());
    expect([...call!.stored].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(modem.reports().filter((r) => r.id === id)).toHaveLength(1);
    const history = await manager.call('history:list', {});
    for (const id of ids) expect(history.find((i) => i.id === id)).toMatchObject({ lane: 'manager-express', state: 'delivered' });
    bytesPerReport = call!.bytesFromCaller / ids.length;
    // The manager's log says it hung up after the linger, with the six reports on the call.
    await manager.waitForLog(/hanging up 03-1234-5678 after 6 report\(s\) on the call/, 10_000);
  }, 120_000);

  it('a carrier dropped in the middle of a batch: what was acknowledged stays, the rest goes on the next calls (the interrupted one resumed on its retry), none stored twice', async () => {
    expect(bytesPerReport).toBeGreaterThan(0);
    // The first call drops in the middle of the third report (by its bytes from the caller); later calls connect.
    const dropAt = Math.round(bytesPerReport * 2.5);
    const modem = await modemCenter({ numbers: { [NUMBER]: [{ result: 'connect', dropAfterBytes: dropAt }, 'connect'] } });
    await forwardTo(modem);
    const ids = await agentsReport(5, 'DROPAGENT');
    // The interrupted report waits for its retry (1 minute); the others go on the call after the drop.
    await delivered(ids, 150_000);
    const calls = await until(() => {
      const c = modem.calls();
      return c.reduce((n, x) => n + x.acknowledged.length, 0) >= ids.length && c.length >= 2 ? c : null;
    }, 30_000, 'the calls recorded');
    const [first, second] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect(first.ended).toBe('dropped');
    expect(first.acknowledged.length).toBeGreaterThanOrEqual(1);
    expect(first.acknowledged.length).toBeLessThan(ids.length);
    // The next call carries several of the reports the drop left (those not yet tried) in one call.
    expect(second.acknowledged.length).toBeGreaterThanOrEqual(2);
    expect(second.acknowledged.some((id) => first.acknowledged.includes(id))).toBe(false);
    // Every report was stored exactly once, over all the calls.
    const stored = calls.flatMap((c) => c.stored);
    expect([...stored].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(modem.reports().filter((r) => r.id === id)).toHaveLength(1);
    expect(modem.lines().filter((l) => l.startsWith('result: CONNECT')).length).toBe(calls.length);
  }, 240_000);
});
