import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../src-main/core/alert-service';
import { startWebServer, type RunningWebServer } from '../../src-main/transport/web-server';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-web-');
let web: RunningWebServer;
let service: AlertService;

beforeAll(async () => {
  const renderer = path.join(tmp.dir, 'renderer');
  await fs.mkdir(path.join(renderer, 'assets'), { recursive: true });
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>window</title>');
  await fs.writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(tmp.dir, 'secret.txt'), 'outside the renderer');
  service = await AlertService.open({ dataDir: path.join(tmp.dir, 'data'), osLocale: 'en_US' });
  web = await startWebServer({ host: service, rendererDir: renderer });
});
afterAll(async () => {
  await web.close();
  await service.close();
  tmp.remove();
});

const host = () => `127.0.0.1:${web.port}`;
const api = (method: string, headers: Record<string, string>, body = '{}') =>
  request(web.port, { method: 'POST', path: `/api/${method}`, headers: { 'content-type': 'application/json', ...headers }, body });

describe('browser mode guards', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(web.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${web.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('serves the window with the token, sets a same-site cookie, and sends a strict CSP', async () => {
    const res = await request(web.port, { path: `/?token=${web.token}`, headers: { host: host() } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>window</title>');
    expect(res.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
    const asset = await request(web.port, { path: '/assets/app.js', headers: { host: host(), cookie } });
    expect(asset.status).toBe(200);
  });

  it('answers a contract call with the token header', async () => {
    const res = await api('methods:list', { host: host(), 'x-express-report-token': web.token });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { ok: boolean; result: { name: string }[] };
    expect(body.ok).toBe(true);
    expect(body.result.map((m) => m.name)).toEqual(['express', 'express-https', 'manager-express', 'manager-express-https']);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { 'x-express-report-token': 'x'.repeat(32) }],
    ['a wrong token of another length', { 'x-express-report-token': 'short' }],
  ])('refuses %s with 403 (page and contract)', async (_name, headers: Record<string, string>) => {
    expect((await request(web.port, { path: '/', headers: { host: host(), ...headers } })).status).toBe(403);
    expect((await request(web.port, { path: '/assets/app.js', headers: { host: host(), ...headers } })).status).toBe(403);
    expect((await api('settings:get', { host: host(), ...headers })).status).toBe(403);
    expect((await request(web.port, { path: '/api/events', headers: { host: host(), ...headers } })).status).toBe(403);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const res = await api('settings:set', { host: host(), origin: 'http://evil.example', 'x-express-report-token': web.token }, '{"key":"ui.language","value":"en"}');
    expect(res.status).toBe(403);
    const other = await api('settings:get', { host: host(), origin: `http://127.0.0.1:${web.port + 1}`, 'x-express-report-token': web.token });
    expect(other.status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) even with the right token', async () => {
    for (const h of ['evil.example', `evil.example:${web.port}`, '127.0.0.1', `127.0.0.1:${web.port + 1}`]) {
      const res = await request(web.port, { path: `/?token=${web.token}`, headers: { host: h } });
      expect(res.status, h).toBe(403);
    }
  });

  it('does not serve files outside the renderer', async () => {
    const res = await request(web.port, { path: `/..%2Fsecret.txt?token=${web.token}`, headers: { host: host() } });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside');
  });

  it('refuses form posts and bad JSON without crashing', async () => {
    const form = await request(web.port, {
      method: 'POST',
      path: '/api/settings:get',
      headers: { host: host(), 'x-express-report-token': web.token, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    expect((await api('settings:get', { host: host(), 'x-express-report-token': web.token }, '{nope')).status).toBe(400);
    expect((await api('settings:get', { host: host(), 'x-express-report-token': web.token })).status).toBe(200);
  });

  it('streams events to the window', async () => {
    const received = new Promise<string>((resolve, reject) => {
      void import('node:http').then(({ get }) => {
        const req = get({ host: '127.0.0.1', port: web.port, path: `/api/events?token=${web.token}`, headers: { host: host() } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
            if (text.includes('settings:changed')) {
              req.destroy();
              resolve(text);
            }
          });
        });
        req.on('error', reject);
        req.on('response', () => {
          void api('settings:set', { host: host(), 'x-express-report-token': web.token }, '{"key":"methods.express.mail.sender","value":"a@b.jp"}');
        });
      });
    });
    expect(await received).toContain('data: {"type":"settings:changed"}');
  });
});
