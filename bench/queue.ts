/**
 * The durable report queue (issue 5, Proof):
 *
 * - Accepted reports per second with durability: `ReportQueue.accept()` resolves only after the
 *   report's journal record is fsync'd. Group commit (the product) against the naive baseline
 *   (one write + one fsync per report, `groupCommit: false`) in the same run, on the same disk,
 *   with the same producers (PRODUCERS accepts in flight, as many event sources and the window
 *   would). Alert envelopes of about 1 KB. Median of ROUNDS rounds each; the disk's own rate of
 *   small append + fdatasync is measured alongside. Target ≥ 10,000/s and ≥ 5× the baseline.
 * - RSS of a backend holding 10,000 pending reports: the queue child (plain node, bundled)
 *   accepts them (from PRODUCERS in flight at a time), then reports its RSS after a GC; then a fresh child reopens (replays) the folder
 *   and reports again. Target ≤ 150 MB.
 * - The crash proof in full: 200 SIGKILLs at random moments while a child accepts and delivers
 *   to the center simulator over TLS; every acknowledged report must be there exactly once. The
 *   last child is given until its queue is empty (a ceiling of DRAIN_CEILING_MS, and it gives up
 *   only after DRAIN_STALL_MS without any delivery), so a slow machine cannot fail the queue; what
 *   is still queued at the end is reported as pending, apart from what is lost. The drain rate
 *   (reports/s delivered to the center by that child) is recorded.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReportQueue } from '../src-main/queue/report-queue';
import type { ReportListing } from '../test/center/reports';
import { CENTER_BIN, startCenter } from '../test/helpers/center';
import { buildQueueChild, crashEnvelope, crashRun, startQueueChild, type CrashRunResult } from '../test/helpers/queue-child';
import { machineInfo, median } from './common';
import type { Bench, MachineInfo } from './types';

const ROUNDS = 3;
const PRODUCERS = 256;
const GROUPED_REPORTS = 20_000;
const NAIVE_REPORTS = 2_000;
const PENDING = 10_000;
const KILLS = 200;
const TARGET_PER_SECOND = 10_000;
const TARGET_RATIO = 5;
const TARGET_RSS_BYTES = 150 * 1000 * 1000;
const DRAIN_CEILING_MS = 30 * 60_000;
const DRAIN_STALL_MS = 2 * 60_000;

interface ThroughputRound {
  reports: number;
  ms: number;
  perSecond: number;
  /** journal writes, each followed by one fdatasync */
  commits: number;
}

export interface QueueBenchResult {
  date: string;
  machine: MachineInfo;
  node: string;
  loadAverage: [number, number];
  throughput: {
    producers: number;
    envelopeBytes: number;
    /** small appends + fdatasync per second on this disk, one at a time */
    diskFsyncsPerSecond: number;
    grouped: { medianPerSecond: number; rounds: ThroughputRound[] };
    naive: { medianPerSecond: number; rounds: ThroughputRound[] };
    ratio: number;
    target: { perSecond: number; ratio: number; met: boolean };
  };
  rss: {
    pending: number;
    /** the child with an empty queue: node, undici, zod, the bundle */
    emptyBytes: number;
    afterAcceptBytes: number;
    afterReopenBytes: number;
    /** V8 heap in use after a GC: what the reports themselves take */
    heapUsedBytes: { empty: number; afterAccept: number; afterReopen: number };
    reopenMs: number;
    target: { bytes: number; met: boolean };
  };
  crash: CrashRunResult & { ok: boolean };
}

const SCHEDULE = { retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' };

async function acceptRound(dir: string, groupCommit: boolean, reports: number): Promise<ThroughputRound> {
  const queue = await ReportQueue.open({ dir, groupCommit, scheduleFor: () => SCHEDULE, reportersFor: () => [] });
  try {
    const now = new Date();
    const envelopes = Array.from({ length: reports }, () => crashEnvelope(randomUUID(), now));
    let next = 0;
    const producer = async () => {
      while (next < envelopes.length) await queue.accept(envelopes[next++]!);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: PRODUCERS }, producer));
    const ms = performance.now() - started;
    return { reports, ms: Math.round(ms), perSecond: Math.round(reports / (ms / 1000)), commits: queue.counts().commits };
  } finally {
    await queue.close();
  }
}

