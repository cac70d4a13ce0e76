/**
 * The crash proof, in small (bench/queue.ts runs 200 kills): a child backend accepts reports
 * and delivers them to the real center simulator over TLS while it is killed with SIGKILL at
 * random moments and started again on the same folder. Every report it acknowledged (only once
 * durable) must reach the center exactly once; unacknowledged ones may or may not.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readQueue } from '../../src-main/queue';
import { startCenter, type Center } from '../helpers/center';
import { buildQueueChild, crashRun } from '../helpers/queue-child';
import { tempDir } from '../helpers/temp';

let center: Center;
const temp = tempDir('er-qcrash-');
beforeAll(async () => {
  await buildQueueChild();
  center = await startCenter();
});
afterAll(async () => {
  await center?.stop();
  temp.remove();
});

it('15 SIGKILLs at random moments: every acknowledged report arrives exactly once', { timeout: 150_000 }, async () => {
  const dir = path.join(temp.dir, 'queue');
  const result = await crashRun({ dir, center, kills: 15, maxLifeMs: 500, minAcksPerLife: 3, drainTimeoutMs: 100_000, drainStallMs: 30_000 });
  // Every child that got going was killed while it worked (at least 3 acknowledged each), however loaded the machine.
  expect(result.acknowledged).toBeGreaterThanOrEqual(3 * result.workingKills);
  expect(result.workingKills).toBeGreaterThan(5);
  expect(result.missing).toEqual([]);
  // The last child emptied its queue (it was not cut off by a fixed time), at a measured rate.
  expect(result.pending).toEqual([]);
  expect(result.drain).toMatchObject({ emptied: true, stopped: 'empty' });
  expect(result.unexpected).toEqual([]);
  expect(result.repeated).toEqual([]);
  expect(result.delivered).toBe(result.acknowledged);
  // The history agrees: nothing is left pending, every acknowledged report is delivered.
  const { entries } = await readQueue(dir);
  expect(entries.filter((e) => e.state !== 'delivered')).toEqual([]);
  const deliveredIds = new Set(entries.map((e) => e.id));
  expect(result.acknowledged).toBeLessThanOrEqual(deliveredIds.size);
});
