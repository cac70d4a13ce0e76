import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, readQueue, ReportQueue, type QueueItem } from '../../src-main/queue';
import type { Delivery, OutgoingReport, Reporter } from '../../src-main/channels/reporter';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Reads every attachment the way a reporter does, and answers as told. */
function readingReporter(answer: () => Delivery): Reporter & { got: { name: string; sha256: string; bytes: Buffer }[][] } {
  const got: { name: string; sha256: string; bytes: Buffer }[][] = [];
  return {
    name: 'reading',
    channel: 'https',
    got,
    async send(report: OutgoingReport) {
      const files = [];
      for (const a of report.attachments) {
        const chunks: Buffer[] = [];
        for await (const chunk of a.open()) chunks.push(chunk as Buffer);
        files.push({ name: a.name, sha256: a.sha256, bytes: Buffer.concat(chunks) });
      }
      got.push(files);
      return answer();
    },
  };
}

const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function setup(reporter: Reporter) {
  const temp = tempDir('er-qaccept-');
  const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
  const queue = await ReportQueue.open({
    dir: path.join(temp.dir, 'queue'),
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' }),
    reportersFor: () => [reporter],
  });
  cleanups.push(temp.remove, () => queue.close());
  return { queue, clock, temp: temp.dir };
}

function zipFile(dir: string, size: number): { file: string; bytes: Buffer; info: { name: string; size: number; sha256: string } } {
  const bytes = Buffer.alloc(size, 7);
  bytes.write(randomUUID());
  const file = path.join(dir, `logs-${randomUUID()}.zip`);
  writeFileSync(file, bytes);
  return { file, bytes, info: { name: 'logs.zip', size, sha256: digest(bytes) } };
}

