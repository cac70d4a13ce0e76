/**
 * Issue 13, trusting a CA file instead of pinning: the manager (a real `serve`) presents a
 * certificate issued by a company CA (put in `<data dir>/relay/` before its first start, as an
 * administrator would); an agent reporter (the product's, in this process) with that CA file
 * verifies it with Node's own chain and name check and pins nothing; with another CA file the
 * connection is refused at `tls`, and the report is kept (retryable).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelayLinks, createRelayReporter } from '../../src-main/channels/relay/agent-reporter';
import { createCenterCa, issueServerCertificate } from '../center/certs';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { freePort, setUpManager, startProduct, until, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-ca-');
let center: Center;
let manager: Product;
let port: number;
let key: string;
const companyCa = createCenterCa();
const otherCa = createCenterCa();
const caFile = path.join(tmp.dir, 'company-ca.pem');
const otherCaFile = path.join(tmp.dir, 'other-ca.pem');

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  const dataDir = path.join(tmp.dir, 'manager');
  mkdirSync(path.join(dataDir, 'relay'), { recursive: true });
  const issued = issueServerCertificate(companyCa, ['127.0.0.1']);
  writeFileSync(path.join(dataDir, 'relay', 'manager-key.pem'), issued.keyPem, { mode: 0o600 });
  writeFileSync(path.join(dataDir, 'relay', 'manager-cert.pem'), issued.certPem, { mode: 0o600 });
  writeFileSync(caFile, companyCa.certPem);
  writeFileSync(otherCaFile, otherCa.certPem);
  manager = await startProduct(dataDir);
  key = await setUpManager(manager, { center, port });
  await manager.waitForLog(/listening on 127\.0\.0\.1:/);
}, 60_000);

afterAll(async () => {
  await closeRelayLinks();
  await Promise.all([manager?.stop(), center?.stop()]);
  tmp.remove();
});

const report = () => {
  const base = sampleEnvelope('alert');
  return { envelope: { ...base, contract: { userSystemCode: 'OPFILELESS', keyCode: '' }, server: { ...base.server, serverName: 'CAAGENT' } }, attachments: [] };
};

describe('an agent that trusts a CA file', () => {
  it("verifies the manager's CA-issued certificate and pins nothing", async () => {
    const pinned: string[] = [];
    const reporter = createRelayReporter({ host: '127.0.0.1', port, key, fingerprint: '', caFile, heartbeatHours: 24, timeoutMs: 10_000 }, { onFirstContact: (fp) => void pinned.push(fp) });
    const r = report();
    const d = await reporter.send(r, {});
    expect(d.ok, JSON.stringify(d)).toBe(true);
    expect(pinned).toEqual([]);
    await until(() => center.reports().some((x) => x.id === r.envelope.id), 20_000, 'the report at the center');
  });

  it('refuses a manager whose certificate another CA issued (tls), keeping the report', async () => {
    const reporter = createRelayReporter({ host: '127.0.0.1', port, key, fingerprint: '', caFile: otherCaFile, heartbeatHours: 24, timeoutMs: 10_000 });
    const d = await reporter.send(report(), {});
    expect(d).toMatchObject({ ok: false, channel: 'relay', step: 'tls', retryable: true });
    expect(manager.alive).toBe(true);
  });

  it('says which file is wrong when the CA file cannot be used', async () => {
    const reporter = createRelayReporter({ host: '127.0.0.1', port, key, fingerprint: '', caFile: path.join(tmp.dir, 'missing.pem'), heartbeatHours: 24, timeoutMs: 10_000 });
    const d = await reporter.send(report(), {});
    expect(d).toMatchObject({ ok: false, step: 'config' });
    expect(d.ok ? '' : d.detail).toContain('missing.pem');
  });
});
