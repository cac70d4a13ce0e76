import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  migrateSettings,
  MigrationError,
  redactSecrets,
  scheduleSchema,
  settingsSchema,
  SETTINGS_VERSION,
} from '../../src-shared/settings';
import { METHOD_NAMES } from '../../src-shared/methods';

describe('settings schema v1 defaults (the seed’s values)', () => {
  const s = defaultSettings();

  it('is version 1 with every method present and disabled', () => {
    expect(s.version).toBe(1);
    for (const name of METHOD_NAMES) expect(s.methods[name].enabled).toBe(false);
  });

  it('uses schedule 5 min / 72 h / all day for every method (seed L903)', () => {
    for (const name of METHOD_NAMES) {
      expect(s.methods[name].schedule).toEqual({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' });
    }
  });

  it('has the receive ports 31136 and 31138 (seed L1091, L3085)', () => {
    expect(s.methods['manager-express'].receivePort).toBe(31136);
    expect(s.methods['manager-express-https'].receivePort).toBe(31138);
    expect(s.methods.express.manager.port).toBe(31136);
    expect(s.methods['express-https'].manager.port).toBe(31138);
  });

  it('has uuencode, S/MIME on, POP 110, SMTP 25, CRAM-MD5/LOGIN/PLAIN, dial 60 s tone, proxy off', () => {
    const mail = s.methods.express.mail;
    expect(mail.encoding).toBe('uuencode');
    expect(s.methods.express.smime).toBe(true);
    expect(s.methods['manager-express'].smime).toBe(true);
    expect(mail.pop.port).toBe(110);
    expect(mail.smtpPort).toBe(25);
    expect([mail.smtp.cramMd5, mail.smtp.login, mail.smtp.plain]).toEqual([true, true, true]);
    expect(s.methods.express.dialup.dialIntervalSeconds).toBe(60);
    expect(s.methods.express.dialup.dialMode).toBe('tone');
    expect(s.methods['express-https'].proxy.enabled).toBe(false);
    expect(s.methods['manager-express-https'].proxy.enabled).toBe(false);
  });

  it('starts unopened, in the OS language', () => {
    expect(s.opening).toBeNull();
    expect(s.ui.language).toBe('auto');
  });

  it('fills a partial file with defaults', () => {
    const parsed = settingsSchema.parse({ version: 1, methods: { express: { enabled: true } } });
    expect(parsed.methods.express.enabled).toBe(true);
    expect(parsed.methods.express.schedule.retryUntilHours).toBe(72);
  });
});

describe('schedule validation', () => {
  const ok = (v: unknown) => scheduleSchema.safeParse(v).success;
  it('accepts the defaults, a day window and a window across midnight', () => {
    expect(ok({})).toBe(true);
    expect(ok({ retryIntervalMinutes: 10, retryUntilHours: 48, window: '08:00-20:00' })).toBe(true);
    expect(ok({ window: '22:00-06:00' })).toBe(true);
  });
  it('refuses zero, fractions, out-of-range hours and malformed windows', () => {
    expect(ok({ retryIntervalMinutes: 0 })).toBe(false);
    expect(ok({ retryIntervalMinutes: 2.5 })).toBe(false);
    expect(ok({ retryUntilHours: 0 })).toBe(false);
    expect(ok({ retryUntilHours: 721 })).toBe(false);
    expect(ok({ window: '25:00-01:00' })).toBe(false);
    expect(ok({ window: '08:00-08:00' })).toBe(false);
    expect(ok({ window: '8-20' })).toBe(false);
  });
  it('refuses a retry limit shorter than one interval', () => {
    expect(ok({ retryIntervalMinutes: 120, retryUntilHours: 1 })).toBe(false);
    expect(ok({ retryIntervalMinutes: 60, retryUntilHours: 1 })).toBe(true);
  });
});

describe('migration hook', () => {
  it('leaves a current file alone', () => {
    const raw = { version: SETTINGS_VERSION, ui: { language: 'en' } };
    expect(migrateSettings(raw)).toEqual(raw);
  });
  it('runs each step from the file’s version up to the target', () => {
    const steps = {
      1: (r: Record<string, unknown>) => ({ ...r, renamed: r.old }),
      2: (r: Record<string, unknown>) => ({ ...r, third: true }),
    };
    expect(migrateSettings({ version: 1, old: 'x' }, steps, 3)).toEqual({ version: 3, old: 'x', renamed: 'x', third: true });
  });
  it('refuses a file newer than the program and a missing step', () => {
    expect(() => migrateSettings({ version: 9 }, {}, 1)).toThrow(MigrationError);
    expect(() => migrateSettings({ version: 1 }, {}, 2)).toThrow(/no migration from settings version 1/);
  });
});

describe('redactSecrets', () => {
  it('masks every non-empty password and nothing else', () => {
    const s = defaultSettings();
    s.methods.express.mail.smtp.password = 'hunter2';
    s.methods['express-https'].proxy.password = 'p';
    s.methods.express.mail.smtp.account = 'alice';
    const r = redactSecrets(s);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r.methods.express.mail.smtp.password).toBe('********');
    expect(r.methods['express-https'].proxy.password).toBe('********');
    expect(r.methods.express.mail.pop.password).toBe('');
    expect(r.methods.express.mail.smtp.account).toBe('alice');
  });
});
