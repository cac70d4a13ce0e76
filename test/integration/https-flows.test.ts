import { defaultChannels } from '../../src-main/channels/registry';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { definitionPath } from '../../src-main/reports/definition-dir';
import { startCenter, type Center } from '../helpers/center';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { startTinyproxy, tinyproxyPath, type Tinyproxy } from '../helpers/tinyproxy';

const tmp = tempDir('er-flows-');
let center: Center;
let proxy: Tinyproxy | null = null;
let n = 0;
const services: AlertService[] = [];

beforeAll(async () => {
  center = await startCenter();
  if (tinyproxyPath()) proxy = await startTinyproxy({ user: 'alice', password: 'pr0xy-secret' });
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await proxy?.stop();
  await center.stop();
  tmp.remove();
});
beforeEach(async () => {
  await center.clearFaults();
});

function ok<R = unknown>(out: CallOutcome<ApiMethod>): R {
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as R;
}

/** A service opened by key code, with the center as destination 1 (and 2). */
async function openedService(options: { url2?: string } = {}) {
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
  ok(await s.call('settings:set', { key: 'methods.express-https.url1', value: center.url }));
  if (options.url2) ok(await s.call('settings:set', { key: 'methods.express-https.url2', value: options.url2 }));
  ok(await s.call('settings:set', { key: 'methods.express-https.caFile', value: center.ca }));
  return { s, dataDir };
}

const mail = { kind: 'mail', address: 'aaa@bbb.co.jp' } as const;

describe('HTTPS settings are validated like the window', () => {
  it('refuses an http:// URL, a URL over 500 characters and a CA file that is not one', async () => {
    const { s } = await openedService();
    const http = await s.call('settings:set', { key: 'methods.express-https.url1', value: 'http://center.example.jp/x' });
    expect(!http.ok && http.error.message).toContain('https://');
    const long = await s.call('settings:set', { key: 'methods.express-https.url2', value: `https://a.jp/${'x'.repeat(500)}` });
    expect(!long.ok && long.error.field).toBe('methods.express-https.url2');
    const notCa = path.join(tmp.dir, 'not-a-ca.pem');
    await fs.writeFile(notCa, 'hello');
    const ca = await s.call('settings:set', { key: 'methods.express-https.caFile', value: notCa });
    expect(!ca.ok && ca.error.message).toContain('no PEM certificate');
  });
});

