/**
 * 宛先設定's draft (issue 9 item 7): a test or the opening report is sent with the window's
 * unsaved values over the stored settings and stores nothing; only the dialog's OK
 * (`settings:patch`) stores them, with `testedAt` meaning "what is stored was tested".
 * Real service, real center simulator over TLS on 127.0.0.1.
 */
import { defaultChannels } from '../../src-main/channels/registry';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { ReportQueue } from '../../src-main/queue';
import { definitionPath } from '../../src-main/reports/definition-dir';
import { defaultSettings } from '../../src-shared/settings';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-draft-');
let center: Center;
let n = 0;
const services: AlertService[] = [];

beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await center.stop();
  tmp.remove();
});

function ok<R = unknown>(out: CallOutcome<ApiMethod>): R {
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as R;
}

const BASE = 'methods.express-https';
/** nothing listens on port 9 of the loopback */
const WRONG = 'https://127.0.0.1:9/Scripts/trsRecvAlert.cgi';
const mail = { kind: 'mail', address: 'aaa@bbb.co.jp' } as const;

/** An opened service whose stored destination is `url1` (the center's CA trusted). */
async function service(url1: string) {
  const dataDir = path.join(tmp.dir, `data-${++n}`);
  const s = await AlertService.open({
    dataDir,
    osLocale: 'en_US.UTF-8',
    opening: { hostName: () => 'SERVER001' },
    hostName: () => 'SERVER001',
    channels: defaultChannels({ timeoutMs: 3_000 }),
  });
  services.push(s);
  ok(
    await s.call('opening:commit', {
      source: { mode: 'key-code', keyCode: '01239', resultMail: 'aaa@bbb.co.jp', forHttps: true },
      device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
    }),
  );
  ok(await s.call('settings:set', { key: `${BASE}.url1`, value: url1 }));
  ok(await s.call('settings:set', { key: `${BASE}.caFile`, value: center.ca }));
  return { s, dataDir };
}

async function https(s: AlertService) {
  return ok<Result<'settings:get'>>(await s.call('settings:get', {})).methods['express-https'];
}

