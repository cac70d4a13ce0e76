/**
 * Draining after an outage (issue 10): PENDING reports accepted into a stopped queue, then the
 * queue is started and delivers them to the center simulator over TLS (its throwaway CA) through
 * the real HTTPS reporter, as the service does — one reporter per attempt, the CA file read and
 * checked per send, every outcome fsync'd to the journal. Compared in the same run with raw undici
 * POSTs of the same bodies over one keep-alive pool of as many connections as the HTTPS lane
 * uses at a time (no queue, no reporter: the ceiling this center and machine allow). Each side
 * gets a fresh center (a report already stored would be acknowledged as a duplicate, which costs
 * the center less). Rounds alternate raw and queue; the medians are compared. Target ≥ 0.5× the
 * raw rate and ≥ 1,000 reports/s.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import type { ReportEnvelope } from '../src-shared/report';
import { closeHttpsConnections, createHttpsReporter } from '../src-main/channels/https/https-reporter';
import { buildMultipartBody } from '../src-main/channels/https/multipart';
import { DEFAULT_LANE } from '../src-main/queue/lanes';
import { ReportQueue } from '../src-main/queue/report-queue';
import { startCenter } from '../test/helpers/center';
import { crashEnvelope } from '../test/helpers/queue-child';
import { machineInfo, median } from './common';
import type { Bench, MachineInfo } from './types';

const PENDING = 10_000;
const ROUNDS = 2;
const PRODUCERS = 256;
const TARGET_PER_SECOND = 1_000;
const TARGET_RATIO = 0.5;
const SCHEDULE = { retryIntervalMinutes: 1, retryUntilHours: 72, window: '00:00-24:00' };

interface Run {
  reports: number;
  ms: number;
  perSecond: number;
  /** what the center stored (must be all, none twice) */
  stored: number;
  duplicates: number;
}

interface QueueRun extends Run {
  /** accepting the pending reports into the stopped queue (not counted in the rate) */
  acceptMs: number;
  /** journal writes during the drain, each one fdatasync */
  commits: number;
}

export interface DrainBenchResult {
  date: string;
  machine: MachineInfo;
  node: string;
  loadAverage: [number, number];
  pending: number;
  envelopeBytes: number;
  /** attempts at a time in the HTTPS lane, and connections of the raw pool */
  concurrency: number;
  raw: { medianPerSecond: number; rounds: Run[] };
  queue: { medianPerSecond: number; medianWallMs: number; rounds: QueueRun[] };
  ratio: number;
  target: { perSecond: number; ratio: number; met: boolean };
  durationMs: number;
}

const rate = (n: number, ms: number) => Math.round((n / Math.max(ms, 1)) * 1000);

/** The multipart body the reporter sends for an envelope, as bytes. */
async function bodyOf(envelope: ReportEnvelope): Promise<{ contentType: string; bytes: Buffer }> {
  const multipart = buildMultipartBody(JSON.stringify(envelope), []);
  const chunks: Buffer[] = [];
  for await (const chunk of multipart.body) chunks.push(chunk as Buffer);
  return { contentType: multipart.contentType, bytes: Buffer.concat(chunks) };
}

async function rawRun(envelopes: ReportEnvelope[], concurrency: number): Promise<Run> {
  const center = await startCenter();
  try {
    const bodies = await Promise.all(envelopes.map(bodyOf));
    const pool = new Agent({ connections: concurrency, pipelining: 1, connect: { ca: [readFileSync(center.ca, 'utf8')], rejectUnauthorized: true } });
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await request(center.url, { method: 'POST', dispatcher: pool, headers: { 'content-type': body.contentType, 'content-length': String(body.bytes.length) }, body: body.bytes });
        const answer = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`raw POST: ${res.statusCode} ${answer}`);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const ms = Math.round(performance.now() - started);
    await pool.close();
    const stats = await center.stats();
    return { reports: bodies.length, ms, perSecond: rate(bodies.length, ms), stored: stats.stored, duplicates: stats.duplicates };
  } finally {
    await center.stop();
  }
}

