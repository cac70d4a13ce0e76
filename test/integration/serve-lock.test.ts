/**
 * Item 5 of issue 9: one `serve` per data folder. A second one refuses in one line with a
 * non-zero exit and leaves the first untouched (its endpoint.json, its CLI clients). Two real
 * `node bin/express-report.cjs serve` processes; the first is killed with SIGKILL by its pid.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, serve, type Served } from '../helpers/cli';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-serve2-');
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tmp.remove();
});

const env = { LANG: 'en_US.UTF-8' };
const appInfo = (s: Served) =>
  request(s.port, { method: 'POST', path: '/api/app:info', headers: { host: `127.0.0.1:${s.port}`, 'content-type': 'application/json', 'x-express-report-token': s.token }, body: '{}' });

describe('one serve per data folder', () => {
  it('a second serve refuses in one line, exits non-zero, and leaves the first and its endpoint.json untouched', async () => {
    const dataDir = path.join(tmp.dir, 'a');
    const first = await serve(dataDir, env);
    running.push(first);
    const endpoint = path.join(dataDir, 'endpoint.json');
    const before = readFileSync(endpoint, 'utf8');

    const second = cli(['serve', '--data-dir', dataDir, '--port', '0'], env);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('already running on this data folder');
    expect(lines[0]).toContain(`process ${first.pid}`);
    expect(lines[0]).toContain(`http://127.0.0.1:${first.port}`);

    expect(readFileSync(endpoint, 'utf8')).toBe(before);
    expect((await appInfo(first)).status).toBe(200);
    // The CLI still reaches the first service through it.
    const status = cli(['service', 'status', '--data-dir', dataDir], env);
    expect(status.status, status.stderr).toBe(0);
    expect(await first.stop()).toBe(0);
  });

  it('says so in Japanese on a Japanese system', async () => {
    const dataDir = path.join(tmp.dir, 'ja');
    const first = await serve(dataDir, { LANG: 'ja_JP.UTF-8' });
    running.push(first);
    const second = cli(['serve', '--data-dir', dataDir, '--port', '0'], { LANG: 'ja_JP.UTF-8' });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('既にサービスが動作しています');
    expect(await first.stop()).toBe(0);
  });

  it('an endpoint.json left naming a live pid that is not the service (pid reuse) does not capture the CLI', async () => {
    const dataDir = path.join(tmp.dir, 'reused');
    const first = await serve(dataDir, env);
    running.push(first);
    const endpoint = path.join(dataDir, 'endpoint.json');
    const left = JSON.parse(readFileSync(endpoint, 'utf8')) as { pid: number; base: string; token: string };
    process.kill(first.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    // After a reboot the old pid belongs to some other live process (here: this test's).
    writeFileSync(endpoint, JSON.stringify({ ...left, pid: process.pid }));
    const r = cli(['config', 'get', 'ui.language', '--data-dir', dataDir], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('"auto"');
  });

  it('after the first is killed with SIGKILL, a new serve starts at once and the CLI follows it', async () => {
    const dataDir = path.join(tmp.dir, 'b');
    const first = await serve(dataDir, env);
    running.push(first);
    process.kill(first.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    // endpoint.json of the killed service is still there; it must not keep a new one out.
    const next = await serve(dataDir, env);
    running.push(next);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'endpoint.json'), 'utf8')).pid).toBe(next.pid);
    expect((await appInfo(next)).status).toBe(200);
    expect(await next.stop()).toBe(0);
  });
});