describe('test report (テスト通報)', () => {
  it('is delivered to the center with the result destination, and records the test', async () => {
    const { s } = await openedService();
    const before = center.reports().length;
    const outcome = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    expect(outcome).toMatchObject({ delivered: true, step: null });
    const reports = center.reports();
    expect(reports.length).toBe(before + 1);
    expect(reports.at(-1)).toMatchObject({ kind: 'test', serverName: 'SERVER001' });
    const settings = ok<Result<'settings:get'>>(await s.call('settings:get', {}));
    expect(settings.methods['express-https'].testedAt).not.toBeNull();
  });

  it('says what failed and what to check: center 500, center down, unknown CA', async () => {
    const { s } = await openedService();
    await center.fault({ mode: 'status', status: 500, count: 1 });
    const e500 = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    expect(e500).toMatchObject({ delivered: false, step: 'http-status' });
    expect(e500.message).toContain('500');

    ok(await s.call('settings:set', { key: 'methods.express-https.url1', value: 'https://127.0.0.1:9/Scripts/trsRecvAlert.cgi' }));
    const down = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    expect(down).toMatchObject({ delivered: false, step: 'connect' });

    ok(await s.call('settings:set', { key: 'methods.express-https.url1', value: center.url }));
    ok(await s.call('settings:set', { key: 'methods.express-https.caFile', value: '' }));
    const tls = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    expect(tls).toMatchObject({ delivered: false, step: 'tls' });
    expect(tls.message).toContain('CA file');
  });

  it.skipIf(!tinyproxyPath())('goes through a proxy with Basic auth; a wrong password is named as such', async () => {
    const { s } = await openedService();
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.enabled', value: true }));
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.host', value: proxy!.host }));
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.port', value: proxy!.port }));
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.user', value: 'alice' }));
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.password', value: 'wrong-pass' }));
    const refused = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    expect(refused).toMatchObject({ delivered: false, step: 'proxy-auth' });
    expect(refused.message).not.toContain('wrong-pass');
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.password', value: 'pr0xy-secret' }));
    const delivered = ok<Result<'report:test'>>(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    expect(delivered.delivered).toBe(true);
  });
});

describe('opening report (開局通報)', () => {
  it('is refused before a successful test report, and again after the destination changed', async () => {
    const { s } = await openedService();
    const out = await s.call('report:opening', { method: 'express-https' });
    expect(!out.ok && out.error.code).toBe('not-ready');
    ok(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    ok(await s.call('settings:set', { key: 'methods.express-https.url1', value: center.url }));
    const settings = ok<Result<'settings:get'>>(await s.call('settings:get', {}));
    expect(settings.methods['express-https'].testedAt).not.toBeNull();
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.port', value: 3128 }));
    const again = await s.call('report:opening', { method: 'express-https' });
    expect(!again.ok && again.error.code).toBe('not-ready');
  });

  it('lists definition-file syntax errors first; OK (ignore) goes on; configuration collected with progress', async () => {
    const { s, dataDir } = await openedService();
    ok(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    ok(await s.call('https:definitions', {}));
    const logDir = path.join(tmp.dir, `config-logs-${n}`);
    await fs.mkdir(logDir, { recursive: true });
    await fs.writeFile(path.join(logDir, 'hardware.txt'), 'CPU: 2\nMemory: 24 GiB\n');
    await fs.writeFile(
      definitionPath(dataDir, 'hbi'),
      ['[Configuration]', 'TimeOut=60', 'MaxSize=0', '[Tools]', 'Command=', `LogFile=${logDir}`, 'Directory=', '[Schedule]', 'ScheduleType=every month', 'ScheduleDay=31', 'ScheduleTime=25:00', ''].join('\r\n'),
    );
    const syntax = ok<Result<'report:opening'>>(await s.call('report:opening', { method: 'express-https' }));
    expect(syntax.stage).toBe('syntax');
    if (syntax.stage !== 'syntax') return;
    expect(syntax.diagnostics[0]).toMatchObject({ line: 11, severity: 'error' });
    expect(syntax.diagnostics[0]!.file).toContain('AMHTPHBI.INF');

    const events: ApiEvent[] = [];
    s.subscribe((e) => events.push(e));
    const before = center.reports().length;
    const done = ok<Result<'report:opening'>>(await s.call('report:opening', { method: 'express-https', ignoreSyntaxErrors: true }));
    expect(done.stage).toBe('done');
    if (done.stage !== 'done') return;
    expect(done.outcome.delivered).toBe(true);
    expect(done.configuration?.delivered).toBe(true);
    const arrived = center.reports().slice(before);
    expect(arrived.map((r) => r.kind)).toEqual(['opening', 'heartbeat']);
    expect(arrived[1]!.attachments[0]).toMatchObject({ name: 'config.zip' });
    expect(arrived[1]!.attachments[0]!.size).toBeGreaterThan(100);
    expect(events.some((e) => e.type === 'progress' && e.phase === 'zip')).toBe(true);
    expect(events.some((e) => e.type === 'progress' && e.phase === 'done')).toBe(true);
    // Now the method can be enabled (the window asks first).
    ok(await s.call('methods:setEnabled', { name: 'express-https', enabled: true }));
  });

  it('offers the secondary when the primary fails, and the secondary works', async () => {
    const { s } = await openedService({ url2: center.url });
    ok(await s.call('report:test', { method: 'express-https', destination: 1, result: mail }));
    await center.fault({ mode: 'status', status: 503, count: 1 });
    const failed = ok<Result<'report:opening'>>(await s.call('report:opening', { method: 'express-https' }));
    expect(failed).toMatchObject({ stage: 'failed', canTrySecondary: true, outcome: { step: 'http-status' } });
    const second = ok<Result<'report:opening'>>(await s.call('report:opening', { method: 'express-https', destination: 2 }));
    expect(second.stage).toBe('done');
  });
});

describe('[宛先の読み込み] AMHTPADR.INF', () => {
  it('loads URL1/URL2 from the WebReprt folder, and lists errors with their lines', async () => {
    const { s, dataDir } = await openedService();
    const defs = ok<Result<'https:definitions'>>(await s.call('https:definitions', {}));
    expect(defs.dir).toBe(path.join(dataDir, 'WebReprt'));
    await fs.writeFile(definitionPath(dataDir, 'adr'), '[URL1]\r\nURL= https://primary.example.jp/Scripts/trsRecvAlert.cgi\r\n[URL2]\r\nURL=https://secondary.example.jp/x#frag\r\n');
    const loaded = ok<Result<'https:loadAddressFile'>>(await s.call('https:loadAddressFile', {}));
    expect(loaded).toMatchObject({ url1: 'https://primary.example.jp/Scripts/trsRecvAlert.cgi', url2: 'https://secondary.example.jp/x#frag' });
    await fs.writeFile(definitionPath(dataDir, 'adr'), '[URL2]\r\nURL=http://x\r\n');
    const bad = await s.call('https:loadAddressFile', {});
    expect(!bad.ok && bad.error.details?.join('\n')).toMatch(/AMHTPADR\.INF:\d+: /);
  });
});

describe('express-report test / opening-report (CLI)', () => {
  it('sends a test, refuses the opening report on syntax errors, then opens and enables', async () => {
    const data = path.join(tmp.dir, 'cli');
    const env = { LANG: 'en_US.UTF-8', EXPRESS_REPORT_HOSTNAME: 'SERVER001' };
    const run = (...args: string[]) => cli([...args, '--data-dir', data], env);
    expect(run('open', '--key-code', '01239', '--https', '--result-mail', 'aaa@bbb.co.jp', '--device-code', 'N8100-XXX', '--serial', '1', '--warranty', '9').status).toBe(0);
    expect(run('config', 'set', 'methods.express-https.url1', center.url).status).toBe(0);
    expect(run('config', 'set', 'methods.express-https.caFile', center.ca).status).toBe(0);
    const early = run('opening-report', '--method', 'express-https');
    expect(early.status).toBe(2);
    expect(early.stderr).toContain('after a successful test report');
    const test = run('test', '--method', 'express-https', '--destination', '1');
    expect(test.status, test.stderr).toBe(0);
    expect(test.stdout).toContain('was delivered');
    await fs.appendFile(path.join(data, 'WebReprt', 'AMHTPLOG.INF'), '\r\n[Tool001]\r\nCommand=/bin/true; rm -rf /\r\n');
    const syntax = run('opening-report', '--method', 'express-https');
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toMatch(/AMHTPLOG\.INF:\d+: error/);
    const opened = run('opening-report', '--method', 'express-https', '--ignore-syntax-errors');
    expect(opened.status, opened.stdout + opened.stderr).toBe(0);
    expect(opened.stdout).toContain('express-https: enabled');
    expect(JSON.parse(run('method', 'list').stdout)).toContainEqual(expect.objectContaining({ name: 'express-https', enabled: true }));
  });
});
