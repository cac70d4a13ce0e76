/**
 * A fault is never lost while its logs are collected, and the collection tools die with the
 * service: the real `express-report serve` is killed with SIGKILL while a slow AMHTPLOG.INF tool
 * runs, started again, and the real center simulator (TLS) is asked what arrived. Faults that
 * collect nothing are accepted at once, whatever tool is running.
 */
import { defaultChannels } from '../../src-main/channels/registry';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { startCenter, type Center } from '../helpers/center';
import { BIN } from '../helpers/cli';
import { request } from '../helpers/http';
import { reportOpeningThroughCenter } from '../helpers/setup-methods';
import { tempDir } from '../helpers/temp';

let center: Center;
const tmp = tempDir('er-durable-');
let n = 0;
const children: number[] = [];

beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await center.stop();
  tmp.remove();
});
afterEach(() => {
  for (const pid of children.splice(0)) kill(pid);
});

function kill(pid: number, group = false): void {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    // gone
  }
}

async function call<M extends ApiMethod>(s: AlertService, method: M, params: unknown): Promise<Result<M>> {
  const out = (await s.call(method, params)) as CallOutcome<M>;
  if (!out.ok) throw new Error(`${method}: ${out.error.code}: ${out.error.message}`);
  return out.result;
}

/** A service set up to deliver Express (HTTPS) to the center (opened, tested and opening-reported through the real actions). */
async function service(dataDir: string): Promise<AlertService> {
  const s = await reopen(dataDir);
  await reportOpeningThroughCenter(s, center);
  await call(s, 'methods:setEnabled', { name: 'express-https', enabled: true });
  return s;
}

/** The service on a data folder as it is (its queue is opened on first use). */
function reopen(dataDir: string): Promise<AlertService> {
  return AlertService.open({
    dataDir,
    osLocale: 'en_US.UTF-8',
    opening: { hostName: () => 'SERVER001' },
    hostName: () => 'SERVER001',
    channels: defaultChannels({ timeoutMs: 3_000 }),
    eventSources: () => [],
  });
}

/** A tool that records its pid (and its own child's), then runs `seconds` long. */
function slowTool(dir: string, seconds: number): { command: string; pidFile: string; childPidFile: string } {
  mkdirSync(dir, { recursive: true });
  const command = path.join(dir, 'slow-tool.sh');
  const pidFile = path.join(dir, 'tool.pid');
  const childPidFile = path.join(dir, 'child.pid');
  writeFileSync(command, `#!/bin/sh\nsleep ${seconds} &\necho $! > ${childPidFile}\necho $$ > ${pidFile}\nwait\n`);
  chmodSync(command, 0o755);
  return { command, pidFile, childPidFile };
}

function writeLogInf(dataDir: string, command: string, logDir: string, timeoutSeconds: number): void {
  mkdirSync(logDir, { recursive: true });
  writeFileSync(path.join(logDir, 'controller.log'), 'atapi: controller error\n'.repeat(50));
  const inf = ['[Configuration]', `TimeOut=${timeoutSeconds}`, 'MaxSize=0', '', '[Tool001]', 'SourceName01=atapi', 'EventID01=0xC0040006', `Command=${command}`, `LogFile=${logDir}`, ''];
  writeFileSync(path.join(dataDir, 'WebReprt', 'AMHTPLOG.INF'), inf.join('\r\n'));
}

/** Alive and not a zombie (a dead child of a killed parent stays a zombie here: PID 1 does not reap). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Serve {
  pid: number;
  port: number;
  token: string;
  stderr(): string;
  exited: Promise<void>;
}

/** `express-report serve` as a child of the test (node bin/..., so SIGKILL hits the service itself). */
async function serve(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Serve> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child.pid!);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const m = /^url: http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)$/.exec(line);
  if (!m) throw new Error(`unexpected first line: ${line}`);
  return { pid: child.pid!, port: Number(m[1]), token: m[2]!, stderr: () => stderr, exited };
}

function post(s: Serve, method: string, params: unknown): Promise<unknown> {
  return request(s.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { host: `127.0.0.1:${s.port}`, 'content-type': 'application/json', 'x-express-report-token': s.token },
    body: JSON.stringify(params),
  });
}

