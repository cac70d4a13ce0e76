import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, MethodStatus } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { SettingsStore } from '../../src-main/core/settings-store';
import { loadSecretCodec } from '../../src-main/platform/secrets';
import { startMailCenter } from '../helpers/mail-peers/center';
import { openedMailDataDir } from '../helpers/setup-methods';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const open = (osLocale = 'ja_JP.UTF-8') => AlertService.open({ dataDir: tmp.dir, osLocale });

async function ok<T>(p: Promise<{ ok: true; result: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const out = await p;
  if (!out.ok) throw new Error(out.error.message);
  return out.result as T;
}

describe('method rules (通報手段の設定)', () => {
  it('refuses to enable a method that is not set up, saying what is missing', async () => {
    const service = await open();
    const out = await service.call('methods:setEnabled', { name: 'express-https', enabled: true });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('not-configured');
    expect(out.error.message).toContain('エクスプレス通報サービス(HTTPS)');
    expect(out.error.details?.join('\n')).toContain('開局情報が入力されていません');
    expect(out.error.details?.join('\n')).toContain('URL');
    const list = await ok<MethodStatus[]>(service.call('methods:list', {}));
    expect(list.find((m) => m.name === 'express-https')).toMatchObject({ enabled: false, configured: false });
  });

  it('enables a set-up method, and refuses Express while Express (HTTPS) is on, and the reverse', async () => {
    // Express (HTTPS) and Express by e-mail on one key-file opening, each tested and
    // opening-reported by the real actions to the center simulator (HTTPS and SMTP).
    const center = await startMailCenter({ https: true });
    try {
      await openedMailDataDir(tmp.dir, center, { https: true });
    } finally {
      await center.stop();
    }
    const service = await open();
    const list = await ok<MethodStatus[]>(service.call('methods:setEnabled', { name: 'express-https', enabled: true }));
    expect(list.find((m) => m.name === 'express-https')?.enabled).toBe(true);

    const refused = await service.call('methods:setEnabled', { name: 'express', enabled: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('mutual-exclusion');
      expect(refused.error.message).toContain('同時に使用できません');
    }
    // The same rule holds when the key is set directly (the CLI's config set).
    const direct = await service.call('settings:set', { key: 'methods.express.enabled', value: 'true' });
    expect(direct.ok).toBe(false);

    await ok(service.call('methods:setEnabled', { name: 'express-https', enabled: false }));
    await ok(service.call('methods:setEnabled', { name: 'express', enabled: true }));
    const reverse = await service.call('methods:setEnabled', { name: 'express-https', enabled: true });
    expect(reverse.ok || reverse.error.code).toBe('mutual-exclusion');
  });

  it('speaks English when the OS locale is English, and when the user chooses it', async () => {
    const en = await open('en_US.UTF-8');
    const out = await en.call('methods:setEnabled', { name: 'express', enabled: true });
    expect(!out.ok && out.error.message).toContain('has not been set up');
    await en.close();

    const ja = await open('ja_JP.UTF-8');
    await ok(ja.call('settings:set', { key: 'ui.language', value: 'en' }));
    const info = await ok<{ language: string }>(ja.call('app:info', {}));
    expect(info.language).toBe('en');
  });
});

describe('schedule (スケジュール設定)', () => {
  it('keeps a valid schedule across a restart of the backend', async () => {
    const first = await open();
    await ok(first.call('schedule:set', { method: 'express', schedule: { retryIntervalMinutes: 10, retryUntilHours: 48, window: '08:00-20:00' } }));
    await first.close();
    const second = await open();
    const settings = await ok<{ methods: { express: { schedule: unknown } } }>(second.call('settings:get', {}));
    expect(settings.methods.express.schedule).toEqual({ retryIntervalMinutes: 10, retryUntilHours: 48, window: '08:00-20:00' });
  });

  it('refuses a bad value naming the field and changes nothing', async () => {
    const service = await open('en_US');
    const out = await service.call('schedule:set', { method: 'express', schedule: { retryIntervalMinutes: 0, retryUntilHours: 72, window: '00:00-24:00' } });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe('invalid-value');
      expect(out.error.field).toBe('methods.express.schedule.retryIntervalMinutes');
      expect(out.error.message).toMatch(/^methods\.express\.schedule\.retryIntervalMinutes: .*1/);
    }
    const bad = await service.call('schedule:set', { method: 'express', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: '25:00-01:00' } });
    expect(!bad.ok && bad.error.message).toContain('HH:MM-HH:MM');
    const settings = await ok<{ methods: { express: { schedule: unknown } } }>(service.call('settings:get', {}));
    expect(settings.methods.express.schedule).toEqual({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' });
  });
});

describe('settings:set', () => {
  it('refuses unknown keys, prototype keys and the version', async () => {
    const service = await open();
    for (const key of ['nope', 'methods.nope.enabled', '__proto__.x', 'methods.express.__proto__', 'version']) {
      const out = await service.call('settings:set', { key, value: '1' });
      expect(out.ok || out.error.code, key).toBe('unknown-key');
    }
  });

  it('tells listeners and sees changes another process wrote', async () => {
    const a = await open();
    const b = await open();
    const events: ApiEvent[] = [];
    a.subscribe((e) => events.push(e));
    await ok(a.call('settings:set', { key: 'methods.express.mail.smtpHost', value: 'smtp.example.jp' }));
    expect(events.map((e) => e.type)).toContain('settings:changed');
    const seen = await ok<{ methods: { express: { mail: { smtpHost: string } } } }>(b.call('settings:get', {}));
    expect(seen.methods.express.mail.smtpHost).toBe('smtp.example.jp');
  });

  it('never returns a password, and keeps it when the mask is sent back', async () => {
    const service = await open();
    await ok(service.call('settings:set', { key: 'methods.express.mail.smtp.password', value: 's3cret-pw' }));
    const got = await ok<unknown>(service.call('settings:get', {}));
    expect(JSON.stringify(got)).not.toContain('s3cret-pw');
    await ok(service.call('settings:set', { key: 'methods.express.mail.smtp.password', value: '********' }));
    const loaded = await new SettingsStore(path.join(tmp.dir, 'settings.json'), await loadSecretCodec(tmp.dir)).load();
    expect(loaded.settings.methods.express.mail.smtp.password).toBe('s3cret-pw');
  });

  it('stores passwords encrypted, with a key only its owner can read', async () => {
    const service = await open();
    await ok(service.call('settings:set', { key: 'methods.express-https.proxy.password', value: 'pr0xy-pass' }));
    const onDisk = await fs.readFile(path.join(tmp.dir, 'settings.json'), 'utf8');
    expect(onDisk).not.toContain('pr0xy-pass');
    expect(JSON.parse(onDisk).methods['express-https'].proxy.password).toMatch(/^enc:v1:/);
    expect((await fs.stat(path.join(tmp.dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(tmp.dir, 'settings.json'))).mode & 0o077).toBe(0);
  });

  it('says which passwords to enter again when the key was lost, and keeps everything else', async () => {
    const service = await open('en_US');
    await ok(service.call('settings:set', { key: 'methods.express-https.proxy.password', value: 'pr0xy-pass' }));
    await ok(service.call('settings:set', { key: 'methods.express-https.proxy.host', value: 'proxy.example.jp' }));
    await service.close();
    await fs.rm(path.join(tmp.dir, 'secret.key'));
    const again = await open('en_US');
    expect(again.startupNotices[0]?.message).toContain('methods.express-https.proxy.password');
    const settings = await ok<{ methods: { 'express-https': { proxy: { host: string; password: string } } } }>(again.call('settings:get', {}));
    expect(settings.methods['express-https'].proxy).toMatchObject({ host: 'proxy.example.jp', password: '' });
    await again.close();
    expect((await open('en_US')).startupNotices).toEqual([]);
  });

  it('answers unknown methods and bad params with an error, never a throw', async () => {
    const service = await open();
    expect(await service.call('nope:nope', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await service.call('methods:setEnabled', { name: 'fax', enabled: true })).toMatchObject({ ok: false, error: { code: 'invalid-value', field: 'name' } });
    expect(await service.call('settings:get', 'garbage')).toMatchObject({ ok: false });
  });
});

describe('a corrupt settings file', () => {
  it('is kept aside, the defaults are used and the user is told — in the window and after a restart', async () => {
    const file = path.join(tmp.dir, 'settings.json');
    await fs.writeFile(file, '{"version":1,"methods":{"express":{"schedule":{"retryIntervalMinutes":"five"}}}}');
    const service = await open('en_US');
    const info = await ok<{ notices: { id: string; message: string }[] }>(service.call('app:info', {}));
    expect(info.notices).toHaveLength(1);
    expect(info.notices[0]!.message).toContain('retryIntervalMinutes');
    const names = await fs.readdir(tmp.dir);
    const aside = names.find((n) => n.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await fs.readFile(path.join(tmp.dir, aside!), 'utf8')).toContain('"five"');
    expect(info.notices[0]!.message).toContain(aside!);
    await service.close();

    const again = await open('en_US');
    const still = await ok<{ notices: { id: string }[] }>(again.call('app:info', {}));
    expect(still.notices).toHaveLength(1);
    await ok(again.call('notices:dismiss', { id: still.notices[0]!.id }));
    expect((await ok<{ notices: unknown[] }>(again.call('app:info', {}))).notices).toHaveLength(0);
  });

  it('covers text that is not JSON and a version from the future', async () => {
    const file = path.join(tmp.dir, 'settings.json');
    await fs.writeFile(file, '{"version":1, truncated');
    const s1 = await open('en_US');
    expect(s1.startupNotices[0]?.message).toContain('not JSON');
    await fs.writeFile(file, '{"version":7}');
    const s2 = await open('en_US');
    expect(s2.startupNotices[0]?.message).toContain('newer than this program');
    expect((await fs.readdir(tmp.dir)).filter((n) => n.includes('.corrupt-'))).toHaveLength(2);
  });
});
