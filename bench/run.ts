/**
 * `npm run bench` (after `npm run build`): runs the benchmarks, writes
 * bench/results/<name>.json and prints a summary. `npm run bench -- startup` runs only those named.
 * Chromium: /usr/bin/chromium, or CHROMIUM=/path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collectBench } from './collect';
import { dialupBench } from './dialup';
import { dialupBatchBench } from './dialup-batch';
import { drainBench } from './drain';
import { httpsLatencyBench } from './https-latency';
import { idleBench } from './idle';
import { mailBench } from './mail';
import { queueBench } from './queue';
import { relayBench } from './relay';
import { startup } from './startup';
import type { Bench, BenchContext } from './types';

const BENCHES: Bench[] = [startup, collectBench, httpsLatencyBench, queueBench, drainBench, idleBench, mailBench, dialupBench, relayBench, dialupBatchBench];

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const ctx: BenchContext = {
    root,
    chromiumPath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    log: (line) => console.log(`  ${line}`),
  };
  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  let failed = 0;
  for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
    console.log(`bench ${bench.name}:`);
    try {
      const result = await bench.run(ctx);
      const file = path.join(resultsDir, `${bench.name}.json`);
      writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
      for (const line of bench.summary(result)) console.log(`  ${line}`);
      console.log(`  → ${path.relative(root, file)}`);
    } catch (err) {
      failed++;
      console.error(`  failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
