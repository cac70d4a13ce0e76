/**
 * Draining a full queue through the real HTTPS reporter to the center simulator (issue 10):
 * every report arrives once, over a handful of kept-alive connections — not one connection (and
 * TLS handshake) per report — and a CA file replaced on disk still counts (a connection verified
 * with the old CA is not reused). The rate itself is measured by `npm run bench -- drain`.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import diagnostics from 'node:diagnostics_channel';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeHttpsConnections, createHttpsReporter } from '../../src-main/channels/https/https-reporter';
import { DEFAULT_LANE, ReportQueue, type QueueItem } from '../../src-main/queue';
import { sampleReport, startCenter, type Center } from '../helpers/center';
import { crashEnvelope } from '../helpers/queue-child';
import { tempDir } from '../helpers/temp';

const PENDING = 400;
let center: Center;
let other: Center;
const temp = tempDir('er-qdrain-');

/** TLS connections undici opened meanwhile, by origin. */
const connections: string[] = [];
const onConnected = (message: unknown) => {
  const { connectParams } = message as { connectParams: { protocol: string; hostname: string; port: string } };
  connections.push(`${connectParams.protocol}//${connectParams.hostname}:${connectParams.port}`);
};

beforeAll(async () => {
  diagnostics.subscribe('undici:client:connected', onConnected);
  [center, other] = await Promise.all([startCenter(), startCenter()]);
});
afterAll(async () => {
  diagnostics.unsubscribe('undici:client:connected', onConnected);
  await closeHttpsConnections();
  await Promise.all([center?.stop(), other?.stop()]);
  temp.remove();
});

it(`${PENDING} pending reports drain over at most a lane's worth of connections, each arriving once`, { timeout: 120_000 }, async () => {
  const origin = new URL(center.url).origin;
  const settled: QueueItem[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const queue = await ReportQueue.open({
    dir: path.join(temp.dir, 'queue'),
    scheduleFor: () => ({ retryIntervalMinutes: 1, retryUntilHours: 72, window: '00:00-24:00' }),
    laneFor: () => DEFAULT_LANE,
    // As the pipeline does: a new reporter per attempt; the connections are the destination's.
    reportersFor: () => [createHttpsReporter({ url: center.url, caFile: center.ca, timeoutMs: 20_000 })],
    onChange: (item) => {
      if (item.state !== 'delivered' && item.state !== 'failed' && item.state !== 'retrying') return;
      settled.push(item);
      if (settled.length === PENDING) done();
    },
  });
  try {
    const now = new Date();
    const ids = Array.from({ length: PENDING }, () => randomUUID());
    await Promise.all(ids.map((id) => queue.accept(crashEnvelope(id, now))));
    const before = (await center.stats()).stored;
    const opened = connections.length;
    queue.start();
    await all;
    expect(settled.filter((i) => i.state !== 'delivered')).toEqual([]);
    expect((await center.stats()).stored - before).toBe(PENDING);
    const used = connections.slice(opened).filter((c) => c === origin);
    expect(used.length).toBeGreaterThanOrEqual(1);
    // One per attempt in hand (4), and a few more if an idle one was closed on a loaded machine.
    expect(used.length).toBeLessThanOrEqual(2 * DEFAULT_LANE.concurrency);
    const listed = new Set(center.reports().map((r) => r.id));
    expect(ids.filter((id) => !listed.has(id))).toEqual([]);
  } finally {
    await queue.close();
  }
});

it('a CA file replaced on disk counts within a second: the kept connection verified with the old CA is not reused', { timeout: 60_000 }, async () => {
  const caFile = path.join(temp.dir, 'ca.pem');
  copyFileSync(center.ca, caFile);
  const reporter = createHttpsReporter({ url: center.url, caFile, timeoutMs: 10_000 });
  expect(await reporter.send(sampleReport('test'), {})).toMatchObject({ ok: true });
  // Another center's CA: the center's certificate no longer chains to what the file trusts.
  copyFileSync(other.ca, caFile);
  await new Promise((r) => setTimeout(r, 1_100));
  const refused = await reporter.send(sampleReport('test'), {});
  expect(refused).toMatchObject({ ok: false, step: 'tls' });
  copyFileSync(center.ca, caFile);
  await new Promise((r) => setTimeout(r, 1_100));
  expect(await reporter.send(sampleReport('test'), {})).toMatchObject({ ok: true });
});
