/**
 * The channel seam (docs/architecture.md "Adding a channel"): a channel registered with one line
 * gets the generic test report, the opening report (only after a test of the same values), the
 * method enabled, and faults delivered through the queue — without any code outside its own
 * object. The channel here is the TEST-ONLY loopback channel (test/helpers/loopback-channel.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, Params, Result } from '../../src-shared/api';
import { defaultChannels } from '../../src-main/channels/registry';
import { AlertService } from '../../src-main/core/alert-service';
import { cli } from '../helpers/cli';
import { loopbackChannel, type Loopback } from '../helpers/loopback-channel';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
let service: AlertService;
let loopback: Loopback;

const MAIL = 'methods.express.mail';
const result = { kind: 'mail' as const, address: 'result@example.co.jp' };

async function must<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> {
  const out = await service.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
}

async function openWithKeyCode(): Promise<void> {
  await must('opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: false },
    device: { serverName: 'SERVER001', deviceCode: 'N8100-1234', serialNumber: 'SN0001', warrantyNumber: 'W0001' },
  });
}

beforeEach(async () => {
  tmp = tempDir();
  loopback = loopbackChannel();
  // The one line a channel needs to be in the service:
  service = await AlertService.open({ dataDir: tmp.dir, osLocale: 'en_US.UTF-8', channels: [...defaultChannels(), loopback.channel] });
});
afterEach(async () => {
  await service.close();
  tmp.remove();
});

describe('a channel registered with one line runs the generic flows', () => {
  it('test report → opening report → enabled → a fault is delivered through its lane', async () => {
    await openWithKeyCode();
    await must('settings:patch', { changes: { 'methods.express.route': 'mail', [`${MAIL}.smtpHost`]: 'smtp.example.jp', [`${MAIL}.sender`]: 'server@example.jp', [`${MAIL}.destination`]: 'center@example.jp' } });

    // the opening report waits for a successful test
    const early = await service.call('report:opening', { method: 'express', ignoreSyntaxErrors: true });
    expect(!early.ok && early.error).toMatchObject({ code: 'not-ready', field: 'methods.express.testedAt' });

    const tested = await must('report:test', { method: 'express', destination: 1, result });
    expect(tested).toMatchObject({ delivered: true, destination: 'loopback:center@example.jp' });
    expect(loopback.received.map((r) => [r.envelope.kind, r.envelope.method, r.envelope.resultDestination])).toEqual([['test', 'express', result]]);

    const opened = await must('report:opening', { method: 'express', ignoreSyntaxErrors: true });
    // no hook after the opening report: nothing else is sent
    expect(opened).toMatchObject({ stage: 'done', outcome: { delivered: true }, configuration: null });
    expect(loopback.received.map((r) => r.envelope.kind)).toEqual(['test', 'opening']);
    const settings = await must('settings:get', {});
    expect(settings.methods.express.testedAt).not.toBeNull();
    expect(settings.methods.express.openingReportedAt).not.toBeNull();

    await must('methods:setEnabled', { name: 'express', enabled: true });
    loopback.failNext(1, 'line busy');
    const alert = await must('report:event', { source: 'disk', eventId: '0xc0040007', message: 'disk error', wait: true });
    // the first attempt failed (retryable): the queue retries on the method's schedule
    expect(alert.items.map((i) => [i.method, i.state, i.lastError?.detail])).toEqual([['express', 'retrying', 'line busy']]);
    const history = await must('history:list', {});
    expect(history.find((h) => h.id === alert.items[0]!.id)?.destination).toBe('loopback:center@example.jp');
    // the next fault goes at once
    const second = await must('report:event', { source: 'disk', eventId: '0xc0040008', message: 'disk error 2', wait: true });
    expect(second.items.map((i) => i.state)).toEqual(['delivered']);
    expect(loopback.received.at(-1)?.envelope).toMatchObject({ kind: 'alert', method: 'express', event: { eventId: '0xc0040008' } });
  });

  it('a changed delivery field needs a new test; a draft that was tested is tested once stored with one patch', async () => {
    await openWithKeyCode();
    await must('settings:patch', { changes: { 'methods.express.route': 'mail', [`${MAIL}.smtpHost`]: 'smtp.example.jp', [`${MAIL}.sender`]: 'server@example.jp', [`${MAIL}.destination`]: 'center@example.jp' } });
    await must('report:test', { method: 'express', destination: 1, result });
    expect((await must('settings:get', {})).methods.express.testedAt).not.toBeNull();

    // the channel declared mail.destination a delivery field: changing it clears the test
    const changed = await must('settings:set', { key: `${MAIL}.destination`, value: 'other@example.jp' });
    expect(changed.methods.express.testedAt).toBeNull();
    // a field it did not declare does not
    await must('report:test', { method: 'express', destination: 1, result });
    const unrelated = await must('settings:set', { key: `${MAIL}.sender`, value: 'root@example.jp' });
    expect(unrelated.methods.express.testedAt).not.toBeNull();

    // a draft's test, then OK with exactly those values: tested
    const draft = { [`${MAIL}.destination`]: 'third@example.jp' };
    await must('report:test', { method: 'express', destination: 1, result, draft });
    expect(loopback.received.at(-1)?.destination).toBe('loopback:third@example.jp');
    expect((await must('settings:get', {})).methods.express.mail.destination).toBe('other@example.jp');
    const saved = await must('settings:patch', { changes: draft });
    expect(saved.methods.express).toMatchObject({ mail: { destination: 'third@example.jp' } });
    expect(saved.methods.express.testedAt).not.toBeNull();
  });

  it('a route whose channel is not registered is refused with the reason', async () => {
    // the dial-up channel under another name: no route picks it (as in a version without it), its window's methods stay
    const channels = defaultChannels().map((c) => (c.name === 'dialup' ? { ...c, name: 'dialup-unregistered' } : c));
    const plain = await AlertService.open({ dataDir: tempDir().dir, osLocale: 'en_US.UTF-8', channels });
    try {
      await plain.call('opening:commit', {
        source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: false },
        device: { serverName: 'SERVER001', deviceCode: 'N8100-1234', serialNumber: 'SN0001', warrantyNumber: 'W0001' },
      });
      const none = await plain.call('report:test', { method: 'express', destination: 1, result });
      expect(!none.ok && none.error).toMatchObject({ code: 'not-ready', field: 'methods.express.route' });
      await plain.call('settings:set', { key: 'methods.express.route', value: 'dialup' });
      const unavailable = await plain.call('report:test', { method: 'express', destination: 1, result });
      expect(!unavailable.ok && unavailable.error.message).toBe('Express Report Service cannot send by dial-up in this version yet.');
    } finally {
      await plain.close();
    }
  });

  it('the CLI takes --method for every method name and says why one cannot send', async () => {
    const dir = tempDir();
    try {
      const bad = cli(['test', '--method', 'nonsense', '--data-dir', dir.dir]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--method is required: one of express, express-https, manager-express, manager-express-https');
      const manager = cli(['test', '--method', 'manager-express', '--result-mail', 'a@example.jp', '--data-dir', dir.dir]);
      expect(manager.status).not.toBe(0);
      expect(manager.stderr).toMatch(/opening|開局/i);
    } finally {
      dir.remove();
    }
  });
});
