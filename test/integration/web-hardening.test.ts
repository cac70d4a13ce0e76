/**
 * Items 16, 17 (HTTP) and the forbidden page of issue 9, against the real loopback server:
 * the page cookie is bound to this port and start and never opens the contract; a stale token
 * gets a page in the user's language; malformed paths are 400; a body over the limit is 413.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../src-main/core/alert-service';
import { startWebServer, type RunningWebServer } from '../../src-main/transport/web-server';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-webh-');
const renderer = path.join(tmp.dir, 'renderer');
let service: AlertService;
let web: RunningWebServer;
const started: RunningWebServer[] = [];

async function start(options: { port?: number; token?: string; language?: () => 'ja' | 'en' } = {}): Promise<RunningWebServer> {
  const server = await startWebServer({ host: service, rendererDir: renderer, ...options });
  started.push(server);
  return server;
}

beforeAll(async () => {
  await fs.mkdir(path.join(renderer, 'assets'), { recursive: true });
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>window</title>');
  await fs.writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  service = await AlertService.open({ dataDir: path.join(tmp.dir, 'data'), osLocale: 'ja_JP.UTF-8' });
  web = await start({ language: () => service.language() });
});
afterAll(async () => {
  for (const s of started) await s.close();
  await service.close();
  tmp.remove();
});

const host = (s: RunningWebServer) => `127.0.0.1:${s.port}`;
const api = (s: RunningWebServer, method: string, headers: Record<string, string>, body = '{}') =>
  request(s.port, { method: 'POST', path: `/api/${method}`, headers: { host: host(s), 'content-type': 'application/json', ...headers }, body });
async function pageCookie(s: RunningWebServer): Promise<{ name: string; value: string }> {
  const res = await request(s.port, { path: `/?token=${s.token}`, headers: { host: host(s), connection: 'close' } });
  const [name, value] = res.headers['set-cookie']![0]!.split(';')[0]!.split('=') as [string, string];
  return { name, value };
}

describe('the page cookie (item 16)', () => {
  it('carries the port in its name, is not the token, and opens the window files but never the contract', async () => {
    const { name, value } = await pageCookie(web);
    expect(name).toBe(`er_token_${web.port}`);
    expect(value).not.toBe(web.token);
    expect(value).not.toContain(web.token);
    const cookie = `${name}=${value}`;
    expect((await request(web.port, { path: '/assets/app.js', headers: { host: host(web), cookie } })).status).toBe(200);
    expect((await request(web.port, { path: '/', headers: { host: host(web), cookie } })).status).toBe(200);
    // What a server on another 127.0.0.1 port is sent is useless for the contract.
    expect((await api(web, 'settings:get', { cookie })).status).toBe(403);
    expect((await api(web, 'settings:set', { cookie }, '{"key":"ui.language","value":"en"}')).status).toBe(403);
    expect((await request(web.port, { path: '/api/events', headers: { host: host(web), cookie } })).status).toBe(403);
    expect((await api(web, 'settings:get', { 'x-express-report-token': web.token })).status).toBe(200);
  });

  it('is bound to this start and this port: another server (even with the same token) refuses it', async () => {
    const first = await start({ token: 'a'.repeat(32) });
    const { value } = await pageCookie(first);
    const other = await start({ token: 'a'.repeat(32) });
    const onOther = { host: host(other), cookie: `er_token_${other.port}=${value}` };
    expect((await request(other.port, { path: '/assets/app.js', headers: onOther })).status).toBe(403);
    // The same port after a restart, with the same token: the old cookie is refused.
    const port = first.port;
    await first.close();
    const restarted = await start({ port, token: 'a'.repeat(32) });
    // (a fresh connection: the agent's pooled one went with the closed server)
    const again = { host: host(restarted), cookie: `er_token_${port}=${value}`, connection: 'close' };
    expect((await request(port, { path: '/assets/app.js', headers: again })).status).toBe(403);
  });
});

describe('the forbidden page (a stale address after a restart)', () => {
  const stale = (s: RunningWebServer, headers: Record<string, string> = {}) =>
    request(s.port, { path: `/?token=${'x'.repeat(32)}`, headers: { host: host(s), ...headers } });

  it('is Japanese by default and says to open the new address printed by serve', async () => {
    const res = await stale(web);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html lang="ja">');
    expect(res.body).toContain('サービスが再起動された');
    expect(res.body).toContain('express-report serve が表示した新しいアドレス');
    expect(res.body).not.toMatch(/<script/i);
  });

  it('is English when the browser asks for it (Accept-Language) or the settings say so', async () => {
    const en = await stale(web, { 'accept-language': 'en-US,en;q=0.9,ja;q=0.5' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('the service was probably restarted');
    expect(en.body).toContain('printed by express-report serve');
    expect((await stale(web, { 'accept-language': 'fr, ja;q=0.8, en;q=0.7' })).body).toContain('<html lang="ja">');
    await service.call('settings:set', { key: 'ui.language', value: 'en' });
    try {
      expect((await stale(web)).body).toContain('<html lang="en">');
      expect((await stale(web, { 'accept-language': 'ja' })).body).toContain('<html lang="en">');
    } finally {
      await service.call('settings:set', { key: 'ui.language', value: 'auto' });
    }
  });

  it('stays a plain 403 for the contract', async () => {
    const res = await api(web, 'settings:get', { 'x-express-report-token': 'x'.repeat(32) });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });
});

describe('small HTTP defects (item 17)', () => {
  it('a malformed percent-escape in the path is 400, not 500, for a page and for the contract', async () => {
    for (const p of ['/%', '/%zz', '/assets/%E0%A4%A']) {
      const res = await request(web.port, { path: `${p}?token=${web.token}`, headers: { host: host(web) } });
      expect(res.status, p).toBe(400);
    }
    for (const m of ['%', '%zz']) expect((await api(web, m, { 'x-express-report-token': web.token })).status, m).toBe(400);
    expect((await api(web, 'app:info', { 'x-express-report-token': web.token })).status).toBe(200);
  });

  it.each([
    ['just over the limit', 1024 * 1024 + 1],
    ['20 MiB', 20 * 1024 * 1024],
  ])('a body %s gets 413, not a reset, and the server goes on', async (_name, size) => {
    const body = `{"a":"${'x'.repeat(size)}"}`;
    const res = await api(web, 'settings:get', { 'x-express-report-token': web.token }, body);
    expect(res.status).toBe(413);
    expect(res.body).toContain('too large');
    expect((await api(web, 'app:info', { 'x-express-report-token': web.token })).status).toBe(200);
  });
});