describe('a draft is used for its report only; only OK stores it', () => {
  it('a test with a draft goes to the draft URL and stores nothing; OK of the tested values records the test', async () => {
    const { s } = await service(WRONG);
    const before = center.reports().length;
    const outcome = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail, draft: { [`${BASE}.url1`]: center.url } }));
    expect(outcome).toMatchObject({ delivered: true, destination: center.url });
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['test']);
    expect(await https(s)).toMatchObject({ url1: WRONG, testedAt: null });

    // OK with other values than the tested ones: stored, not tested
    const other = ok<Result<'settings:patch'>>(await s.call('settings:patch', { changes: { [`${BASE}.url1`]: `${center.url}?other` } }));
    expect(other.methods['express-https']).toMatchObject({ url1: `${center.url}?other`, testedAt: null });
    // OK with the tested values: stored, and tested
    const saved = ok<Result<'settings:patch'>>(
      await s.call('settings:patch', { changes: { [`${BASE}.url1`]: center.url, [`${BASE}.url2`]: '', [`${BASE}.caFile`]: center.ca, [`${BASE}.remoteAccess.use`]: false } }),
    );
    expect(saved.methods['express-https'].url1).toBe(center.url);
    expect(saved.methods['express-https'].testedAt).not.toBeNull();
  });

  it('a failed test with a draft leaves the stored values, and a real alert meanwhile goes to the stored URL', async () => {
    const { s } = await service(center.url);
    ok(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    ok(await s.call('report:opening', { method: 'express-https', ignoreSyntaxErrors: true }));
    ok(await s.call('methods:setEnabled', { name: 'express-https', enabled: true }));
    const start = await https(s);

    const failed = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail, draft: { [`${BASE}.url1`]: WRONG, [`${BASE}.caFile`]: '' } }));
    expect(failed).toMatchObject({ delivered: false, destination: WRONG });
    expect(await https(s)).toEqual(start);

    const before = center.reports().length;
    const alert = ok<Result<'report:event'>>(await s.call('report:event', { source: 'disk', eventId: '0xc0040007', message: 'disk error', wait: true }));
    expect(alert.items.map((i) => i.state)).toEqual(['delivered']);
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['alert']);
  });

  it('a draft is checked as OK checks it, naming the field; nothing is stored', async () => {
    const { s } = await service(center.url);
    const start = await https(s);
    const http = await s.call('report:test', { method: 'express-https', destination: 1, result: mail, draft: { [`${BASE}.url1`]: 'http://center.example.jp/x' } });
    expect(!http.ok && http.error).toMatchObject({ code: 'invalid-value', field: `${BASE}.url1` });
    const ca = await s.call('settings:patch', { changes: { [`${BASE}.caFile`]: path.join(tmp.dir, 'no-such-ca.pem') }, dryRun: true });
    expect(!ca.ok && ca.error.field).toBe(`${BASE}.caFile`);
    const port = await s.call('settings:patch', { changes: { [`${BASE}.url1`]: `${center.url}?x`, [`${BASE}.manager.port`]: 0 } });
    expect(!port.ok && port.error.field).toBe(`${BASE}.manager.port`);
    const state = await s.call('report:test', { method: 'express-https', destination: 1, result: mail, draft: { [`${BASE}.testedAt`]: '2026-01-01T00:00:00Z' } });
    expect(!state.ok && state.error).toMatchObject({ code: 'protected-key', field: `${BASE}.testedAt` });
    // a draft holds the keys of its own method only
    const foreign = await s.call('report:test', { method: 'express-https', destination: 1, result: mail, draft: { 'methods.express.mail.smtpHost': 'smtp.example.jp' } });
    expect(!foreign.ok && foreign.error).toMatchObject({ code: 'invalid-value', field: 'methods.express.mail.smtpHost' });
    // a dry run stores nothing, even when it passes
    ok(await s.call('settings:patch', { changes: { [`${BASE}.url2`]: `${center.url}?dry` }, dryRun: true }));
    expect(await https(s)).toEqual(start);
  });

  it('the opening report with a draft needs a test of that draft; it records the opening, not the draft', async () => {
    const { s } = await service(WRONG);
    const untested = await s.call('report:opening', { method: 'express-https', ignoreSyntaxErrors: true, draft: { [`${BASE}.url1`]: center.url } });
    expect(!untested.ok && untested.error).toMatchObject({ code: 'not-ready', field: `${BASE}.testedAt` });
    ok(await s.call('report:test', { method: 'express-https', destination: 1, result: mail, draft: { [`${BASE}.url1`]: center.url } }));
    // a different draft was not tested
    const changed = await s.call('report:opening', { method: 'express-https', ignoreSyntaxErrors: true, draft: { [`${BASE}.url1`]: `${center.url}?x` } });
    expect(!changed.ok && changed.error.code).toBe('not-ready');

    const before = center.reports().length;
    const opened = ok<Result<'report:opening'>>(await s.call('report:opening', { method: 'express-https', ignoreSyntaxErrors: true, draft: { [`${BASE}.url1`]: center.url } }));
    expect(opened).toMatchObject({ stage: 'done', outcome: { delivered: true }, configuration: { delivered: true } });
    expect(center.reports().slice(before).map((r) => r.kind)).toEqual(['opening', 'heartbeat']);
    const after = await https(s);
    expect(after).toMatchObject({ url1: WRONG, testedAt: null });
    expect(after.openingReportedAt).not.toBeNull();
  });

  it('[宛先の読み込み] gives the file’s URLs and stores nothing', async () => {
    const { s, dataDir } = await service(center.url);
    const start = await https(s);
    await fs.writeFile(definitionPath(dataDir, 'adr'), '[URL1]\r\nURL=https://one.example.jp/x.cgi\r\n[URL2]\r\nURL=https://two.example.jp/x.cgi\r\n');
    const loaded = ok<Result<'https:loadAddressFile'>>(await s.call('https:loadAddressFile', {}));
    expect(loaded).toMatchObject({ url1: 'https://one.example.jp/x.cgi', url2: 'https://two.example.jp/x.cgi' });
    expect(await https(s)).toEqual(start);
  });

  it('after a restart, a test report the ended run left untried is failed, not sent with the stored values (its draft is gone)', async () => {
    const { s, dataDir } = await service(center.url);
    await s.close();
    // the run that ended: a test report accepted for its single attempt, the service killed before it
    const queue = await ReportQueue.open({
      dir: path.join(dataDir, 'queue'),
      scheduleFor: () => defaultSettings().methods['express-https'].schedule,
      reportersFor: () => [],
      onChange: () => undefined,
    });
    const left = await queue.accept(sampleEnvelope('test'), [], { pin: 1, singleAttempt: true });
    await queue.close();

    const before = center.reports().length;
    const again = await AlertService.open({ dataDir, osLocale: 'en_US.UTF-8', hostName: () => 'SERVER001', eventSources: () => [] });
    services.push(again);
    await again.startBackground(() => undefined);
    let item: Result<'history:list'>[number] | undefined;
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      item = ok<Result<'history:list'>>(await again.call('history:list', {})).find((i) => i.id === left.id);
      if (item?.state === 'failed') break;
    }
    expect(item).toMatchObject({ state: 'failed', failure: 'permanent', lastError: { step: 'config' } });
    expect(item?.lastError?.detail).toContain('window that is gone');
    expect(center.reports().length).toBe(before);
  });
});
