/**
 * The queue with the real HTTPS reporter and the real center simulator over TLS; only the clock
 * is manual, so hours of retries take moments. Faults: the center dropping connections or
 * answering too late, a destination where nothing listens.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, ReportQueue, type MethodSchedule, type QueueItem } from '../../src-main/queue';
import { createHttpsReporter } from '../../src-main/channels/https/https-reporter';
import type { Reporter } from '../../src-main/channels/reporter';
import { fileAttachment, sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const MIN = 60_000;
const HOUR = 60 * MIN;

let center: Center;
beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await center?.stop();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await center.clearFaults();
});

/** A URL on loopback where nothing listens: connection refused. */
async function deadUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `https://127.0.0.1:${port}/Scripts/trsRecvAlert.cgi`;
}

const https = (url: string, timeoutMs = 2000): Reporter => createHttpsReporter({ url, caFile: center.ca, timeoutMs });

async function setup(options: { reporters: Reporter[]; schedule?: Partial<MethodSchedule>; start?: Date }) {
  const temp = tempDir('er-qhttps-');
  const clock = new ManualClock(options.start ?? new Date(2026, 2, 2, 10, 0));
  const events: QueueItem[] = [];
  const queue = await ReportQueue.open({
    dir: path.join(temp.dir, 'queue'),
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00', ...options.schedule }),
    reportersFor: () => options.reporters,
    onChange: (item) => events.push(item),
  });
  cleanups.push(temp.remove, () => queue.close());
  queue.start();
  const settle = () => queue.idle();
  return { queue, clock, events, temp: temp.dir, settle, advanceTo: (t: Date | number) => clock.advanceTo(t, settle), advance: (ms: number) => clock.advance(ms, settle) };
}

const arrived = (id: string) => center.reports().filter((r) => r.id === id);

describe('queue → HTTPS reporter → center simulator', () => {
  it('center down for a while, then up: delivered after retries, stored once', async () => {
    await center.fault({ mode: 'drop', count: 3 });
    const { queue, settle, advance, events } = await setup({ reporters: [https(center.url)] });
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', attempts: 1, lastError: { retryable: true } });
    expect(arrived(env.id)).toHaveLength(0);
    await advance(20 * MIN);
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 4, destination: center.url });
    expect(arrived(env.id)).toHaveLength(1);
    expect(events.filter((e) => e.state === 'retrying')).toHaveLength(3);
  });

  it('down past the limit: failed for good and visible; a resend with the same id arrives once', async () => {
    await center.fault({ mode: 'status', status: 503, count: 1000 });
    const { queue, settle, advance, events } = await setup({ reporters: [https(center.url)], schedule: { retryIntervalMinutes: 60, retryUntilHours: 3 } });
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    await advance(4 * HOUR);
    const failed = queue.get(env.id)!;
    expect(failed).toMatchObject({ state: 'failed', failure: 'retry-limit', attempts: 4, lastError: { step: 'http-status', status: 503, retryable: true } });
    expect(failed.lastError!.detail).toMatch(/answered 503/);
    expect(queue.list({ state: 'failed' }).map((i) => i.id)).toEqual([env.id]);
    expect(events.at(-1)).toMatchObject({ id: env.id, state: 'failed' });
    expect(arrived(env.id)).toHaveLength(0);
    await center.clearFaults();
    await queue.resend(env.id);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 5 });
    expect(arrived(env.id)).toHaveLength(1);
  });

  it('outside the window: the report waits for the opening, then goes', async () => {
    const { queue, settle, advanceTo } = await setup({ reporters: [https(center.url)], schedule: { window: '09:00-17:00' }, start: new Date(2026, 2, 2, 20, 0) });
    const env = sampleEnvelope('alert');
    const accepted = await queue.accept(env);
    expect(accepted).toMatchObject({ state: 'queued', nextAttemptAt: new Date(2026, 2, 3, 9, 0).toISOString() });
    await settle();
    await advanceTo(new Date(2026, 2, 3, 8, 59));
    expect(arrived(env.id)).toHaveLength(0);
    expect(queue.get(env.id)!.attempts).toBe(0);
    await advanceTo(new Date(2026, 2, 3, 9, 0));
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(arrived(env.id)).toHaveLength(1);
  });

  it('primary down, secondary up: delivered to the secondary in the same round', async () => {
    const primary = await deadUrl();
    const { queue, settle } = await setup({ reporters: [https(primary), https(center.url)] });
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 1, destination: center.url });
    expect(arrived(env.id)).toHaveLength(1);
  });

  it('both down: retrying with the secondary’s error, then delivered when the primary is back', async () => {
    const primary = await deadUrl();
    let reporters = [https(primary), https(await deadUrl())];
    const temp = tempDir('er-qhttps-');
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const queue = await ReportQueue.open({
      dir: path.join(temp.dir, 'q'),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' }),
      reportersFor: () => reporters,
    });
    cleanups.push(temp.remove, () => queue.close());
    queue.start();
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await queue.idle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', lastError: { step: 'connect', retryable: true } });
    reporters = [https(center.url), https(primary)];
    await clock.advance(5 * MIN, () => queue.idle());
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 2, destination: center.url });
  });

  it('an acknowledgement lost to a timeout: sent again with the same id, stored once', async () => {
    await center.fault({ mode: 'delay', delayMs: 1500, count: 1 });
    const { queue, settle, advance } = await setup({ reporters: [https(center.url, 500)] });
    const env = sampleEnvelope('alert');
    await queue.accept(env);
    await settle();
    expect(queue.get(env.id)).toMatchObject({ state: 'retrying', lastError: { step: 'timeout' } });
    await new Promise((r) => setTimeout(r, 1500));
    await advance(5 * MIN);
    expect(queue.get(env.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(arrived(env.id)).toHaveLength(1);
    expect((await center.stats()).duplicates).toBeGreaterThanOrEqual(1);
  });

  it('an attachment file travels from the queue folder to the center intact', async () => {
    const { queue, settle, temp } = await setup({ reporters: [https(center.url)] });
    const file = path.join(temp, 'logs.zip');
    writeFileSync(file, Buffer.from(`PK-${randomUUID()}`.repeat(5000)));
    const attachment = fileAttachment(file);
    const env = sampleEnvelope('alert', [attachment]);
    await queue.accept(env, [{ file }]);
    await settle();
    expect(queue.get(env.id)!.state).toBe('delivered');
    expect(arrived(env.id)[0]!.attachments).toEqual([{ name: 'logs.zip', size: attachment.size, sha256: attachment.sha256 }]);
  });
});
