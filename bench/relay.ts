/**
 * The relay through a manager (issue 13, Proof): `npm run bench -- relay`.
 *
 * - CONNECTIONS concurrent agent links over TLS on loopback (the product's AgentLink in this
 *   process, one identity each) to a manager that is a real `serve` process, each sending
 *   REPORTS_PER_LINK alert reports with WINDOW in flight: reports per second acknowledged
 *   durably by the manager (an ack leaves only after the report is fsync'd in its queue).
 * - Against the queue's own group-commit accept rate measured in the same run, on the same disk
 *   (ReportQueue.accept from PRODUCERS producers in this process, no network).
 * - The manager's RSS with CONNECTIONS connections open (idle, then at its peak while they send).
 * - The forward drain to the center simulator by HTTPS: reports per second stored at the center.
 *   Forwarding is held by the manager method's 通報時間帯 while the agents send (so that the
 *   acknowledgement rate is the intake's alone) and released after: the drain is measured from
 *   then until the last report is at the center.
 * Targets (issue 13): ≥ 0.4× the queue's rate (≥ 10,000/s), RSS ≤ 200 MB, drain ≥ 1,000/s.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AgentLink } from '../src-main/channels/relay/agent-link';
import { ReportQueue } from '../src-main/queue/report-queue';
import type { ReportEnvelope } from '../src-shared/report';
import { sampleEnvelope, startCenter } from '../test/helpers/center';
import { freePort, setUpManager, startProduct } from '../test/helpers/relay-product';
import { machineInfo } from './common';
import type { Bench, MachineInfo } from './types';

const CONNECTIONS = 500;
const REPORTS_PER_LINK = 40;
const WINDOW = 8;
const QUEUE_REPORTS = 20_000;
const PRODUCERS = 256;
const TARGET_RATIO = 0.4;
const TARGET_PER_SECOND = 10_000;
const TARGET_RSS_BYTES = 200 * 1000 * 1000;
const TARGET_DRAIN = 1_000;

export interface RelayBenchResult {
  date: string;
  machine: MachineInfo;
  node: string;
  loadAverage: [number, number];
  queue: { reports: number; producers: number; perSecond: number };
  relay: { connections: number; reports: number; window: number; connectMs: number; ackedPerSecond: number; ratioToQueue: number; managerCpuMs: number; agentsCpuMs: number };
  /** idle: with the links open; peak: the highest while they sent; drainPeak: the highest while the manager forwarded */
  rss: { beforeBytes: number; idleBytes: number; peakBytes: number; drainPeakBytes: number };
  drain: { reports: number; seconds: number; perSecond: number };
  targets: { ratio: number; perSecond: number; rssBytes: number; drainPerSecond: number; met: { ratio: boolean; perSecond: boolean; rss: boolean; drain: boolean } };
}

function alert(serverName: string): ReportEnvelope {
  const e = sampleEnvelope('alert', [], randomUUID());
  return {
    ...e,
    contract: { userSystemCode: 'OPFILELESS', keyCode: '' },
    server: { ...e.server, serverName },
    event: { log: 'System', source: 'bench', eventId: '0xC0000001', time: new Date().toISOString(), message: 'x'.repeat(600), suppressedCount: 0, pseudo: false },
  };
}

