import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueKeyFile } from '../center/issue-key-file';
import { startCenter } from '../helpers/center';
import { cli, serve } from '../helpers/cli';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('er-cli-');
});
afterEach(() => tmp.remove());

const run = (...args: string[]) => cli([...args, '--data-dir', tmp.dir], { LANG: 'en_US.UTF-8' });

describe('express-report config', () => {
  it('prints the settings as JSON, masks passwords, and reads one key', () => {
    expect(run('config', 'set', 'methods.express.mail.smtp.password', 'pa55word').status).toBe(0);
    const all = run('config', 'get');
    expect(all.status).toBe(0);
    expect(all.stdout).not.toContain('pa55word');
    expect(JSON.parse(all.stdout).methods.express.schedule.retryIntervalMinutes).toBe(5);
    const one = run('config', 'get', 'methods.manager-express.receivePort');
    expect(one.stdout.trim()).toBe('31136');
  });

  it('sets schedule keys with validation: exit 2 and a one-line reason naming the key', () => {
    expect(run('config', 'set', 'methods.express.schedule.retryIntervalMinutes', '15').status).toBe(0);
    expect(run('config', 'set', 'methods.express.schedule.retryUntilHours', '24').status).toBe(0);
    expect(run('config', 'set', 'methods.express.schedule.window', '22:00-06:00').status).toBe(0);
    expect(JSON.parse(run('config', 'get', 'methods.express.schedule').stdout)).toEqual({
      retryIntervalMinutes: 15,
      retryUntilHours: 24,
      window: '22:00-06:00',
    });
    for (const [key, value] of [
      ['methods.express.schedule.retryIntervalMinutes', 'five'],
      ['methods.express.schedule.retryIntervalMinutes', '0'],
      ['methods.express.schedule.window', '8-20'],
      ['methods.manager-express.receivePort', '70000'],
    ] as const) {
      const r = run('config', 'set', key, value);
      expect(r.status, `${key}=${value}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(key);
    }
    expect(run('config', 'set', 'no.such.key', '1').status).toBe(2);
    expect(JSON.parse(run('config', 'get', 'methods.express.schedule').stdout).retryIntervalMinutes).toBe(15);
  });
});

describe('express-report method', () => {
  it('lists, refuses a method not set up, and keeps the seed’s mutual exclusion', async () => {
    const list = JSON.parse(run('method', 'list').stdout) as { name: string; enabled: boolean; configured: boolean }[];
    expect(list.map((m) => m.name)).toEqual(['express', 'express-https', 'manager-express', 'manager-express-https']);
    expect(list.every((m) => !m.enabled && !m.configured)).toBe(true);

    const refused = run('method', 'enable', 'express-https');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('has not been set up');

    // Express (HTTPS) set up by the real commands against the center simulator: open, test, opening report.
    const center = await startCenter();
    try {
      const key = await issueKeyFile({ out: path.join(tmp.dir, 'server.key'), dataDir: center.dataDir, httpsUrls: [center.url] });
      const must = (...args: string[]) => expect(run(...args), args.join(' ')).toMatchObject({ status: 0 });
      must('open', '--key-file', key.file, '--accept-hostname-mismatch');
      must('config', 'set', 'methods.express-https.caFile', center.ca);
      must('test', '--method', 'express-https', '--destination', '1', '--result-mail', 'result@example.co.jp');
      must('opening-report', '--method', 'express-https', '--ignore-syntax-errors');
    } finally {
      await center.stop();
    }
    expect(run('method', 'disable', 'express-https').status).toBe(0);
    run('config', 'set', 'methods.express.route', 'manager');
    run('config', 'set', 'methods.express.manager.host', 'manager.example.jp');
    expect(run('method', 'enable', 'express-https').status).toBe(0);
    const clash = run('method', 'enable', 'express');
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain('cannot be used together');
    expect(run('method', 'disable', 'express-https').status).toBe(0);
    expect(run('method', 'enable', 'express').status).toBe(0);
    const after = JSON.parse(run('method', 'list').stdout) as { name: string; enabled: boolean }[];
    expect(after.filter((m) => m.enabled).map((m) => m.name)).toEqual(['express']);
    expect(run('method', 'enable', 'fax').status).toBe(2);
  });

  it('says why in Japanese on a Japanese system', () => {
    const r = cli(['method', 'enable', 'express', '--data-dir', tmp.dir], { LANG: 'ja_JP.UTF-8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('開局情報が入力されていません');
  });
});

describe('express-report serve', () => {
  it('prints the url first, serves the contract with the token, and stops cleanly on SIGTERM', async () => {
    const served = await serve(tmp.dir);
    const host = `127.0.0.1:${served.port}`;
    const ok = await request(served.port, {
      method: 'POST',
      path: '/api/app:info',
      headers: { host, 'content-type': 'application/json', 'x-express-report-token': served.token },
      body: '{}',
    });
    expect(JSON.parse(ok.body).result.productVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await request(served.port, { path: '/', headers: { host } })).status).toBe(403);
    expect(await served.stop()).toBe(0);
  });

  it('tells the user when a corrupt settings file was kept aside', async () => {
    await fs.writeFile(path.join(tmp.dir, 'settings.json'), 'garbage');
    const r = run('config', 'get', 'ui.language');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('kept aside');
    expect((await fs.readdir(tmp.dir)).some((n) => n.startsWith('settings.json.corrupt-'))).toBe(true);
  });
});