describe('a fault while its logs are collected (the real serve, SIGKILL)', () => {
  it('serve killed during a slow tool: after the restart the fault is delivered exactly once, saying its logs were not collected', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    await (await service(dataDir)).close();
    const tool = slowTool(path.join(tmp.dir, `tool-${n}`), 30);
    writeLogInf(dataDir, tool.command, path.join(tmp.dir, `logs-${n}`), 600);

    const first = await serve(dataDir);
    void post(first, 'report:event', { log: 'System', source: 'atapi', eventId: '0xC0040006', message: 'controller error' }).catch(() => undefined);
    await waitFor('the tool to start', () => existsSync(tool.pidFile) && readFileSync(tool.pidFile, 'utf8').trim() !== '');
    kill(first.pid);
    await first.exited;

    const second = await serve(dataDir);
    const reports = await waitFor('the alert at the center', () => {
      const found = center.reports().filter((r) => r.kind === 'alert' && r.event?.source === 'atapi');
      return found.length > 0 ? found : null;
    });
    // A little longer: nothing arrives a second time.
    await new Promise((r) => setTimeout(r, 1500));
    const again = center.reports().filter((r) => r.kind === 'alert' && r.event?.source === 'atapi');
    expect(again[0]!.id).toBe(reports[0]!.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.attachments).toEqual([]);
    expect(again[0]!.event?.message).toMatch(/controller error\n\[logs not attached\] The service stopped while the logs were being collected/);
    expect(readdirSync(path.join(dataDir, 'collecting'))).toEqual([]);
    kill(second.pid);
    await second.exited;
  });

  it('the running tool and what it started die with serve when serve is killed with SIGKILL', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    await (await service(dataDir)).close();
    const tool = slowTool(path.join(tmp.dir, `tool-${n}`), 60);
    writeLogInf(dataDir, tool.command, path.join(tmp.dir, `logs-${n}`), 600);
    const s = await serve(dataDir);
    void post(s, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xC0040006' }).catch(() => undefined);
    const toolPid = Number(await waitFor('the tool to start', () => existsSync(tool.pidFile) && readFileSync(tool.pidFile, 'utf8').trim()));
    const childPid = Number(readFileSync(tool.childPidFile, 'utf8').trim());
    expect(running(toolPid) && running(childPid)).toBe(true);
    try {
      kill(s.pid);
      await s.exited;
      await waitFor('the tool and its child to die', () => !running(toolPid) && !running(childPid), 10_000);
    } finally {
      kill(toolPid, true);
    }
  });
});

describe('a slow-starting watchdog (a busy machine, made slow by a preload)', () => {
  it('the tool starts only once the watchdog listens, so a SIGKILL right after it starts still ends it', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    await (await service(dataDir)).close();
    const dir = path.join(tmp.dir, `tool-${n}`);
    const booted = path.join(dir, 'watchdog-booted');
    const seen = path.join(dir, 'seen');
    mkdirSync(dir, { recursive: true });
    // Only the watchdog runs with ELECTRON_RUN_AS_NODE=1: it sleeps 2 s before its script runs.
    const preload = path.join(dir, 'slow-watchdog.cjs');
    writeFileSync(
      preload,
      `if (process.env.ELECTRON_RUN_AS_NODE === '1') {\n` +
        `  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);\n` +
        `  require('node:fs').writeFileSync(${JSON.stringify(booted)}, 'booted');\n}\n`,
    );
    const command = path.join(dir, 'tool.sh');
    const pidFile = path.join(dir, 'tool.pid');
    writeFileSync(command, `#!/bin/sh\nif [ -f ${booted} ]; then echo yes > ${seen}; else echo no > ${seen}; fi\necho $$ > ${pidFile}\nexec sleep 60\n`);
    chmodSync(command, 0o755);
    writeLogInf(dataDir, command, path.join(tmp.dir, `logs-${n}`), 600);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() };
    delete env.ELECTRON_RUN_AS_NODE;
    const s = await serve(dataDir, env);
    void post(s, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xC0040006' }).catch(() => undefined);
    const toolPid = Number(await waitFor('the tool to start', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim()));
    try {
      expect(readFileSync(seen, 'utf8').trim(), 'the tool started before the watchdog was listening').toBe('yes');
      kill(s.pid);
      await s.exited;
      await waitFor('the tool to die', () => !running(toolPid), 10_000);
    } finally {
      kill(toolPid, true);
    }
  });
});