describe('accept', () => {
  it('a file attachment is moved into the queue, streamed to the reporter, deleted once delivered', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue, temp } = await setup(reporter);
    const zip = zipFile(temp, 300_000);
    const env = sampleEnvelope('alert', [zip.info]);
    await queue.accept(env, [{ file: zip.file }]);
    expect(existsSync(zip.file)).toBe(false);
    const inQueue = path.join(queue.dir, 'attachments', `${env.id}-00`);
    expect(readFileSync(inQueue)).toEqual(zip.bytes);
    // Accepted means on disk: a look at the files sees it.
    expect((await readQueue(queue.dir)).entries.map((e) => e.id)).toEqual([env.id]);
    queue.start();
    await queue.idle();
    expect(reporter.got[0]).toEqual([{ name: 'logs.zip', sha256: zip.info.sha256, bytes: zip.bytes }]);
    expect(queue.get(env.id)!.state).toBe('delivered');
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(path.join(queue.dir, 'attachments'))).toEqual([]);
  });

  it('a failed report keeps its file for a resend', async () => {
    let up = false;
    const reporter = readingReporter(() => (up ? { ok: true, destination: 'https://a/', detail: 'ok' } : { ok: false, destination: 'https://a/', channel: 'https', step: 'http-status', retryable: false, detail: '404' }));
    const { queue, temp } = await setup(reporter);
    const zip = zipFile(temp, 1000);
    const env = sampleEnvelope('alert', [zip.info]);
    await queue.accept(env, [{ file: zip.file }]);
    queue.start();
    await queue.idle();
    expect(queue.get(env.id)!.state).toBe('failed');
    up = true;
    await queue.resend(env.id);
    await queue.idle();
    expect(reporter.got.map((files) => files[0]!.bytes)).toEqual([zip.bytes, zip.bytes]);
  });

  it('a small payload is kept inline and sent as given', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue } = await setup(reporter);
    const data = Buffer.from('PK small archive');
    const env = sampleEnvelope('alert', [{ name: 'small.zip', size: data.length, sha256: digest(data) }]);
    await queue.accept(env, [{ data }]);
    queue.start();
    await queue.idle();
    expect(reporter.got[0]![0]!.bytes).toEqual(data);
  });

  it('refuses what does not match the envelope, and leaves the caller files where they were', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue, temp } = await setup(reporter);
    const zip = zipFile(temp, 1000);
    await expect(queue.accept(sampleEnvelope('alert', [{ ...zip.info, size: 999 }]), [{ file: zip.file }])).rejects.toMatchObject({ code: 'attachment', message: expect.stringContaining('has 1000 bytes, the envelope says 999') });
    expect(existsSync(zip.file)).toBe(true);
    await expect(queue.accept(sampleEnvelope('alert', [zip.info]), [])).rejects.toMatchObject({ code: 'attachment' });
    await expect(queue.accept(sampleEnvelope('alert', [zip.info]), [{ file: path.join(temp, 'missing.zip') }])).rejects.toMatchObject({ code: 'attachment' });
    const big = Buffer.alloc(64 * 1024 + 1);
    await expect(queue.accept(sampleEnvelope('alert', [{ name: 'b.zip', size: big.length, sha256: digest(big) }]), [{ data: big }])).rejects.toMatchObject({ code: 'attachment' });
    const small = Buffer.from('abc');
    await expect(queue.accept(sampleEnvelope('alert', [{ name: 'b.zip', size: 3, sha256: digest(Buffer.from('abd')) }]), [{ data: small }])).rejects.toMatchObject({ code: 'attachment' });
    await expect(queue.accept({ ...sampleEnvelope('alert'), id: 'nope' })).rejects.toMatchObject({ code: 'invalid-report', message: expect.stringContaining('id') });
    expect(queue.list()).toEqual([]);
  });

  it('one id once, even when accepted twice at the same moment: both callers get the stored report', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue, temp } = await setup(reporter);
    const one = zipFile(temp, 100);
    const two = zipFile(temp, 100);
    const env = sampleEnvelope('alert', [one.info]);
    const results = await Promise.allSettled([queue.accept(env, [{ file: one.file }]), queue.accept({ ...env, attachments: [two.info] }, [{ file: two.file }])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const [first, second] = results.map((r) => (r as PromiseFulfilledResult<QueueItem>).value);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ id: env.id, seq: 0, state: 'queued' });
    // The first one's file is the queue's; the second caller's stays where it was, for it to dispose of.
    expect(readFileSync(path.join(queue.dir, 'attachments', `${env.id}-00`))).toEqual(one.bytes);
    expect(existsSync(one.file)).toBe(false);
    expect(readFileSync(two.file)).toEqual(two.bytes);
    expect(queue.list()).toHaveLength(1);
    expect(queue.counts().entries).toBe(1);
  });

  it('an id already stored gives the stored report (even settled), takes nothing and stores nothing', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue, temp } = await setup(reporter);
    const env = sampleEnvelope('alert');
    const accepted = await queue.accept(env);
    const commits = queue.counts().commits;
    const again = zipFile(temp, 100);
    // Even with attachments that do not match: the stored report is the answer, the file is left alone.
    expect(await queue.accept(env, [{ file: again.file }], { lane: 'express' })).toEqual(accepted);
    expect(readFileSync(again.file)).toEqual(again.bytes);
    expect(queue.counts().commits).toBe(commits);
    queue.start();
    await queue.idle();
    const delivered = queue.get(env.id)!;
    expect(delivered.state).toBe('delivered');
    expect(await queue.accept(env)).toEqual(delivered);
    expect(reporter.got).toHaveLength(1);
    expect(queue.list()).toHaveLength(1);
  });

  it('a second accept while the first is refused is tried on its own', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue, temp } = await setup(reporter);
    const good = zipFile(temp, 100);
    const env = sampleEnvelope('alert', [good.info]);
    // The first caller's file is missing: it is refused; the second, with its file, is accepted.
    const results = await Promise.allSettled([queue.accept(env, [{ file: path.join(temp, 'missing.zip') }]), queue.accept(env, [{ file: good.file }])]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'attachment' } });
    expect(results[1]).toMatchObject({ status: 'fulfilled', value: { id: env.id, state: 'queued' } });
    expect(readFileSync(path.join(queue.dir, 'attachments', `${env.id}-00`))).toEqual(good.bytes);
  });

  it('nothing is accepted after close', async () => {
    const reporter = readingReporter(() => ({ ok: true, destination: 'https://a/', detail: 'ok' }));
    const { queue } = await setup(reporter);
    await queue.close();
    await expect(queue.accept(sampleEnvelope('alert'))).rejects.toMatchObject({ code: 'closed' });
    await expect(queue.resend(randomUUID())).rejects.toMatchObject({ code: 'closed' });
  });
});
