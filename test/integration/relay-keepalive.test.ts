/**
 * Issue 13, keep-alives while a write is slow, and an attachment of many chunks streamed through: the center simulator holds every request for
 * 4 s, so a test report that waits for its forward is in hand at the manager (a real `serve`,
 * keep-alive every 0.5 s here) far longer than the agent's silence limit (1.5 s here, the
 * product's AgentLink in this process). The keep-alives hold the link; the test reaches the
 * center. Against the same manager with no forward in hand, the agent's silence limit does end a
 * link that gets no answer at all (a manager that stopped answering).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentLink } from '../../src-main/channels/relay/agent-link';
import { RelayError } from '../../src-main/channels/relay/relay-error';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { freePort, setUpManager, startProduct, until, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-relay-keep-');
let center: Center;
let manager: Product;
let port: number;
let key: string;
let fingerprint: string;

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  manager = await startProduct(path.join(tmp.dir, 'manager'), { EXPRESS_REPORT_RELAY_LIMITS: JSON.stringify({ keepaliveMs: 500 }) });
  key = await setUpManager(manager, { center, port });
  await manager.waitForLog(/listening on 127\.0\.0\.1:/);
  fingerprint = (await manager.call('manager:status', {})).fingerprint!;
}, 60_000);

afterAll(async () => {
  await Promise.all([manager?.stop(), center?.stop()]);
  tmp.remove();
});

const agent = { userSystemCode: 'OPFILELESS', serverName: 'KEEPALIVE' };

describe('keep-alives', () => {
  it('hold the link while the forward an agent waits for is slow; the test report reaches the center', async () => {
    await center.fault({ mode: 'delay', delayMs: 4000, count: 1 });
    const link = await AgentLink.open({ host: '127.0.0.1', port, key, fingerprint, ca: null, agent, heartbeatHours: 24, timeoutMs: 1500 });
    const envelope = { ...sampleEnvelope('test', [], randomUUID()), contract: { userSystemCode: agent.userSystemCode, keyCode: '' }, server: { ...sampleEnvelope().server, serverName: agent.serverName } };
    const started = Date.now();
    const outcome = await link.send({ envelope, attachments: [] }, true);
    expect(Date.now() - started).toBeGreaterThan(3500);
    expect(outcome.forwarded).toMatchObject({ delivered: true });
    expect(center.reports().filter((r) => r.id === envelope.id)).toHaveLength(1);
    link.close();
  });

  it('an attachment of many chunks is streamed to the manager, checked, and reaches the center intact', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const sha256 = createHash('sha256').update(data).digest('hex');
    // Handed over in uneven pieces, as a file stream would.
    const pieces = [data.subarray(0, 100_000), data.subarray(100_000, 2_000_000), data.subarray(2_000_000)];
    const attachment = { name: 'config.zip', size: data.length, sha256, open: () => Readable.from(pieces) };
    const link = await AgentLink.open({ host: '127.0.0.1', port, key, fingerprint, ca: null, agent, heartbeatHours: 24, timeoutMs: 10_000 });
    const base = sampleEnvelope('heartbeat', [attachment], randomUUID());
    const envelope = { ...base, contract: { userSystemCode: agent.userSystemCode, keyCode: '' }, server: { ...base.server, serverName: agent.serverName } };
    const outcome = await link.send({ envelope, attachments: [attachment] }, false);
    expect(outcome).toMatchObject({ stored: true, duplicate: false });
    link.close();
    const at = await until(() => center.reports().find((r) => r.id === envelope.id) ?? null, 20_000, 'the report at the center');
    expect(at.attachments).toEqual([{ name: 'config.zip', size: data.length, sha256 }]);
  });

  it('without them, the silence limit ends a link whose peer says nothing', async () => {
    // A listener that accepts and never answers: the hello never comes.
    const mute = net.createServer(() => undefined);
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    const mutePort = (mute.address() as net.AddressInfo).port;
    const started = Date.now();
    const err = await AgentLink.open({ host: '127.0.0.1', port: mutePort, key, fingerprint, ca: null, agent, heartbeatHours: 24, timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).step).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    mute.close();
  });
});
