/**
 * Issue 9, items 8–10: contract and workflow state only its own action changes; the password
 * mask means "unchanged" at every depth; a settings file with a wrong field keeps the rest.
 * Real AlertService on a real data folder, and the built CLI as a child process.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { SettingsStore } from '../../src-main/core/settings-store';
import { loadSecretCodec } from '../../src-main/platform/secrets';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
const open: AlertService[] = [];
beforeEach(() => {
  tmp = tempDir('er-rules-');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  tmp.remove();
});

async function service(osLocale = 'en_US.UTF-8'): Promise<AlertService> {
  const s = await AlertService.open({ dataDir: tmp.dir, osLocale, opening: { hostName: () => 'SERVER001' } });
  open.push(s);
  return s;
}

function ok<M extends ApiMethod = ApiMethod>(out: CallOutcome<ApiMethod>): Result<M> {
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as Result<M>;
}

const stored = async () => (await new SettingsStore(path.join(tmp.dir, 'settings.json'), await loadSecretCodec(tmp.dir)).load()).settings;

/** A real key-code opening for Express (HTTPS), with a destination URL: everything but the test and opening report. */
async function opened(osLocale?: string): Promise<AlertService> {
  const s = await service(osLocale);
  ok(
    await s.call('opening:commit', {
      source: { mode: 'key-code', keyCode: '01239', resultMail: 'aaa@bbb.co.jp', forHttps: true },
      device: { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
    }),
  );
  ok(await s.call('settings:set', { key: 'methods.express-https.url1', value: 'https://center.example.jp/Scripts/trsRecvAlert.cgi' }));
  return s;
}

describe('contract and workflow state cannot be set as configuration (item 8)', () => {
  it('settings:set refuses each with the action to use, and changes nothing', async () => {
    const s = await opened();
    const before = await fs.readFile(path.join(tmp.dir, 'settings.json'), 'utf8');
    const settings = ok<'settings:get'>(await s.call('settings:get', {}));
    const cases: [key: string, value: unknown, action: RegExp][] = [
      ['opening.expiresAt', '2099-12-31', /extension key/],
      ['opening.expiresAt', 'garbage', /extension key/],
      ['service.terminatedAt', '', /End Service/],
      ['service.terminatedAt', 'null', /End Service/],
      ['opening.userSystemCode', 'U2026-0001', /opening/],
      ['opening.extensionSecret', 'AAAA', /opening/],
      ['opening.mode', 'key-file', /opening/],
      ['opening.destinations.httpsPrimary', 'https://evil.example/', /opening/],
      ['methods.express-https.testedAt', '2026-01-01T00:00:00Z', /test report/],
      ['methods.express-https.openingReportedAt', '2026-01-01T00:10:00Z', /opening report/],
      ['methods.express.testedAt', 'null', /test report/],
      ['methods.express.openingReportedAt', '2026-01-01T00:10:00Z', /opening report/],
      ['opening', null, /opening/],
      ['opening', 'null', /opening/],
      // a whole subtree carrying a changed state value
      ['methods.express-https', { ...settings.methods['express-https'], openingReportedAt: '2026-01-01T00:10:00Z' }, /opening report/],
      ['service', { terminatedAt: '2026-01-01T00:00:00Z' }, /End Service/],
    ];
    for (const [key, value, action] of cases) {
      const out = await s.call('settings:set', { key, value });
      expect(out.ok, `${key}=${JSON.stringify(value)}`).toBe(false);
      if (out.ok) continue;
      expect(out.error.code, key).toBe('protected-key');
      expect(out.error.message, key).toMatch(action);
      expect(out.error.message.split('\n')).toHaveLength(1);
    }
    expect(await fs.readFile(path.join(tmp.dir, 'settings.json'), 'utf8')).toBe(before);
    // nothing above let the method pass without a test and an opening report
    const enable = await s.call('methods:setEnabled', { name: 'express-https', enabled: true });
    expect(!enable.ok && enable.error.code).toBe('not-configured');
  });

  it('still takes configuration: the settings utility’s fields, and a subtree written back unchanged', async () => {
    const s = await opened();
    ok(await s.call('settings:set', { key: 'opening.dealer.name', value: 'NEC' }));
    const https = ok<'settings:get'>(await s.call('settings:get', {})).methods['express-https'];
    ok(await s.call('settings:set', { key: 'methods.express-https', value: { ...https, url2: 'https://center2.example.jp/x' } }));
    expect((await stored()).methods['express-https'].url2).toBe('https://center2.example.jp/x');
    expect((await stored()).opening?.dealer.name).toBe('NEC');
  });

  it('names the action in Japanese in the Japanese window', async () => {
    const s = await opened('ja_JP.UTF-8');
    const out = await s.call('settings:set', { key: 'opening.expiresAt', value: '2099-12-31' });
    expect(!out.ok && out.error.message).toContain('サービス有効期限の変更');
    const test = await s.call('settings:set', { key: 'methods.express-https.testedAt', value: '2026-01-01T00:00:00Z' });
    expect(!test.ok && test.error.message).toContain('テスト通報');
  });

  it('config set refuses in one line naming the command to use, exit 2', async () => {
    const s = await opened();
    await s.close();
    open.splice(0);
    const run = (lang: string, ...args: string[]) => cli([...args, '--data-dir', tmp.dir], { LANG: lang });
    const extend = run('en_US.UTF-8', 'config', 'set', 'opening.expiresAt', '2099-12-31');
    expect(extend.status).toBe(2);
    expect(extend.stderr.trim().split('\n')).toHaveLength(1);
    expect(extend.stderr).toContain('opening.expiresAt');
    expect(extend.stderr).toContain('express-report extend');
    const report = run('ja_JP.UTF-8', 'config', 'set', 'methods.express-https.openingReportedAt', '2026-01-01T00:10:00Z');
    expect(report.status).toBe(2);
    expect(report.stderr).toContain('express-report opening-report');
    expect(report.stderr).toContain('開局通報');
    expect(run('en_US.UTF-8', 'method', 'enable', 'express-https').status).toBe(2);
    expect((await stored()).opening?.expiresAt).toBeNull();
  });
});

describe('the text null on the command line (item 8)', () => {
  it('means null for a key that may be null, and stays text for one that may not', async () => {
    const run = (...args: string[]) => cli([...args, '--data-dir', tmp.dir], { LANG: 'en_US.UTF-8' });
    expect(run('config', 'set', 'methods.express.route', 'mail').status).toBe(0);
    expect(run('config', 'set', 'methods.express.route', 'null').status).toBe(0);
    expect(run('config', 'set', 'methods.express.mail.sender', 'null').status).toBe(0);
    const settings = await stored();
    expect(settings.methods.express.route).toBeNull();
    expect(settings.methods.express.mail.sender).toBe('null');
  });
});

describe('the password mask means "unchanged" at every depth (item 9)', () => {
  it('config set of what config get printed keeps the passwords', async () => {
    const run = (...args: string[]) => cli([...args, '--data-dir', tmp.dir], { LANG: 'en_US.UTF-8' });
    expect(run('config', 'set', 'methods.express-https.proxy.password', 'pr0xy-pass').status).toBe(0);
    expect(run('config', 'set', 'methods.express-https.remoteAccess.password', 'r3mote-pass').status).toBe(0);
    const proxy = run('config', 'get', 'methods.express-https.proxy').stdout.trim();
    expect(proxy).toContain('********');
    expect(run('config', 'set', 'methods.express-https.proxy', proxy).status).toBe(0);
    const https = run('config', 'get', 'methods.express-https').stdout.trim();
    expect(run('config', 'set', 'methods.express-https', https).status).toBe(0);
    const settings = await stored();
    expect(settings.methods['express-https'].proxy.password).toBe('pr0xy-pass');
    expect(settings.methods['express-https'].remoteAccess.password).toBe('r3mote-pass');
  });

  it('settings:set of a subtree with masks keeps each stored password, and a new one replaces it', async () => {
    const s = await service();
    ok(await s.call('settings:set', { key: 'methods.express.mail.smtp.password', value: 'smtp-pw' }));
    ok(await s.call('settings:set', { key: 'methods.express.mail.pop.password', value: 'pop-pw' }));
    const mail = ok<'settings:get'>(await s.call('settings:get', {})).methods.express.mail;
    ok(await s.call('settings:set', { key: 'methods.express.mail', value: { ...mail, pop: { ...mail.pop, password: 'new-pop-pw' } } }));
    const settings = await stored();
    expect(settings.methods.express.mail.smtp.password).toBe('smtp-pw');
    expect(settings.methods.express.mail.pop.password).toBe('new-pop-pw');
  });
});

describe('a settings file with a wrong field keeps the rest (item 10)', () => {
  it('resets only the wrong field, keeps the opening and every valid setting, and says which field', async () => {
    const s = await opened();
    ok(await s.call('schedule:set', { method: 'express-https', schedule: { retryIntervalMinutes: 10, retryUntilHours: 48, window: '08:00-20:00' } }));
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.password', value: 'pr0xy-pass' }));
    await s.close();
    open.splice(0);
    const file = path.join(tmp.dir, 'settings.json');
    const raw = JSON.parse(await fs.readFile(file, 'utf8'));
    raw.methods['express-https'].schedule.retryIntervalMinutes = 0;
    raw.methods.express.mail.smtpPort = 'twenty-five';
    await fs.writeFile(file, JSON.stringify(raw));

    const again = await service();
    expect(again.startupNotices).toHaveLength(1);
    const message = again.startupNotices[0]!.message;
    expect(message).toContain('methods.express-https.schedule.retryIntervalMinutes');
    expect(message).toContain('methods.express.mail.smtpPort');
    const aside = (await fs.readdir(tmp.dir)).find((n) => n.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(message).toContain(aside!);
    expect(JSON.parse(await fs.readFile(path.join(tmp.dir, aside!), 'utf8')).methods['express-https'].schedule.retryIntervalMinutes).toBe(0);

    const settings = ok<'settings:get'>(await again.call('settings:get', {}));
    expect(settings.methods['express-https'].schedule).toEqual({ retryIntervalMinutes: 5, retryUntilHours: 48, window: '08:00-20:00' });
    expect(settings.methods.express.mail.smtpPort).toBe(25);
    expect(settings.opening).toMatchObject({ mode: 'key-code', userSystemCode: 'OPFILELESS', keyCode: '01239' });
    expect(settings.methods['express-https'].url1).toBe('https://center.example.jp/Scripts/trsRecvAlert.cgi');
    expect((await stored()).methods['express-https'].proxy.password).toBe('pr0xy-pass');
    await again.close();
    open.splice(0);
    // the repaired file was saved: the next start finds nothing wrong
    expect((await service()).startupNotices).toHaveLength(0);
    expect((await fs.readdir(tmp.dir)).filter((n) => n.startsWith('settings.json.corrupt-'))).toHaveLength(1);
  });

  it('a missing required field resets its part only; a file that is not settings is still set aside whole', async () => {
    const file = path.join(tmp.dir, 'settings.json');
    await fs.writeFile(
      file,
      JSON.stringify({ version: 1, opening: { mode: 'key-code', userSystemCode: 'OPFILELESS' }, methods: { express: { mail: { smtpHost: 'mail.example.jp' } } } }),
    );
    const s = await service();
    expect(s.startupNotices[0]?.message).toContain('opening');
    const settings = ok<'settings:get'>(await s.call('settings:get', {}));
    expect(settings.opening).toBeNull();
    expect(settings.methods.express.mail.smtpHost).toBe('mail.example.jp');
    await s.close();
    open.splice(0);

    await fs.writeFile(file, '[1, 2]');
    const whole = await service();
    expect(whole.startupNotices.at(-1)?.message).toContain('defaults');
  });
});

describe('one call per save: settings:patch (issue 10 item 6)', () => {
  it('applies several keys as one: checked together whatever their order, one write, one change event', async () => {
    const s = await opened();
    const events: string[] = [];
    s.subscribe((e) => events.push(e.type));
    const before = await fs.stat(path.join(tmp.dir, 'settings.json'));
    // the switch first and what it needs after it: one check of the result, so the order does not matter
    const saved = ok<'settings:patch'>(
      await s.call('settings:patch', {
        changes: {
          'methods.express-https.proxy.enabled': true,
          'methods.express-https.proxy.host': 'proxy.example.jp',
          'methods.express-https.proxy.port': '3128',
          'methods.express-https.proxy.user': 'alice',
          'methods.express-https.proxy.password': 'secret',
        },
      }),
    );
    expect(saved.methods['express-https'].proxy).toMatchObject({ enabled: true, host: 'proxy.example.jp', port: 3128, user: 'alice', password: '********' });
    expect(events.filter((t) => t === 'settings:changed')).toHaveLength(1);
    expect((await stored()).methods['express-https'].proxy.password).toBe('secret');
    expect((await fs.stat(path.join(tmp.dir, 'settings.json'))).ino).not.toBe(before.ino);
  });

  it('a patch with one bad key stores nothing, naming that key; a dry run checks and stores nothing', async () => {
    const s = await opened();
    const start = await stored();
    const bad = await s.call('settings:patch', { changes: { 'methods.express-https.url2': 'https://two.example.jp/x.cgi', 'methods.express-https.proxy.port': 70000 } });
    expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid-value', field: 'methods.express-https.proxy.port' });
    const unknown = await s.call('settings:patch', { changes: { 'methods.express-https.url2': 'https://two.example.jp/x.cgi', 'methods.express-https.nonsense': 1 } });
    expect(!unknown.ok && unknown.error).toMatchObject({ code: 'unknown-key', field: 'methods.express-https.nonsense' });
    const state = await s.call('settings:patch', { changes: { 'methods.express-https.url2': 'https://two.example.jp/x.cgi', 'methods.express-https.openingReportedAt': '2026-01-01T00:00:00Z' } });
    expect(!state.ok && state.error).toMatchObject({ code: 'protected-key', field: 'methods.express-https.openingReportedAt' });
    const dry = ok<'settings:patch'>(await s.call('settings:patch', { changes: { 'methods.express-https.url2': 'https://two.example.jp/x.cgi' }, dryRun: true }));
    expect(dry.methods['express-https'].url2).toBe('https://two.example.jp/x.cgi');
    expect(await stored()).toEqual(start);
  });
});
