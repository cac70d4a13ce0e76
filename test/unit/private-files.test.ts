/**
 * Item 17 of issue 9: what the product creates is its owner's only, as docs/operations.md
 * says — a new data folder (and any parent made for it) is 0700, and an attachment the queue
 * takes over is 0600 whatever mode the archive was made with.
 */
import { createHash } from 'node:crypto';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AlertService } from '../../src-main/core/alert-service';
import { ManualClock, ReportQueue } from '../../src-main/queue';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const mode = (file: string) => statSync(file).mode & 0o777;

it('a data folder the service creates, and the parent made for it, are 0700', async () => {
  const temp = tempDir('er-private-');
  cleanups.push(temp.remove);
  const dataDir = path.join(temp.dir, 'parent', 'express-report');
  const service = await AlertService.open({ dataDir, osLocale: 'en_US' });
  cleanups.push(() => service.close());
  expect(mode(dataDir)).toBe(0o700);
  expect(mode(path.dirname(dataDir))).toBe(0o700);
  expect(mode(path.join(dataDir, 'secret.key'))).toBe(0o600);
});

it('an attachment made 0644 is 0600 once the queue has it', async () => {
  const temp = tempDir('er-private-');
  const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
  const queue = await ReportQueue.open({
    dir: path.join(temp.dir, 'queue'),
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' }),
    reportersFor: () => [],
  });
  cleanups.push(temp.remove, () => queue.close());
  const bytes = Buffer.alloc(4096, 7);
  const file = path.join(temp.dir, 'logs.zip');
  writeFileSync(file, bytes);
  chmodSync(file, 0o644);
  const env = sampleEnvelope('alert', [{ name: 'logs.zip', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }]);
  await queue.accept(env, [{ file }]);
  expect(mode(path.join(queue.dir, 'attachments', `${env.id}-00`))).toBe(0o600);
});
