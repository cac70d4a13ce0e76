/**
 * 一括通報 on a simulated line: N = 10 alert reports forwarded by a manager by dial-up, the real
 * dial-up channel (real serialport binding, socat pty pair) calling the real `express-center
 * modem` at 33,600 bit/s with the product's default modem times (guard 1 s, the modem answering
 * in 1 s), each report handed to the reporter as soon as the one before is delivered (as the
 * queue's lane does). Batched (the call kept up for the 3 s linger) against one call per report
 * (linger 0), in the same run, from the first send to the last hang-up; the dial-up interval at
 * its least, 1 s (at the default 60 s, one call each adds 9 × 60 s more).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../src-shared/settings';
import { sampleReport } from '../test/helpers/center';
import { dialupSettings, testChannel } from '../test/helpers/dialup-setup';
import { startModemCenter } from '../test/helpers/modem-center';
import { machineInfo } from './common';
import type { Bench, MachineInfo } from './types';

const N = 10;
const GUARD_MS = 1000;
const ANSWER_MS = 1000;
const BPS = 33600;

interface Run {
  lingerMs: number;
  reports: number;
  calls: number;
  /** from the first send to the last call's hang-up */
  totalMs: number;
  perReportMs: number;
}

interface BatchResult {
  date: string;
  machine: MachineInfo;
  bps: number;
  intervalSeconds: number;
  batched: Run;
  oneCallEach: Run;
  speedup: number;
}

function managerSettings(port: string): Settings {
  const s = dialupSettings(port, { baudRate: BPS, dialIntervalSeconds: 1, primary: '03-1234-5678' });
  s.methods['manager-express'].forward = 'dialup';
  s.methods['manager-express'].dialup = { ...s.methods.express.dialup };
  return s;
}

async function measure(dir: string, lingerMs: number): Promise<Run> {
  const modem = await startModemCenter({ baud: BPS, guardMs: GUARD_MS, answerMs: ANSWER_MS });
  try {
    const { channel, calls } = testChannel(mkdtempSync(path.join(dir, 'lock-')), { times: { guardMs: GUARD_MS, responseMs: 3000 }, lingerMs });
    const settings = managerSettings(modem.port);
    const [dest] = channel.destinations(settings, 'manager-express', null);
    const started = Date.now();
    for (let i = 0; i < N; i++) {
      const d = await channel.reporter(settings, 'manager-express', dest!).send(sampleReport('alert'), {});
      if (!d.ok) throw new Error(`report ${i + 1} failed: ${d.detail}`);
    }
    const end = Date.now() + lingerMs + 15_000;
    while (calls.reduce((n, c) => n + c.ids.length, 0) < N && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const last = Math.max(...calls.map((c) => c.hungUpAt));
    // The linger after the last report is idle time on the line, not the batch's: it is left out.
    const totalMs = last - started - (lingerMs > 0 ? lingerMs : 0);
    return { lingerMs, reports: N, calls: calls.length, totalMs, perReportMs: Math.round(totalMs / N) };
  } finally {
    await modem.stop();
  }
}

export const dialupBatchBench: Bench<BatchResult> = {
  name: 'dialup-batch',
  async run(ctx) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-bench-batch-'));
    try {
      const batched = await measure(dir, 3000);
      ctx.log(`batched: ${batched.reports} reports in ${batched.calls} call(s), ${batched.totalMs} ms`);
      const oneCallEach = await measure(dir, 0);
      ctx.log(`one call each: ${oneCallEach.reports} reports in ${oneCallEach.calls} call(s), ${oneCallEach.totalMs} ms`);
      const speedup = Math.round((oneCallEach.totalMs / batched.totalMs) * 100) / 100;
      return { date: new Date().toISOString(), machine: machineInfo(), bps: BPS, intervalSeconds: 1, batched, oneCallEach, speedup };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  summary(r) {
    return [
      `${r.batched.reports} reports at ${r.bps} bit/s: ${(r.batched.totalMs / 1000).toFixed(1)} s in ${r.batched.calls} call(s) against ${(r.oneCallEach.totalMs / 1000).toFixed(1)} s in ${r.oneCallEach.calls} calls (${r.speedup}× faster; interval ${r.intervalSeconds} s, the linger after the last report left out)`,
    ];
  },
};
