/**
 * The report commands of the CLI as an administrator runs them on a server: opened with a key
 * file from the center, set up and opened with `test` / `opening-report`, then `serve` running
 * while `report`, `queue`, `history`, `terminate` and `extend` are carried out by it (through
 * endpoint.json); SIGTERM stops it within 5 s. Real processes, the real center over TLS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src-shared/history';
import { CENTER_BIN, startCenter, type Center } from '../helpers/center';
import { cli, serve } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-cli-reports-');
let center: Center;
const dataDir = path.join(tmp.dir, 'data');
const env = { LANG: 'en_US.UTF-8', LC_ALL: '' };

function centerCli(args: string[]): string {
  const r = spawnSync(process.execPath, [CENTER_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`express-center ${args[0]} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
const printed = (stdout: string, name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(stdout)?.[1] ?? '';
const run = (...args: string[]) => cli([...args, '--data-dir', dataDir], env);

beforeAll(async () => {
  center = await startCenter({ dataDir: path.join(tmp.dir, 'center') });
});
afterAll(async () => {
  await center.stop();
  tmp.remove();
});

describe('express-report report / queue / history / terminate / extend', () => {
  it('opens from a key file, reports through a running serve, ends and is extended', async () => {
    const keyFile = path.join(tmp.dir, 'key.ini');
    const issued = centerCli(['issue-key-file', '--out', keyFile, '--data-dir', center.dataDir, '--expires', '2099-12-31', '--https-url', center.url, '--encoding', 'utf8']);
    const code = printed(issued, 'user-system-code');
    expect(run('open', '--key-file', keyFile, '--accept-hostname-mismatch').status).toBe(0);
    expect(run('config', 'set', 'methods.express-https.caFile', center.ca).status).toBe(0);
    // Without serve the CLI works on the data folder itself.
    const test = run('test', '--method', 'express-https', '--destination', '1', '--result-mail', 'admin@example.jp');
    expect(test.stdout + test.stderr).toMatch(/completed|delivered/i);
    expect(test.status).toBe(0);
    const opening = run('opening-report', '--method', 'express-https');
    expect(opening.stderr).toBe('');
    expect(opening.status).toBe(0);
    const before = run('history', '--json');
    expect((JSON.parse(before.stdout) as HistoryItem[]).map((i) => `${i.kind}:${i.state}`)).toEqual(['heartbeat:delivered', 'opening:delivered', 'test:delivered']);

    const served = await serve(dataDir, env);
    try {
      expect(existsSync(path.join(dataDir, 'endpoint.json'))).toBe(true);
      const reported = run('report', '--source', 'disk', '--event-id', '0xC0040007', '--message', 'bad block on sda', '--wait');
      expect(reported.stderr).toBe('');
      expect(reported.status).toBe(0);
      expect(reported.stdout).toMatch(/ alert disk 0xc0040007 express-https delivered attempts=1 /);
      const again = run('report', '--source', 'disk', '--event-id', '0xc0040007');
      expect(again.stdout).toMatch(/^suppressed/);
      expect(run('queue').stdout).toBe('');
      const history = JSON.parse(run('history', '--json', '--state', 'delivered').stdout) as HistoryItem[];
      expect(history.map((i) => i.kind)).toEqual(['alert', 'heartbeat', 'opening', 'test']);
      expect(center.reports().filter((r) => r.kind === 'alert' && r.event?.message === 'bad block on sda')).toHaveLength(1);

      const ended = run('terminate');
      expect(ended.status).toBe(0);
      expect(ended.stdout).toMatch(/has been ended/);
      const refused = run('report', '--source', 'atapi', '--event-id', '0xc0040006');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/has ended/);
      expect(JSON.parse(run('service', 'status').stdout)).toMatchObject({ state: 'terminated', expiresAt: '2099-12-31' });

      const bad = run('extend', '--key', 'AAAAA-BBBBB-CCCCC');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/key/i);
      const key = printed(centerCli(['issue-extension-key', '--data-dir', center.dataDir, '--user-system-code', code, '--expires', '2100-12-31']), 'key');
      const extended = run('extend', '--key', key);
      expect(extended.stderr).toBe('');
      expect(extended.status).toBe(0);
      expect(JSON.parse(run('service', 'status').stdout)).toMatchObject({ state: 'running', expiresAt: '2100-12-31' });
      expect(run('report', '--source', 'atapi', '--event-id', '0xc0040006', '--wait').stdout).toMatch(/delivered/);
    } finally {
      const t0 = Date.now();
      expect(await served.stop()).toBe(0);
      // systemd's stop timeout in docs/operations.md is 5 s.
      expect(Date.now() - t0).toBeLessThan(5_000);
    }
    expect(existsSync(path.join(dataDir, 'endpoint.json'))).toBe(false);
    // serve gone: the CLI reads the queue itself again.
    expect((JSON.parse(run('history', '--json').stdout) as HistoryItem[]).map((i) => i.kind)).toEqual(['alert', 'alert', 'heartbeat', 'opening', 'test']);
  });

  it('resend refuses an unknown id with a reason, and usage errors exit 2', () => {
    const r = run('resend', '6f1b3a52-0000-4000-8000-000000000000');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not in the report history/);
    expect(run('report', '--source', 'disk').status).toBe(2);
    expect(run('history', '--state', 'lost').stderr).toMatch(/unknown state lost/);
  });
});
