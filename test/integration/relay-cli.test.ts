/**
 * Issue 13, the CLI of the relay against real `serve` processes (the CLI reaches each through
 * its endpoint.json): `manager key [--new]`, `manager status`, `manager register --key-file F`
 * (宛先登録), `test --method manager-express-https`, the agent's `config set … manager.*`, `test`
 * on the manager route, `manager probe`, `manager trust`, and `manager agents [--json]`.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKeyFile } from '../center/issue-key-file';
import { startCenter, type Center } from '../helpers/center';
import { cli } from '../helpers/cli';
import { freePort, openByKeyCode, RELAY_ENV, startProduct, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-cli-');
let center: Center;
let manager: Product;
let agent: Product;
let port: number;

const run = (p: Product, ...args: string[]) => cli([...args, '--data-dir', p.dataDir], RELAY_ENV);

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  manager = await startProduct(path.join(tmp.dir, 'manager'));
  agent = await startProduct(path.join(tmp.dir, 'agent'));
  await openByKeyCode(manager, 'MANAGER02');
  await openByKeyCode(agent, 'AGENT02');
}, 60_000);

afterAll(async () => {
  await Promise.all([agent?.stop(), manager?.stop(), center?.stop()]);
  tmp.remove();
});

describe('express-report manager …', () => {
  it('sets up a manager: its own test report to the center, the receive port, enable; key and status', async () => {
    for (const [k, v] of [
      ['methods.manager-express-https.url1', center.url],
      ['methods.manager-express-https.caFile', center.ca],
      ['methods.manager-express-https.receivePort', String(port)],
    ]) {
      const r = run(manager, 'config', 'set', k!, v!);
      expect(r.status, r.stderr).toBe(0);
    }
    const test = run(manager, 'test', '--method', 'manager-express-https', '--destination', '1', '--result-mail', 'admin@example.co.jp');
    expect(test.status, test.stderr + test.stdout).toBe(0);
    expect(run(manager, 'method', 'enable', 'manager-express-https').status).toBe(0);
    await manager.waitForLog(/listening on 127\.0\.0\.1:/);
    const key = run(manager, 'manager', 'key');
    expect(key.status).toBe(0);
    expect(key.stdout.trim()).toMatch(/^([A-Z2-9]{4}-){7}[A-Z2-9]{4}$/);
    expect(run(manager, 'manager', 'key').stdout).toBe(key.stdout);
    const renewed = run(manager, 'manager', 'key', '--new');
    expect(renewed.stdout.trim()).not.toBe(key.stdout.trim());
    expect(run(manager, 'manager', 'key').stdout).toBe(renewed.stdout);
    const status = JSON.parse(run(manager, 'manager', 'status').stdout) as { fingerprint: string; receivers: { method: string; listening: boolean; address: string }[] };
    expect(status.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(status.receivers.find((r) => r.method === 'manager-express-https')).toMatchObject({ listening: true, address: `127.0.0.1:${port}` });
  });

  it('manager register --key-file F (宛先登録) stores the center destinations for forwarding, and is the only way to set them as registered', async () => {
    const issued = await issueKeyFile({ out: path.join(tmp.dir, 'center.key'), dataDir: center.dataDir, mail: 'center@example.co.jp', phones: ['03-1111-2222', '03-3333-4444'] });
    const r = run(manager, 'manager', 'register', '--key-file', issued.file);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { registeredAt: string; destinations: { mail: string; phonePrimary: string; phoneSecondary: string }; userSystemCode: string };
    expect(out.destinations).toEqual({ mail: 'center@example.co.jp', phonePrimary: '03-1111-2222', phoneSecondary: '03-3333-4444' });
    expect(out.userSystemCode).toBe(issued.userSystemCode);
    const m = JSON.parse(run(manager, 'config', 'get', 'methods.manager-express').stdout) as { destinationsRegisteredAt: string; mail: { destination: string }; dialup: { primary: { number: string } }; centerCertificatePem: string };
    expect(m.destinationsRegisteredAt).toBe(out.registeredAt);
    expect(m.mail.destination).toBe('center@example.co.jp');
    expect(m.dialup.primary.number).toBe('03-1111-2222');
    expect(m.centerCertificatePem).toContain('BEGIN CERTIFICATE');
    const refused = run(manager, 'config', 'set', 'methods.manager-express.destinationsRegisteredAt', '2026-01-01T00:00:00Z');
    expect(refused.status).toBe(2);
    const bad = run(manager, 'manager', 'register', '--key-file', path.join(tmp.dir, 'missing.key'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('missing.key');
  });

  it("an agent set up by config set reports through the manager; probe, trust and the agents list", async () => {
    const key = run(manager, 'manager', 'key').stdout.trim();
    for (const [k, v] of [
      ['methods.express-https.route', 'manager'],
      ['methods.express-https.manager.host', '127.0.0.1'],
      ['methods.express-https.manager.port', String(port)],
      ['methods.express-https.manager.key', key],
    ]) {
      const r = run(agent, 'config', 'set', k!, v!);
      expect(r.status, r.stderr).toBe(0);
    }
    // The key is a secret: masked by config get.
    expect(run(agent, 'config', 'get', 'methods.express-https.manager.key').stdout.trim()).toBe('"********"');
    const probe = run(agent, 'manager', 'probe');
    expect(probe.status, probe.stderr).toBe(0);
    expect(probe.stdout).toContain('not pinned yet');
    const test = run(agent, 'test', '--method', 'express-https', '--destination', '1', '--result-mail', 'result@example.co.jp');
    expect(test.status, test.stderr + test.stdout).toBe(0);
    const pinned = JSON.parse(run(agent, 'config', 'get', 'methods.express-https.manager.fingerprint').stdout) as string;
    const status = JSON.parse(run(manager, 'manager', 'status').stdout) as { fingerprint: string };
    expect(pinned).toBe(status.fingerprint);
    expect(run(agent, 'manager', 'probe').stdout).toContain('is the pinned one');
    const open = run(agent, 'opening-report', '--method', 'express-https', '--ignore-syntax-errors');
    expect(open.status, open.stderr + open.stdout).toBe(0);
    // trust: forget the pin, then accept it again.
    expect(run(agent, 'manager', 'trust', '--fingerprint', '').stdout.trim()).toBe('(none pinned)');
    expect(run(agent, 'manager', 'trust', '--fingerprint', status.fingerprint.toLowerCase()).stdout.trim()).toBe(status.fingerprint);
    const agents = run(manager, 'manager', 'agents', '--json');
    expect(agents.status).toBe(0);
    const list = JSON.parse(agents.stdout) as { agents: { serverName: string; reports: number }[]; silent: number };
    expect(list.silent).toBe(0);
    expect(list.agents.map((a) => a.serverName)).toEqual(['AGENT02']);
    expect(run(manager, 'manager', 'agents').stdout).toMatch(/AGENT02\tOPFILELESS\t127\.0\.0\.1:\d+\tmanager-express-https/);
  });

  it('without a running serve, the CLI sends through the manager itself and ends at once (no link keeps it alive)', async () => {
    await agent.stop();
    const started = Date.now();
    const test = run(agent, 'test', '--method', 'express-https', '--destination', '1', '--result-mail', 'result@example.co.jp');
    expect(test.status, test.stderr + test.stdout).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    // --user-id is the manager's 到達確認テスト only.
    const wrong = run(agent, 'test', '--method', 'express-https', '--destination', '1', '--user-id', 'U1');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--user-id goes with --method manager-express');
  });
});