/** `express-center reports --json` for thousands of reports (center.reports() stops at 1 MiB of output). */
function listAll(dataDir: string): ReportListing[] {
  const r = spawnSync(process.execPath, [CENTER_BIN, 'reports', '--data-dir', dataDir, '--json'], { encoding: 'utf8', timeout: 300_000, maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`express-center reports exited with ${r.status ?? r.signal}: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as ReportListing[];
}

async function diskFsyncRate(dir: string): Promise<number> {
  const handle = await fsp.open(path.join(dir, 'fsync-probe'), 'a');
  const line = Buffer.alloc(200, 0x61);
  try {
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 1500) {
      await handle.write(line);
      await handle.datasync();
      n++;
    }
    return Math.round(n / ((performance.now() - started) / 1000));
  } finally {
    await handle.close();
  }
}

async function rssWithPending(base: string, center: { url: string; ca: string }): Promise<QueueBenchResult['rss']> {
  const dir = path.join(base, 'rss-queue');
  const rssOf = async (child: ReturnType<typeof startQueueChild>) => {
    child.send({ cmd: 'rss' });
    const line = await child.waitFor('rss ', 30_000);
    child.lines.splice(child.lines.indexOf(line), 1);
    const usage = JSON.parse(line.split(' ').slice(2).join(' ')) as NodeJS.MemoryUsage;
    return { rss: usage.rss, heapUsed: usage.heapUsed };
  };
  const first = startQueueChild({ dir, center, dispatch: false, nodeArgs: ['--expose-gc'] });
  await first.waitFor('ready');
  const empty = await rssOf(first);
  // The producers of the throughput test: at most PRODUCERS reports in flight.
  const acked = () => first.lines.reduce((n, l) => n + (l.startsWith('ack ') ? 1 : 0), 0);
  const deadline = Date.now() + 120_000;
  for (let sent = 0, done = 0; done < PENDING; done = acked()) {
    if (Date.now() > deadline) throw new Error(`the queue child acknowledged ${done} of ${PENDING} reports within 2 minutes`);
    for (; sent < Math.min(PENDING, done + PRODUCERS); sent++) first.send({ id: randomUUID() });
    await new Promise((r) => setTimeout(r, 5));
  }
  const afterAccept = await rssOf(first);
  first.process.kill('SIGTERM');
  await first.exited;

  const started = performance.now();
  const second = startQueueChild({ dir, center, dispatch: false, nodeArgs: ['--expose-gc'] });
  const ready = await second.waitFor('ready', 60_000);
  const reopenMs = Math.round(performance.now() - started);
  if (Number(ready.split(' ')[1]) !== PENDING) throw new Error(`the reopened queue holds ${ready} pending reports, not ${PENDING}`);
  const afterReopen = await rssOf(second);
  second.process.kill('SIGTERM');
  await second.exited;
  return {
    pending: PENDING,
    emptyBytes: empty.rss,
    afterAcceptBytes: afterAccept.rss,
    afterReopenBytes: afterReopen.rss,
    heapUsedBytes: { empty: empty.heapUsed, afterAccept: afterAccept.heapUsed, afterReopen: afterReopen.heapUsed },
    reopenMs,
    target: { bytes: TARGET_RSS_BYTES, met: Math.max(afterAccept.rss, afterReopen.rss) <= TARGET_RSS_BYTES },
  };
}

export const queueBench: Bench<QueueBenchResult> = {
  name: 'queue',
  async run(ctx) {
    await buildQueueChild();
    const base = await fsp.mkdtemp(path.join(os.tmpdir(), 'er-bench-queue-'));
    const load1 = os.loadavg()[0]!;
    try {
      const diskFsyncsPerSecond = await diskFsyncRate(base);
      ctx.log(`disk: ${diskFsyncsPerSecond} appends + fdatasync per second`);
      const grouped: ThroughputRound[] = [];
      const naive: ThroughputRound[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        naive.push(await acceptRound(path.join(base, `naive-${round}`), false, NAIVE_REPORTS));
        grouped.push(await acceptRound(path.join(base, `grouped-${round}`), true, GROUPED_REPORTS));
        ctx.log(`round ${round + 1}: group commit ${grouped.at(-1)!.perSecond}/s, naive ${naive.at(-1)!.perSecond}/s`);
      }
      const groupedMedian = median(grouped.map((r) => r.perSecond));
      const naiveMedian = median(naive.map((r) => r.perSecond));
      const ratio = Math.round((groupedMedian / naiveMedian) * 10) / 10;

      const center = await startCenter();
      let rss: QueueBenchResult['rss'];
      let crash: CrashRunResult;
      try {
        rss = await rssWithPending(base, center);
        ctx.log(`RSS with ${PENDING} pending: ${(rss.afterAcceptBytes / 1e6).toFixed(1)} MB, after reopening ${(rss.afterReopenBytes / 1e6).toFixed(1)} MB (${rss.reopenMs} ms)`);
        crash = await crashRun({ dir: path.join(base, 'crash-queue'), center, kills: KILLS, drainTimeoutMs: DRAIN_CEILING_MS, drainStallMs: DRAIN_STALL_MS, log: ctx.log, listReports: () => listAll(center.dataDir) });
      } finally {
        await center.stop();
      }
      ctx.log(`drain: ${crash.drain.delivered} reports in ${Math.round(crash.drain.ms / 1000)} s (${crash.drain.perSecond}/s), stopped: ${crash.drain.stopped}`);
      const ok = crash.missing.length === 0 && crash.pending.length === 0 && crash.unexpected.length === 0 && crash.repeated.length === 0;
      if (!ok) {
        throw new Error(
          `crash run: ${crash.missing.length} acknowledged reports lost, ${crash.pending.length} still pending when the drain stopped (${crash.drain.stopped} after ${Math.round(crash.drain.ms / 1000)} s, ${crash.drain.perSecond}/s), ` +
            `${crash.unexpected.length} unexpected, ${crash.repeated.length} repeated`,
        );
      }
      const envelopeBytes = Buffer.byteLength(JSON.stringify(crashEnvelope(randomUUID(), new Date())));
      return {
        date: new Date().toISOString(),
        machine: machineInfo(),
        node: process.version,
        loadAverage: [load1, os.loadavg()[0]!],
        throughput: {
          producers: PRODUCERS,
          envelopeBytes,
          diskFsyncsPerSecond,
          grouped: { medianPerSecond: groupedMedian, rounds: grouped },
          naive: { medianPerSecond: naiveMedian, rounds: naive },
          ratio,
          target: { perSecond: TARGET_PER_SECOND, ratio: TARGET_RATIO, met: groupedMedian >= TARGET_PER_SECOND && ratio >= TARGET_RATIO },
        },
        rss,
        crash: { ...crash, ok },
      };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
  summary: (r) => [
    `accepted with fsync: ${r.throughput.grouped.medianPerSecond}/s group commit vs ${r.throughput.naive.medianPerSecond}/s one fsync each (${r.throughput.ratio}×; disk ${r.throughput.diskFsyncsPerSecond} fsyncs/s) — target ≥ ${TARGET_PER_SECOND}/s and ≥ ${TARGET_RATIO}×: ${r.throughput.target.met ? 'met' : 'NOT met'}`,
    `RSS with ${r.rss.pending} pending: ${(r.rss.afterAcceptBytes / 1e6).toFixed(1)} MB (empty ${(r.rss.emptyBytes / 1e6).toFixed(1)} MB), reopened ${(r.rss.afterReopenBytes / 1e6).toFixed(1)} MB in ${r.rss.reopenMs} ms — target ≤ 150 MB: ${r.rss.target.met ? 'met' : 'NOT met'}`,
    `crash: ${r.crash.kills} SIGKILLs, ${r.crash.acknowledged} acknowledged of ${r.crash.sent} sent, ${r.crash.delivered} at the center once each, ${r.crash.missing.length} lost, ${r.crash.pending.length} pending (${Math.round(r.crash.durationMs / 1000)} s); drain ${r.crash.drain.pendingAtStart} pending → empty in ${Math.round(r.crash.drain.ms / 1000)} s at ${r.crash.drain.perSecond} reports/s`,
  ],
};
