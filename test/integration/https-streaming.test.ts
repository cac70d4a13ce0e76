/**
 * A 64 MiB attachment goes to the center without the reporter holding it: the
 * reporter runs in a child process of its own (so that nothing else in the test's process moves
 * its RSS), which samples its RSS while sending; the center stores every byte (size and sha256).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnvelope, startCenter, type Center } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const SIZE = 64 * 1024 * 1024;
const MiB = 1024 * 1024;
const tmp = tempDir('er-https-stream-');
let center: Center;

/** Writes SIZE bytes of random data (nothing to compress away) in 1 MiB steps and returns their sha256. */
async function bigFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let written = 0; written < SIZE; written += MiB) {
    const chunk = randomBytes(MiB);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}

const CHILD = `
import { createReadStream } from 'node:fs';
import { createHttpsReporter } from ${JSON.stringify(path.join(ROOT, 'src-main/channels/https/https-reporter.ts'))};

const { url, ca, file, envelope, warmup } = JSON.parse(process.env.STREAM_TEST);
const reporter = createHttpsReporter({ url, caFile: ca, timeoutMs: 60_000 });
// Warm up: load undici, TLS and the body code with a small report first.
const first = await reporter.send({ envelope: warmup, attachments: [] }, {});
if (!first.ok) throw new Error(first.detail);
global.gc();
await new Promise((r) => setTimeout(r, 100));
global.gc();
const baseline = process.memoryUsage().rss;
let peak = baseline;
// Collect garbage often, so that RSS shows what the reporter holds, not the chunks already sent
// that V8 has not yet collected (its slack for external memory is tens of MB).
let ticks = 0;
const sampler = setInterval(() => {
  if (++ticks % 10 === 0) global.gc();
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const attachment = envelope.attachments[0];
const delivery = await reporter.send({ envelope, attachments: [{ ...attachment, open: () => createReadStream(file) }] }, {});
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ delivery, baseline, peak }));
`;

beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await center?.stop();
  tmp.remove();
});

describe('a 64 MiB attachment', () => {
  it("is streamed: the reporter's RSS grows by less than half the attachment, and the center has every byte", async () => {
    const file = path.join(tmp.dir, 'big.zip');
    const sha256 = await bigFile(file);
    const envelope = sampleEnvelope('heartbeat', [{ name: 'config.zip', size: SIZE, sha256 }]);
    const script = path.join(tmp.dir, 'send.mts');
    writeFileSync(script, CHILD);
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, STREAM_TEST: JSON.stringify({ url: center.url, ca: center.ca, file, envelope, warmup: sampleEnvelope('test') }) },
    });
    expect(r.stderr).toBe('');
    const { delivery, baseline, peak } = JSON.parse(r.stdout) as { delivery: { ok: boolean; detail: string }; baseline: number; peak: number };
    expect(delivery).toMatchObject({ ok: true });
    const growth = (peak - baseline) / MiB;
    console.log(`reporter RSS: baseline ${(baseline / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB, growth ${growth.toFixed(1)} MiB for a ${SIZE / MiB} MiB attachment`);
    // Measured here: 6–10 MiB for 20 MiB, 12 MiB for 100 MiB (TLS and socket buffers, code warmed
    // up on the first large write), up to 15 MiB on a loaded CI machine. Holding the attachment
    // would add all of its 64 MiB, so half of it tells the two apart with room for that noise.
    expect(growth).toBeLessThan(SIZE / MiB / 2);

    const listed = center.reports().find((x) => x.id === envelope.id);
    expect(listed?.attachments).toEqual([{ name: 'config.zip', size: SIZE, sha256 }]);
  }, 120_000);
});