describe('a fault while its logs are collected (the real serve, SIGTERM)', () => {
  it('SIGTERM during a slow tool: serve stops at once, the tool dies with it, and the fault goes at the next start', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    await (await service(dataDir)).close();
    const tool = slowTool(path.join(tmp.dir, `tool-${n}`), 60);
    writeLogInf(dataDir, tool.command, path.join(tmp.dir, `logs-${n}`), 600);
    const first = await serve(dataDir);
    void post(first, 'report:event', { log: 'System', source: 'atapi', eventId: '0xC0040006', message: 'stopped while collecting' }).catch(() => undefined);
    const toolPid = Number(await waitFor('the tool to start', () => existsSync(tool.pidFile) && readFileSync(tool.pidFile, 'utf8').trim()));
    const childPid = Number(readFileSync(tool.childPidFile, 'utf8').trim());
    try {
      const stopping = Date.now();
      process.kill(first.pid, 'SIGTERM');
      await first.exited;
      expect(Date.now() - stopping).toBeLessThan(5_000);
      await waitFor('the tool and its child to die', () => !running(toolPid) && !running(childPid), 10_000);
    } finally {
      kill(toolPid, true);
    }
    const second = await serve(dataDir);
    const found = await waitFor('the alert at the center', () => {
      const r = center.reports().filter((x) => x.kind === 'alert' && x.event?.message.startsWith('stopped while collecting'));
      return r.length > 0 ? r : null;
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.event?.message).toMatch(/\[logs not attached\]/);
    kill(second.pid);
    await second.exited;
  });
});

describe('faults do not wait behind each other', () => {
  it('with TimeOut=0 and a tool that runs on, an unrelated fault is accepted at once; stopping the service ends the tool', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    const s = await service(dataDir);
    const tool = slowTool(path.join(tmp.dir, `tool-${n}`), 120);
    writeLogInf(dataDir, tool.command, path.join(tmp.dir, `logs-${n}`), 0);
    let toolPid = 0;
    try {
      const slow = s.call('report:event', { log: 'System', source: 'atapi', eventId: '0xC0040006', message: 'slow one' });
      toolPid = Number(await waitFor('the tool to start', () => existsSync(tool.pidFile) && readFileSync(tool.pidFile, 'utf8').trim()));
      const started = Date.now();
      const quick = await Promise.race([
        call(s, 'report:event', { log: 'System', source: 'disk', eventId: '0xc0040007', message: 'unrelated' }),
        new Promise<null>((r) => setTimeout(() => r(null), 5_000)),
      ]);
      expect(quick, 'the unrelated fault waited behind the running tool').not.toBeNull();
      expect(quick!.items).toHaveLength(1);
      expect(quick!.items[0]).toMatchObject({ kind: 'alert', event: { source: 'disk' } });
      expect(Date.now() - started).toBeLessThan(5_000);
      // The fault being collected is safe on disk meanwhile.
      expect(readdirSync(path.join(dataDir, 'collecting'))).toHaveLength(1);
      const closing = Date.now();
      await s.close();
      expect(Date.now() - closing).toBeLessThan(10_000);
      await waitFor('the tool to end with the service', () => !running(toolPid), 5_000);
      void slow;
    } finally {
      if (toolPid) kill(toolPid, true);
    }
  });
});

describe('通報の抑制 is committed only after the fault is durable', () => {
  it('a fault the pipeline could not make durable does not hold back its repeat', { timeout: 30_000 }, async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    await (await service(dataDir)).close();
    // Started again: the queue is opened by the first report.
    const s = await reopen(dataDir);
    try {
      // The queue cannot be opened (its folder is a file): the fault is not accepted.
      rmSync(path.join(dataDir, 'queue'), { recursive: true, force: true });
      writeFileSync(path.join(dataDir, 'queue'), 'not a folder');
      const first = await s.call('report:event', { log: 'System', source: 'disk', eventId: '0xc0040007', message: 'first' });
      expect(first.ok).toBe(false);
      rmSync(path.join(dataDir, 'queue'));
      // The repeat within the suppression period is the first report of this fault: not suppressed.
      const again = await call(s, 'report:event', { log: 'System', source: 'disk', eventId: '0xc0040007', message: 'again' });
      expect(again.suppressed).toBe(false);
      expect(again.items).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