async function queueRun(envelopes: ReportEnvelope[], dir: string): Promise<QueueRun> {
  const center = await startCenter();
  let queue: ReportQueue | null = null;
  try {
    let settled = 0;
    let failed = 0;
    let done: () => void = () => undefined;
    const allSettled = new Promise<void>((resolve) => (done = resolve));
    queue = await ReportQueue.open({
      dir,
      scheduleFor: () => SCHEDULE,
      laneFor: () => DEFAULT_LANE,
      // As the pipeline does: a reporter per attempt, from the destination's settings.
      reportersFor: () => [createHttpsReporter({ url: center.url, caFile: center.ca })],
      onChange: (item) => {
        if (item.state === 'retrying' || item.state === 'failed') failed++;
        if (item.state === 'delivered' || item.state === 'failed') {
          if (++settled === envelopes.length) done();
        }
      },
      log: (line) => console.error(`  queue: ${line}`),
    });
    let next = 0;
    const producer = async () => {
      while (next < envelopes.length) await queue!.accept(envelopes[next++]!);
    };
    const acceptStarted = performance.now();
    await Promise.all(Array.from({ length: PRODUCERS }, producer));
    const acceptMs = Math.round(performance.now() - acceptStarted);
    if (queue.counts().pending !== envelopes.length) throw new Error(`the stopped queue holds ${queue.counts().pending} pending reports, not ${envelopes.length}`);
    const commitsBefore = queue.counts().commits;

    const started = performance.now();
    queue.start();
    await allSettled;
    const ms = Math.round(performance.now() - started);
    const commits = queue.counts().commits - commitsBefore;
    if (failed > 0) throw new Error(`${failed} attempts failed during the drain`);
    await queue.close();
    queue = null;
    const stats = await center.stats();
    return { reports: envelopes.length, ms, perSecond: rate(envelopes.length, ms), stored: stats.stored, duplicates: stats.duplicates, acceptMs, commits };
  } finally {
    await queue?.close();
    await closeHttpsConnections();
    await center.stop();
  }
}

export const drainBench: Bench<DrainBenchResult> = {
  name: 'drain',
  async run(ctx) {
    const base = await fsp.mkdtemp(path.join(os.tmpdir(), 'er-bench-drain-'));
    const load1 = os.loadavg()[0]!;
    const began = performance.now();
    const concurrency = DEFAULT_LANE.concurrency;
    try {
      const raw: Run[] = [];
      const queued: QueueRun[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const now = new Date();
        const envelopes = Array.from({ length: PENDING }, () => crashEnvelope(randomUUID(), now));
        raw.push(await rawRun(envelopes, concurrency));
        queued.push(await queueRun(envelopes, path.join(base, `queue-${round}`)));
        for (const r of [raw.at(-1)!, queued.at(-1)!]) {
          if (r.stored !== PENDING || r.duplicates !== 0) throw new Error(`the center stored ${r.stored} reports (${r.duplicates} duplicates), not ${PENDING}`);
        }
        ctx.log(`round ${round + 1}: raw ${raw.at(-1)!.perSecond}/s, queue ${queued.at(-1)!.perSecond}/s (${queued.at(-1)!.ms} ms, ${queued.at(-1)!.commits} commits)`);
      }
      const rawMedian = median(raw.map((r) => r.perSecond));
      const queueMedian = median(queued.map((r) => r.perSecond));
      const ratio = Math.round((queueMedian / rawMedian) * 100) / 100;
      return {
        date: new Date().toISOString(),
        machine: machineInfo(),
        node: process.version,
        loadAverage: [load1, os.loadavg()[0]!],
        pending: PENDING,
        envelopeBytes: Buffer.byteLength(JSON.stringify(crashEnvelope(randomUUID(), new Date()))),
        concurrency,
        raw: { medianPerSecond: rawMedian, rounds: raw },
        queue: { medianPerSecond: queueMedian, medianWallMs: median(queued.map((r) => r.ms)), rounds: queued },
        ratio,
        target: { perSecond: TARGET_PER_SECOND, ratio: TARGET_RATIO, met: queueMedian >= TARGET_PER_SECOND && ratio >= TARGET_RATIO },
        durationMs: Math.round(performance.now() - began),
      };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
  summary: (r) => [
    `${r.pending} pending drained to the center: ${r.queue.medianPerSecond} reports/s (${Math.round(r.queue.medianWallMs / 100) / 10} s) vs raw undici ${r.raw.medianPerSecond}/s over one pool of ${r.concurrency} (${r.ratio}×) — target ≥ ${TARGET_PER_SECOND}/s and ≥ ${TARGET_RATIO}×: ${r.target.met ? 'met' : 'NOT met'}`,
  ],
};
