/**
 * A real product instance for the relay tests: `node bin/express-report.cjs serve` with its own
 * data folder, started as a child of the test (stopped or killed by its pid), its contract
 * called over the loopback web API with its token, its service log (stderr) kept. The relay
 * listens on 127.0.0.1 only (EXPRESS_REPORT_RELAY_LISTEN).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { ApiMethod, Params, Result } from '../../src-shared/api';
import { bundleOnce } from './bundle';
import { ROOT, BIN } from './cli';

/** A port that was free on 127.0.0.1 a moment ago (one helper for every peer). */
export { freePort } from './mail-peers/ports';

export function ensureProductBuilt(): void {
  bundleOnce(path.join(ROOT, 'src-main', 'cli', 'main.ts'), path.join(ROOT, 'dist', 'cli.cjs'));
}

export interface Product {
  dataDir: string;
  pid: number;
  port: number;
  /** a contract call; throws with the error's message when refused */
  call<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>>;
  /** a contract call's raw outcome */
  raw(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>;
  /** what the service logged so far */
  log(): string;
  /** resolves when the log has a line matching `pattern` */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  readonly alive: boolean;
}

export const RELAY_ENV = { LANG: 'en_US.UTF-8', EXPRESS_REPORT_RELAY_LISTEN: '127.0.0.1' };

export async function startProduct(dataDir: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<Product> {
  ensureProductBuilt();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, ...RELAY_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const w of watchers) w();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`serve printed no url within 20 s: ${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const m = /^url: http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)$/.exec(first);
  if (!m) throw new Error(`unexpected first line: ${first}`);
  const port = Number(m[1]);
  const token = m[2]!;
  const raw = async (method: string, params: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-express-report-token': token },
      body: JSON.stringify(params ?? {}),
    });
    return (await res.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
  };
  let alive = true;
  void exited.then(() => (alive = false));
  return {
    dataDir,
    pid: child.pid!,
    port,
    raw,
    async call(method, params) {
      const out = await raw(method, params);
      if (!out.ok) throw new Error(`${method}: ${out.error?.message ?? 'refused'}`);
      return out.result as never;
    },
    log: () => stderr,
    waitForLog(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = stderr.split('\n').find((l) => pattern.test(l));
          if (hit !== undefined) {
            watchers.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no log line ${pattern} within ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    async stop() {
      if (!alive) return;
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(hard);
    },
    async kill() {
      if (!alive) return;
      child.kill('SIGKILL');
      await exited;
    },
    get alive() {
      return alive;
    },
  };
}

/** Polls `check` until it returns a value other than null/false. */
export async function until<T>(check: () => Promise<T | null | false> | T | null | false, timeoutMs = 15_000, what = 'the condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ManagerSetup {
  /** the center simulator's URL and CA */
  center: { url: string; ca: string };
  port: number;
}

/** Opens the manager (key code), points Express (HTTPS) forwarding at the center and enables it. Returns the relay key. */
export async function setUpManager(p: Product, setup: ManagerSetup): Promise<string> {
  await openByKeyCode(p, 'MANAGER01');
  const m = 'methods.manager-express-https';
  await p.call('settings:patch', { changes: { [`${m}.url1`]: setup.center.url, [`${m}.caFile`]: setup.center.ca, [`${m}.receivePort`]: setup.port } });
  await p.call('methods:setEnabled', { name: 'manager-express-https', enabled: true });
  return (await p.call('manager:key', {})).key;
}

/** An opening with the key code (user system code OPFILELESS), the server name given. */
export async function openByKeyCode(p: Product, serverName: string): Promise<void> {
  await p.call('opening:commit', {
    source: { mode: 'key-code', keyCode: '01239', resultMail: 'result@example.co.jp', forHttps: true },
    device: { serverName, deviceCode: 'N8100-XXX', serialNumber: `S-${serverName}`, warrantyNumber: '12345678' },
  });
}

/** Opens the agent and points Express (HTTPS) at the manager (not tested, not enabled). */
export async function setUpAgent(p: Product, serverName: string, manager: { port: number; key: string }): Promise<void> {
  await openByKeyCode(p, serverName);
  const m = 'methods.express-https';
  await p.call('settings:patch', { changes: { [`${m}.route`]: 'manager', [`${m}.manager.host`]: '127.0.0.1', [`${m}.manager.port`]: manager.port, [`${m}.manager.key`]: manager.key } });
}
