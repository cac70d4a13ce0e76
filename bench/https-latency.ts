/**
 * Latency of a test report through a real proxy on loopback: the HTTPS reporter sends 50 test
 * reports to the center simulator over TLS, through tinyproxy with Basic authentication, one
 * after another; median and 95th percentile of the whole delivery (connect, CONNECT, TLS, POST,
 * acknowledgement).
 */
import { randomUUID } from 'node:crypto';
import { createHttpsReporter } from '../src-main/channels/https/https-reporter';
import { sampleReport, startCenter } from '../test/helpers/center';
import { startTinyproxy, tinyproxyPath } from '../test/helpers/tinyproxy';
import type { Bench } from './types';

const RUNS = 50;

interface LatencyResult {
  date: string;
  runs: number;
  throughProxy: boolean;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const httpsLatencyBench: Bench<LatencyResult> = {
  name: 'https-latency',
  async run(ctx) {
    if (!tinyproxyPath()) throw new Error('tinyproxy is not installed (apt-get install -y tinyproxy)');
    const center = await startCenter();
    const proxy = await startTinyproxy({ user: 'bench', password: 'bench-pass' });
    try {
      const reporter = createHttpsReporter({
        url: center.url,
        caFile: center.ca,
        proxy: { host: proxy.host, port: proxy.port, user: 'bench', password: 'bench-pass' },
        timeoutMs: 10_000,
      });
      const samples: number[] = [];
      for (let i = 0; i < RUNS + 3; i++) {
        const started = performance.now();
        const delivery = await reporter.send(sampleReport('test', [], randomUUID()), {});
        const ms = performance.now() - started;
        if (!delivery.ok) throw new Error(`delivery ${i} failed: ${delivery.detail}`);
        if (i >= 3) samples.push(Math.round(ms * 10) / 10); // the first three warm up
      }
      const sorted = [...samples].sort((a, b) => a - b);
      ctx.log(`${RUNS} test reports through tinyproxy to the center`);
      return {
        date: new Date().toISOString(),
        runs: RUNS,
        throughProxy: true,
        medianMs: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        minMs: sorted[0]!,
        maxMs: sorted.at(-1)!,
        samplesMs: samples,
      };
    } finally {
      await proxy.stop();
      await center.stop();
    }
  },
  summary: (r) => [`test report through proxy: median ${r.medianMs} ms, p95 ${r.p95Ms} ms (${r.runs} runs, min ${r.minMs}, max ${r.maxMs})`],
};
