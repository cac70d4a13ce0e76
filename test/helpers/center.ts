/**
 * The center simulator's HTTPS side for tests: `express-center serve` started as a child of the
 * test (never left behind: stop() sends SIGTERM and waits), with a temp data dir; its url/ca/admin
 * lines read from stdout. Also a sample report and file attachments to send to it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { bundleOnce } from './bundle';
import { stopChild } from './mail-peers/ports';
import type { ReportEnvelope, ReportKind } from '../../src-shared/report';
import type { OutgoingAttachment, OutgoingReport } from '../../src-main/channels/reporter';
import type { ReportListing } from '../center/reports';

const ROOT = path.resolve(__dirname, '../..');
export const CENTER_BIN = path.join(ROOT, 'bin', 'express-center.cjs');
const CENTER_BUNDLE = path.join(ROOT, 'dist', 'center.cjs');

/** dist/center.cjs from the current sources, once per test process (see bundleOnce). */
export function ensureCenterBuilt(): void {
  bundleOnce(path.join(ROOT, 'test', 'center', 'cli.ts'), CENTER_BUNDLE);
}

export type CenterFault =
  | { mode: 'status'; status?: number; count?: number }
  | { mode: 'delay'; delayMs: number; count?: number }
  | { mode: 'drop'; count?: number };

export interface CenterStats {
  requests: number;
  stored: number;
  duplicates: number;
  refused: number;
  faults: number;
}

export interface Center {
  /** https://127.0.0.1:PORT/Scripts/trsRecvAlert.cgi */
  url: string;
  port: number;
  /** the center CA's PEM file */
  ca: string;
  /** http://127.0.0.1:PORT/ */
  admin: string;
  dataDir: string;
  pid: number;
  /** everything it printed so far */
  output(): string;
  /** the next requests fail this way */
  fault(fault: CenterFault): Promise<void>;
  clearFaults(): Promise<void>;
  stats(): Promise<CenterStats>;
  /** `express-center reports --data-dir D --json` */
  reports(): ReportListing[];
  /** SIGTERM; resolves with the exit code; removes a temp data dir */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would (the data dir is kept until stop()) */
  kill(): Promise<void>;
}

/** `express-center reports --data-dir DIR --json`. */
export function centerReports(dataDir: string): ReportListing[] {
  ensureCenterBuilt();
  const r = spawnSync(process.execPath, [CENTER_BIN, 'reports', '--data-dir', dataDir, '--json'], { encoding: 'utf8', timeout: 20_000, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`express-center reports exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReportListing[];
}

/**
 * `stop()` of a started `express-center serve`: once, SIGTERM (SIGKILL after 10 s), then its
 * temporary data folder removed; resolves to its exit code.
 */
export function stopServe(child: ChildProcess, exited: Promise<number | null>, temp: string | null): () => Promise<number | null> {
  let stopped: Promise<number | null> | null = null;
  return () => {
    stopped ??= (async () => {
      await stopChild(child, 10_000);
      const code = await exited;
      if (temp) rmSync(temp, { recursive: true, force: true });
      return code;
    })();
    return stopped;
  };
}

export async function startCenter(options: { dataDir?: string; args?: string[] } = {}): Promise<Center> {
  ensureCenterBuilt();
  const temp = options.dataDir ? null : mkdtempSync(path.join(os.tmpdir(), 'er-center-'));
  const dataDir = options.dataDir ?? path.join(temp!, 'data');
  const child = spawn(process.execPath, [CENTER_BIN, 'serve', '--data-dir', dataDir, '--https-port', '0', ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const lines = readline.createInterface({ input: child.stdout });
  const head: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`express-center serve printed no url within 20 s: ${output}`)), 20_000);
    lines.on('line', (line) => {
      output += `${line}\n`;
      const m = /^(url|ca|admin|data-dir): (.+)$/.exec(line);
      if (m && Object.keys(head).length < 4) head[m[1]!] = m[2]!;
      if (head['data-dir'] && Object.keys(head).length === 4) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`express-center serve exited with ${code}: ${output}`));
    });
  });
  const url = head.url!;
  const admin = head.admin!;
  const call = async (method: string, pathname: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(new URL(pathname, admin), {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`center admin ${method} ${pathname}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    port: Number(new URL(url).port),
    ca: head.ca!,
    admin,
    dataDir,
    pid: child.pid!,
    output: () => output,
    fault: async (fault) => void (await call('POST', '/faults', fault)),
    clearFaults: async () => void (await call('DELETE', '/faults')),
    stats: async () => (await call('GET', '/stats')) as CenterStats,
    reports: () => centerReports(dataDir),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: stopServe(child, exited, temp),
  };
}

/** An attachment read from a file, with its size and sha256 computed now. */
export function fileAttachment(file: string, name = path.basename(file)): OutgoingAttachment {
  const hash = createHash('sha256');
  const handle = openSync(file, 'r');
  const chunk = Buffer.alloc(1024 * 1024);
  let size = 0;
  try {
    for (let n = readSync(handle, chunk); n > 0; n = readSync(handle, chunk)) {
      hash.update(chunk.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(handle);
  }
  return { name, size, sha256: hash.digest('hex'), open: () => createReadStream(file) };
}

/** A valid envelope of the given kind, with the attachments' digests. */
export function sampleEnvelope(kind: ReportKind = 'test', attachments: readonly Pick<OutgoingAttachment, 'name' | 'size' | 'sha256'>[] = [], id: string = randomUUID()): ReportEnvelope {
  return {
    formatVersion: 1,
    id,
    kind,
    createdAt: new Date().toISOString(),
    method: 'express-https',
    product: { version: '0.1.0', reportModuleVersion: '1' },
    contract: { userSystemCode: 'U2024-0001', keyCode: '' },
    server: { serverName: 'SERVER001', hostName: 'server001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
    event: null,
    resultDestination: kind === 'test' || kind === 'opening' ? { kind: 'mail', address: 'aaa@bbb.co.jp' } : null,
    opening: null,
    attachments: attachments.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
  };
}

export function sampleReport(kind: ReportKind = 'test', attachments: OutgoingAttachment[] = [], id?: string): OutgoingReport {
  return { envelope: sampleEnvelope(kind, attachments, id), attachments };
}
