/**
 * Issue 13, the agents list: an agent (an AlertService in this process, on the manager route)
 * sends its heartbeat by itself soon after its start; the manager (an AlertService too, its
 * clock moved by the test) lists it with its last heartbeat, and with a notice once it has been
 * silent for more than twice its heartbeat interval. The mail edition: agent → manager → a real
 * SMTP peer (npm smtp-server) through the mail channel. A manager whose own service has ended
 * refuses reports retryably, so agents keep them. Real TLS on 127.0.0.1 between the two.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelayLinks } from '../../src-main/channels/relay/agent-reporter';
import { defaultChannels } from '../../src-main/channels/registry';
import { AlertService } from '../../src-main/core/alert-service';
import type { ApiMethod, Params, Result } from '../../src-shared/api';
import { issueKeyFile } from '../center/issue-key-file';
import { startCenter, type Center } from '../helpers/center';
import { startSmtpPeer } from '../helpers/mail-smtp';
import { freePort, until } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-agents-');
let center: Center;
let manager: AlertService;
let agent: AlertService;
let port: number;
let mailPort: number;
let offset = 0;
const logs: string[] = [];

const caller = (s: () => AlertService) => async <M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> => {
  const out = await s().call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
};
const m = caller(() => manager);
const a = caller(() => agent);
// One set per service: a channel holds its service's parts.
const channels = () => defaultChannels({ relay: { listenHost: '127.0.0.1', heartbeatFirstMs: 200, heartbeatCheckMs: 60_000 } });

async function open(call: typeof m, serverName: string): Promise<void> {
  await call('opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: true },
    device: { serverName, deviceCode: 'N8100-XXX', serialNumber: serverName, warrantyNumber: '12345678' },
  });
}

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  mailPort = await freePort();
  // A damaged agents list (a disk fault, a hand edit) is set aside, never fatal.
  mkdirSync(path.join(tmp.dir, 'manager', 'relay'), { recursive: true });
  writeFileSync(path.join(tmp.dir, 'manager', 'relay', 'agents.json'), '{"format": 1, "agents": [{"serverName": 42');
  manager = await AlertService.open({ dataDir: path.join(tmp.dir, 'manager'), osLocale: 'en_US.UTF-8', channels: channels(), now: () => new Date(Date.now() + offset) });
  await open(m, 'MANAGER03');
  await m('settings:patch', { changes: { 'methods.manager-express-https.url1': center.url, 'methods.manager-express-https.caFile': center.ca, 'methods.manager-express-https.receivePort': port } });
  await m('methods:setEnabled', { name: 'manager-express-https', enabled: true });
  await manager.startBackground((line) => logs.push(line));
  await until(() => logs.some((l) => l.includes('listening on 127.0.0.1')), 10_000, 'the manager listening');
  const key = (await m('manager:key', {})).key;

  agent = await AlertService.open({ dataDir: path.join(tmp.dir, 'agent'), osLocale: 'en_US.UTF-8', channels: channels(), hostName: () => 'AGENT03', opening: { hostName: () => 'AGENT03' } });
  await open(a, 'AGENT03');
  const e = 'methods.express-https';
  await a('settings:patch', { changes: { [`${e}.route`]: 'manager', [`${e}.manager.host`]: '127.0.0.1', [`${e}.manager.port`]: port, [`${e}.manager.key`]: key, [`${e}.manager.heartbeatHours`]: 2 } });
  expect((await a('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } })).delivered).toBe(true);
  expect((await a('report:opening', { method: 'express-https', destination: 1, ignoreSyntaxErrors: true })).stage).toBe('done');
  await a('methods:setEnabled', { name: 'express-https', enabled: true });
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await manager?.close();
  await closeRelayLinks();
  await center?.stop();
  tmp.remove();
});

describe('the agents list and the heartbeat', () => {
  it('the agent sends its heartbeat by itself; the manager lists it; silent for more than twice the interval, it has a notice', async () => {
    await agent.startBackground(() => undefined);
    const listed = await until(
      async () => (await m('manager:agents', {})).agents.find((x) => x.serverName === 'AGENT03' && x.lastHeartbeatAt !== null) ?? null,
      10_000,
      'the heartbeat',
    );
    expect(listed).toMatchObject({ userSystemCode: 'OPFILELESS', heartbeatHours: 2, silent: false, notice: null, method: 'manager-express-https' });
    expect(listed.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(logs.some((l) => l.includes('agents.json was damaged') && l.includes('set aside as'))).toBe(true);
    expect(existsSync(path.join(tmp.dir, 'manager', 'relay', 'agents.json.bad'))).toBe(true);
    await agent.close();
    offset = 4 * 3600_000 + 60_000;
    const later = await m('manager:agents', {});
    expect(later.silent).toBe(1);
    expect(later.agents[0]!.silent).toBe(true);
    expect(later.agents[0]!.notice).toContain('AGENT03');
    expect(later.agents[0]!.notice).toContain('more than 4 hours');
    offset = 0;
  });

  it('agent → manager → center by mail: the manager forwards through the mail channel to a real SMTP peer; the mail edition listens on its own port', async () => {
    const smtp = await startSmtpPeer();
    try {
      const issued = await issueKeyFile({ out: path.join(tmp.dir, 'center.key'), dataDir: center.dataDir, mail: 'center@example.co.jp' });
      await m('manager:register', { file: { path: issued.file } });
      await m('settings:patch', {
        changes: {
          'methods.manager-express.receivePort': mailPort,
          'methods.manager-express.forward': 'mail',
          'methods.manager-express.mail.smtpHost': '127.0.0.1',
          'methods.manager-express.mail.smtpPort': smtp.port,
          'methods.manager-express.mail.sender': 'manager@example.co.jp',
        },
      });
      const events: string[] = [];
      manager.subscribe((e) => events.push(e.type));
      await m('methods:setEnabled', { name: 'manager-express', enabled: true });
      await until(() => logs.some((l) => l.includes(`manager-express: listening on 127.0.0.1:${mailPort}`)), 10_000, 'manager-express listening');
      const status = await m('manager:status', {});
      expect(status.receivers.find((x) => x.method === 'manager-express')).toMatchObject({ enabled: true, listening: true, forwardProblem: null });
      // The window hears that the receive service started.
      await until(() => events.includes('manager:changed'), 5000, 'manager:changed');
      const key = (await m('manager:key', {})).key;
      agent = await AlertService.open({ dataDir: path.join(tmp.dir, 'agent'), osLocale: 'en_US.UTF-8', channels: channels(), hostName: () => 'AGENT03', opening: { hostName: () => 'AGENT03' } });
      await a('methods:setEnabled', { name: 'express-https', enabled: false });
      await a('settings:patch', { changes: { 'methods.express.route': 'manager', 'methods.express.manager.host': '127.0.0.1', 'methods.express.manager.port': mailPort, 'methods.express.manager.key': key } });
      // The agent's window learns how the manager forwards (by mail: the test's result comes by mail).
      expect((await a('manager:probe', { method: 'express' })).forward).toBe('mail');
      const out = await a('report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
      expect(out.delivered, out.message).toBe(true);
      const id = (await a('history:list', {}))[0]!.id;
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual(['center@example.co.jp']);
      expect(smtp.received[0]!.from).toBe('manager@example.co.jp');
      expect(smtp.received[0]!.raw.toString('utf8')).toContain(id);
      // S/MIME (on by default) to the center certificate 宛先登録 read from the key file.
      expect(smtp.received[0]!.raw.toString('utf8')).toMatch(/application\/(x-)?pkcs7-mime/);
      const forwarded = (await m('history:list', {})).find((i) => i.id === id)!;
      expect(forwarded).toMatchObject({ method: 'express', lane: 'manager-express', state: 'delivered', from: { serverName: 'AGENT03' } });
      // The manager's own 送信テスト by mail: the generic test report of manager-express.
      const own = await m('report:test', { method: 'manager-express', destination: 1, result: { kind: 'mail', address: 'admin@example.co.jp' } });
      expect(own.delivered, own.message).toBe(true);
      expect(smtp.received).toHaveLength(2);
      // A report of the HTTPS edition sent to the mail edition's port is refused, naming the ports.
      await a('settings:patch', { changes: { 'methods.express-https.manager.port': mailPort } });
      const wrong = await a('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
      expect(wrong).toMatchObject({ delivered: false, step: 'manager-refused' });
      expect(wrong.message).toContain('receive port of manager-express');
      await a('settings:patch', { changes: { 'methods.express-https.manager.port': port } });
    } finally {
      await smtp.close();
    }
  });

  it("a manager whose own service has ended refuses reports retryably and says why: agents keep them", async () => {
    await m('service:terminate', {});
    const status = await m('manager:status', {});
    expect(status.receivers.find((x) => x.method === 'manager-express-https')!.forwardProblem).toContain('own service does not run');
    const out = await a('report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    expect(out.delivered).toBe(false);
    expect(out.step).toBe('manager-refused');
    expect(out.message).toContain('own service does not run');
  });
});
