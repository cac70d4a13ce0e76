/**
 * Idle CPU of `express-report serve`: the service set up and running — Express (HTTPS) enabled,
 * the journal source started (idle where there is no journal), the configuration schedule armed,
 * and a report retrying against a destination that is down, so the queue's one timer is armed —
 * then its CPU time (utime + stime from /proc/PID/stat) over 60 s (BENCH_IDLE_SECONDS) after a
 * 5 s settle. Target ≈ 0: no busy polling.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AlertService } from '../src-main/core/alert-service';
import { startCenter } from '../test/helpers/center';
import { openedDataDir } from '../test/helpers/setup-methods';
import { machineInfo } from './common';
import type { Bench, BenchContext, MachineInfo } from './types';

export interface IdleResult {
  date: string;
  machine: MachineInfo;
  node: string;
  seconds: number;
  /** CPU time of the serve process over the window */
  cpuMs: number;
  /** cpuMs / wall time */
  cpuPercent: number;
  /** what was running meanwhile */
  pendingReports: number;
  rssMiB: number;
}

const SETTLE_MS = 5_000;

/** CPU time of a process so far, in ms (Linux). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) — utime and stime are 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1000) / 100; // CLK_TCK is 100 on Linux
}

function rssMiBOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** A port nothing listens on: the destination that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function prepare(dataDir: string): Promise<number> {
  // opened, tested and opening-reported by the real actions against the center simulator, which then goes away
  const center = await startCenter();
  try {
    await openedDataDir(dataDir, center);
  } finally {
    await center.stop();
  }
  const service = await AlertService.open({ dataDir, osLocale: 'C' });
  const set = async (key: string, value: unknown) => {
    const out = await service.call('settings:set', { key, value });
    if (!out.ok) throw new Error(`${key}: ${out.error.message}`);
  };
  await set('methods.express-https.url1', `https://127.0.0.1:${await closedPort()}/Scripts/trsRecvAlert.cgi`);
  const enabled = await service.call('methods:setEnabled', { name: 'express-https', enabled: true });
  if (!enabled.ok) throw new Error(enabled.error.message);
  const out = await service.call('report:event', { source: 'disk', eventId: '0xc0040007', message: 'idle bench' });
  if (!out.ok) throw new Error(out.error.message);
  await service.close();
  return 1;
}

export const idleBench: Bench<IdleResult> = {
  name: 'idle',
  async run(ctx: BenchContext): Promise<IdleResult> {
    const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
    const temp = mkdtempSync(path.join(os.tmpdir(), 'er-bench-idle-'));
    const dataDir = path.join(temp, 'data');
    try {
      const pendingReports = await prepare(dataDir);
      const child = spawn(process.execPath, [path.join(ctx.root, 'dist', 'cli.cjs'), 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      try {
        await new Promise<void>((resolve, reject) => {
          createInterface({ input: child.stdout }).once('line', () => resolve());
          child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
        });
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        ctx.log(`serve running (pid ${child.pid}); measuring ${seconds} s`);
        const before = cpuMsOf(child.pid!);
        const t0 = Date.now();
        await new Promise((r) => setTimeout(r, seconds * 1000));
        const cpuMs = cpuMsOf(child.pid!) - before;
        const wall = Date.now() - t0;
        if (!/retry|attempt|report/i.test(stderr) && !stderr.includes('journal')) ctx.log(`serve said: ${stderr.slice(0, 500)}`);
        return {
          date: new Date().toISOString(),
          machine: machineInfo(),
          node: process.version,
          seconds,
          cpuMs,
          cpuPercent: Math.round((cpuMs / wall) * 100 * 1000) / 1000,
          pendingReports,
          rssMiB: Math.round(rssMiBOf(child.pid!) * 10) / 10,
        };
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  },
  summary: (r) => [`idle CPU of serve over ${r.seconds} s: ${r.cpuMs} ms (${r.cpuPercent} %), RSS ${r.rssMiB} MiB, ${r.pendingReports} report retrying`],
};
