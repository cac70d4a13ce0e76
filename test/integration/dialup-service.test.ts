/**
 * Express Report by dial-up through the product's service (AlertService with the default
 * channels, the dial-up one given test times and a lock folder): settings set with
 * settings:patch, テスト(1次) and テスト(2次) acknowledged by the center's modem (a dial-up test
 * sends no result back: success is the center's final acknowledgement), the opening report,
 * the method enabled, and a fault delivered through the modem and shown delivered in the
 * history. The real serialport binding on a socat pty pair, the real `express-center modem`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, Params, Result } from '../../src-shared/api';
import { defaultChannels } from '../../src-main/channels/registry';
import { lockName } from '../../src-main/channels/dialup/uucp-lock';
import { AlertService } from '../../src-main/core/alert-service';
import { startModemCenter, type ModemCenter } from '../helpers/modem-center';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
let lockDir: string;
let modem: ModemCenter;
let service: AlertService;
let holder: ChildProcess | null = null;

const D = 'methods.express.dialup';
const result = { kind: 'mail' as const, address: 'result@example.co.jp' };

async function must<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> {
  const out = await service.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
}

beforeEach(async () => {
  tmp = tempDir();
  lockDir = mkdtempSync(path.join(os.tmpdir(), 'er-lock-'));
  modem = await startModemCenter({ plan: { numbers: { '0311111111': ['connect', 'busy', 'connect'] } } });
  service = await AlertService.open({
    dataDir: tmp.dir,
    osLocale: 'ja_JP.UTF-8',
    channels: defaultChannels({ dialup: { lockDirs: [lockDir], times: { guardMs: 200, responseMs: 1500 }, carrierWaitMs: 10_000, portWaitMs: 0 } }),
  });
});
afterEach(async () => {
  await service.close();
  if (holder && holder.exitCode === null) {
    const exited = new Promise((r) => holder!.once('exit', r));
    process.kill(holder.pid!, 'SIGTERM');
    await exited;
  }
  holder = null;
  await modem.stop();
  rmSync(lockDir, { recursive: true, force: true });
  tmp.remove();
});

async function setUp(): Promise<void> {
  await must('opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: false },
    device: { serverName: 'SERVER001', deviceCode: 'N8100-1234', serialNumber: 'SN0001', warrantyNumber: 'W0001' },
  });
  await must('settings:patch', {
    changes: {
      'methods.express.route': 'dialup',
      [`${D}.via`]: 'serial',
      [`${D}.serialPort`]: modem.port,
      [`${D}.primary.number`]: '03-1111-1111',
      [`${D}.primary.comment`]: 'センター1',
      [`${D}.secondary.number`]: '03-2222-2222',
      [`${D}.dialIntervalSeconds`]: 1,
      [`${D}.dialMode`]: 'tone',
    },
  });
}

describe('Express Report by dial-up through the service', () => {
  it('テスト(1次), テスト(2次), 開局通報, enabled, and a fault delivered through the modem and shown delivered in the history', async () => {
    await setUp();
    const first = await must('report:test', { method: 'express', destination: 1, result });
    expect(first).toMatchObject({ delivered: true, destination: '03-1111-1111' });
    expect(first.message).toContain('03-1111-1111');
    const second = await must('report:test', { method: 'express', destination: 2, result });
    expect(second).toMatchObject({ delivered: true, destination: '03-2222-2222' });
    expect(modem.dials()).toEqual(['tone 03-1111-1111', 'tone 03-2222-2222']);

    const opened = await must('report:opening', { method: 'express', destination: 1, ignoreSyntaxErrors: true });
    // the plan: the second call to the primary is BUSY; the opening report to it fails and offers the secondary
    expect(opened).toMatchObject({ stage: 'failed', canTrySecondary: true });
    expect(opened.stage === 'failed' && opened.outcome.message).toContain('話中');
    const secondary = await must('report:opening', { method: 'express', destination: 2, ignoreSyntaxErrors: true });
    expect(secondary).toMatchObject({ stage: 'done', outcome: { delivered: true } });

    await must('methods:setEnabled', { name: 'express', enabled: true });
    const alert = await must('report:event', { source: 'disk', eventId: '0xc0040007', message: 'disk error', wait: true });
    expect(alert.items.map((i) => [i.method, i.state])).toEqual([['express', 'delivered']]);
    const history = await must('history:list', {});
    const row = history.find((h) => h.id === alert.items[0]!.id);
    expect(row).toMatchObject({ kind: 'alert', state: 'delivered', destination: '03-1111-1111' });

    const listed = modem.reports();
    expect(listed.map((r) => [r.kind, r.channel])).toEqual([
      ['test', 'dialup'],
      ['test', 'dialup'],
      ['opening', 'dialup'],
      ['alert', 'dialup'],
    ]);
    expect(listed.at(-1)!.event).toMatchObject({ eventId: '0xc0040007' });
  });

  it('a port another program holds: the fault waits, retrying, with the reason in the history (port-busy)', async () => {
    await setUp();
    await must('report:test', { method: 'express', destination: 1, result });
    await must('report:opening', { method: 'express', destination: 2, ignoreSyntaxErrors: true });
    await must('methods:setEnabled', { name: 'express', enabled: true });
    holder = spawn('sleep', ['120'], { stdio: 'ignore' });
    writeFileSync(path.join(lockDir, lockName(modem.port)), `${String(holder.pid).padStart(10)}\n`);
    const alert = await must('report:event', { source: 'disk', eventId: '0xc0040008', message: 'disk error', wait: true });
    expect(alert.items.map((i) => i.state)).toEqual(['retrying']);
    const row = (await must('history:list', {})).find((h) => h.id === alert.items[0]!.id)!;
    expect(row.lastError).toMatchObject({ channel: 'dialup', step: 'port-busy', retryable: true });
    expect(row.lastError!.detail).toContain(`pid ${holder.pid}`);
    expect(row.errorText).toContain('シリアルポートが他のプログラムで使用中です');
  });
});