async function queueRate(dir: string): Promise<number> {
  const queue = await ReportQueue.open({ dir, scheduleFor: () => ({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' }), reportersFor: () => [] });
  const envelopes = Array.from({ length: QUEUE_REPORTS }, (_, i) => alert(`Q${i % 100}`));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (next < envelopes.length) await queue.accept(envelopes[next++]!);
    }),
  );
  const ms = performance.now() - started;
  await queue.close();
  return Math.round((QUEUE_REPORTS / ms) * 1000);
}

/** CPU time (user + system, ms) the process has used: /proc/PID/stat fields 14 and 15, in clock ticks of 10 ms. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export const relayBench: Bench<RelayBenchResult> = {
  name: 'relay',
  async run(ctx) {
    const base = await fsp.mkdtemp(path.join(os.tmpdir(), 'er-bench-relay-'));
    const load = os.loadavg();
    const center = await startCenter();
    const port = await freePort();
    const manager = await startProduct(path.join(base, 'manager'), { EXPRESS_REPORT_RELAY_LIMITS: JSON.stringify({ maxPending: CONNECTIONS + 100 }), }, (process.env.RELAY_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean));
    try {
      const queuePerSecond = await queueRate(path.join(base, 'queue'));
      ctx.log(`queue group-commit accept: ${queuePerSecond}/s`);
      const key = await setUpManager(manager, { center, port });
      await manager.waitForLog(/listening on 127\.0\.0\.1:/);
      const fingerprint = (await manager.call('manager:status', {})).fingerprint!;
      const before = (await center.stats()).stored;

      await new Promise((r) => setTimeout(r, 500));
      const beforeBytes = rssOf(manager.pid);
      const connectStarted = performance.now();
      const links: AgentLink[] = [];
      for (let i = 0; i < CONNECTIONS; i += 50) {
        links.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(50, CONNECTIONS - i) }, (_, j) =>
              AgentLink.open({ host: '127.0.0.1', port, key, fingerprint, ca: null, agent: { userSystemCode: 'OPFILELESS', serverName: `BENCH${i + j}` }, heartbeatHours: 24, timeoutMs: 60_000 }),
            ),
          )),
        );
      }
      const connectMs = Math.round(performance.now() - connectStarted);
      await new Promise((r) => setTimeout(r, 1000));
      const idleBytes = rssOf(manager.pid);
      ctx.log(`${CONNECTIONS} links open in ${connectMs} ms; manager RSS ${Math.round(idleBytes / 1e6)} MB`);

      // Forwarding is held (a one-minute 通報時間帯 twelve hours away) while the agents send, so the
      // acknowledgement rate is the manager's intake alone; the drain is measured after, on its own.
      const later = new Date(Date.now() + 12 * 3600_000);
      const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
      const held = `${hhmm(later)}-${hhmm(new Date(later.getTime() + 60_000))}`;
      await manager.call('schedule:set', { method: 'manager-express-https', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: held } });
      let peakBytes = idleBytes;
      const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, rssOf(manager.pid))), 200);
      const total = CONNECTIONS * REPORTS_PER_LINK;
      const sendStarted = performance.now();
      const managerCpuBefore = cpuMsOf(manager.pid);
      const loadCpuBefore = process.cpuUsage();
      await Promise.all(
        links.map(async (link, i) => {
          let left = REPORTS_PER_LINK;
          await Promise.all(
            Array.from({ length: WINDOW }, async () => {
              while (left > 0) {
                left--;
                await link.send({ envelope: alert(`BENCH${i}`), attachments: [] }, false);
              }
            }),
          );
        }),
      );
      const sendMs = performance.now() - sendStarted;
      const managerCpuMs = cpuMsOf(manager.pid) - managerCpuBefore;
      const agentsCpu = process.cpuUsage(loadCpuBefore);
      const loadCpuMs = Math.round((agentsCpu.user + agentsCpu.system) / 1000);
      const ackedPerSecond = Math.round((total / sendMs) * 1000);
      ctx.log(`${total} reports acknowledged durably in ${Math.round(sendMs)} ms: ${ackedPerSecond}/s; CPU: the manager ${managerCpuMs} ms (${Math.round((managerCpuMs * 1000) / total)} µs a report), the agents ${loadCpuMs} ms`);
      for (const link of links) link.close();

      const intakePeak = Math.max(peakBytes, rssOf(manager.pid));
      peakBytes = 0;
      await manager.call('schedule:set', { method: 'manager-express-https', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' } });
      const drainStarted = performance.now();
      let stored = 0;
      const drainDeadline = Date.now() + 10 * 60_000;
      while (stored < total && Date.now() < drainDeadline) {
        await new Promise((r) => setTimeout(r, 250));
        stored = (await center.stats()).stored - before;
      }
      const drainSeconds = (performance.now() - drainStarted) / 1000;
      clearInterval(sampler);
      const drainPerSecond = Math.round(stored / drainSeconds);
      ctx.log(`${stored} of ${total} at the center after ${drainSeconds.toFixed(1)} s: ${drainPerSecond}/s`);
      const ratio = Math.round((ackedPerSecond / queuePerSecond) * 100) / 100;
      return {
        date: new Date().toISOString(),
        machine: machineInfo(),
        node: process.version,
        loadAverage: [Math.round(load[0]! * 100) / 100, Math.round(load[1]! * 100) / 100],
        queue: { reports: QUEUE_REPORTS, producers: PRODUCERS, perSecond: queuePerSecond },
        relay: { connections: CONNECTIONS, reports: total, window: WINDOW, connectMs, ackedPerSecond, ratioToQueue: ratio, managerCpuMs, agentsCpuMs: loadCpuMs },
        rss: { beforeBytes, idleBytes, peakBytes: intakePeak, drainPeakBytes: peakBytes },
        drain: { reports: stored, seconds: Math.round(drainSeconds * 10) / 10, perSecond: drainPerSecond },
        targets: {
          ratio: TARGET_RATIO,
          perSecond: TARGET_PER_SECOND,
          rssBytes: TARGET_RSS_BYTES,
          drainPerSecond: TARGET_DRAIN,
          met: { ratio: ratio >= TARGET_RATIO, perSecond: ackedPerSecond >= TARGET_PER_SECOND, rss: Math.max(intakePeak, peakBytes) <= TARGET_RSS_BYTES, drain: drainPerSecond >= TARGET_DRAIN && stored === total },
        },
      };
    } finally {
      await manager.stop();
      await center.stop();
      await fsp.rm(base, { recursive: true, force: true });
    }
  },
  summary: (r) => [
    `${r.relay.connections} TLS links, ${r.relay.reports} alerts: ${r.relay.ackedPerSecond}/s acknowledged durably vs the queue's own ${r.queue.perSecond}/s (${r.relay.ratioToQueue}×; target ≥ ${r.targets.ratio}× and ≥ ${r.targets.perSecond}/s: ${r.targets.met.ratio && r.targets.met.perSecond ? 'met' : 'NOT met'})`,
    `manager RSS: ${Math.round(r.rss.beforeBytes / 1e6)} MB listening, ${Math.round(r.rss.idleBytes / 1e6)} MB with ${r.relay.connections} idle connections, ${Math.round(r.rss.peakBytes / 1e6)} MB at the peak of the intake, ${Math.round(r.rss.drainPeakBytes / 1e6)} MB while forwarding (target ≤ 200 MB: ${r.targets.met.rss ? 'met' : 'NOT met'})`,
    `forward drain to the center by HTTPS: ${r.drain.reports} in ${r.drain.seconds} s, ${r.drain.perSecond}/s (target ≥ ${r.targets.drainPerSecond}/s: ${r.targets.met.drain ? 'met' : 'NOT met'})`,
  ],
};
