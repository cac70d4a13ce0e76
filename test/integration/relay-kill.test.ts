/**
 * Issue 13, the crash proof: the manager (a real `serve` process) is killed with SIGKILL at
 * KILLS random moments and started again on the same data folder while AGENTS agents send. The
 * agents are IN-PROCESS AGENT REPORTERS (the product's manager-target reporter and link, one
 * identity each, no queue of their own: each keeps what the manager has not acknowledged and
 * sends it again, as its queue would). Every report an agent saw acknowledged arrives at the
 * center simulator exactly once, and nothing an agent held is lost.
 *
 * The count, 100 kills with 50 agents, runs in CI (about 80 s here); RELAY_KILLS=N runs
 * another count.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelayLinks, createRelayReporter } from '../../src-main/channels/relay/agent-reporter';
import type { OutgoingReport } from '../../src-main/channels/reporter';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { freePort, setUpManager, startProduct, until, type Product } from '../helpers/relay-product';
import { tempDir } from '../helpers/temp';

/** the count; RELAY_KILLS=N for another */
const KILLS = Number(process.env.RELAY_KILLS ?? 100);
const AGENTS = 50;

const tmp = tempDir('er-relay-kill-');
let center: Center;
let manager: Product;
let port: number;
let key: string;
let fingerprint: string;

beforeAll(async () => {
  center = await startCenter();
  port = await freePort();
  manager = await startProduct(path.join(tmp.dir, 'manager'));
  key = await setUpManager(manager, { center, port });
  await manager.waitForLog(/listening on 127\.0\.0\.1:/);
  fingerprint = (await manager.call('manager:status', {})).fingerprint!;
}, 60_000);

afterAll(async () => {
  await closeRelayLinks();
  await Promise.all([manager?.kill(), center?.stop()]);
  tmp.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function report(agent: number, n: number): OutgoingReport {
  // Every third report carries a small attachment (the chunk path).
  const data = n % 3 === 0 ? Buffer.from(`log of agent ${agent}, report ${n}\n`.repeat(200)) : null;
  const attachments = data ? [{ name: 'log.zip', size: data.length, sha256: createHash('sha256').update(data).digest('hex'), open: () => Readable.from([data]) }] : [];
  const envelope = { ...sampleEnvelope('alert', attachments, randomUUID()), server: { ...sampleEnvelope().server, serverName: `AGENT${String(agent).padStart(3, '0')}` }, contract: { userSystemCode: 'OPFILELESS', keyCode: '' } };
  return { envelope, attachments };
}

describe(`kill -9 of the manager at ${KILLS} random moments while ${AGENTS} in-process agent reporters send`, () => {
  it('every report an agent saw acknowledged arrives at the center exactly once; nothing held is lost', async () => {
    const acked = new Set<string>();
    let stop = false;
    let failures = 0;
    const agents = Array.from({ length: AGENTS }, async (_, a) => {
      const reporter = createRelayReporter({ host: '127.0.0.1', port, key, fingerprint, caFile: '', heartbeatHours: 24, timeoutMs: 10_000 });
      const held: OutgoingReport[] = [];
      let n = 0;
      while (!stop || held.length > 0) {
        const r = held.shift() ?? (stop ? null : report(a, n++));
        if (!r) break;
        const d = await reporter.send(r, {});
        if (d.ok) acked.add(r.envelope.id);
        else {
          failures++;
          held.push(r);
          await sleep(100 + Math.random() * 200);
        }
      }
    });
    for (let k = 0; k < KILLS; k++) {
      await sleep(150 + Math.random() * 600);
      await manager.kill();
      manager = await startProduct(manager.dataDir);
      await manager.waitForLog(/listening on 127\.0\.0\.1:/, 20_000);
    }
    await sleep(500);
    stop = true;
    await Promise.all(agents);
    expect(acked.size).toBeGreaterThan(AGENTS);
    expect(failures).toBeGreaterThan(0);
    const listed = await until(
      () => {
        const reports = center.reports();
        const ids = new Set(reports.map((r) => r.id));
        return [...acked].every((id) => ids.has(id)) ? reports : null;
      },
      60_000,
      `all ${acked.size} acknowledged reports at the center`,
    );
    const counts = new Map<string, number>();
    for (const r of listed) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // Nothing reached the center that no agent sent.
    expect([...counts.keys()].every((id) => acked.has(id))).toBe(true);
    console.log(`relay kill -9: ${KILLS} kills, ${AGENTS} agents, ${acked.size} reports acknowledged, ${failures} sends refused or cut and sent again`);
  }, 60_000 + KILLS * 4000);
});
