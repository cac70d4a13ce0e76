/**
 * Browser end-to-end harness: runs the real backend (`node dist/cli.cjs serve`) on a temp data
 * dir and drives the real window in the system Chromium through playwright-core.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ApiMethod, CallOutcome, Params } from '../../src-shared/api';
import { sendTestAndOpeningReport } from '../helpers/setup-methods';

export const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.cjs');
export const CHROMIUM = '/usr/bin/chromium';

export interface Backend {
  url: string;
  origin: string;
  port: number;
  token: string;
  pid: number;
  dataDir: string;
  /** SIGTERM, then waits until the process has exited */
  stop(): Promise<void>;
  /** resolves when the process has exited (however it was stopped) */
  exited: Promise<void>;
}

const running = new Set<ChildProcessByStdio<null, Readable, Readable>>();

/** A fresh data dir under the OS temp dir. */
export function makeDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts `serve` and resolves once it printed its first line, `url: http://127.0.0.1:PORT/?token=…`.
 * `extraEnv` goes to the child, e.g. EXPRESS_REPORT_HOSTNAME (the OS host name the backend sees)
 * and EXPRESS_REPORT_DMI_DIR (a folder standing in for /sys/class/dmi/id). `port` 0 is any free one.
 */
export function startBackend(dataDir: string, lang = 'ja_JP.UTF-8', extraEnv: NodeJS.ProcessEnv = {}, port = 0): Promise<Backend> {
  if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: lang, ...extraEnv };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`serve printed no url within 20 s: ${stderr}`));
    }, 20_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^url: (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)$/.exec(line);
      if (!m) {
        kill(child);
        reject(new Error(`unexpected first line from serve: ${line}`));
        return;
      }
      resolve({
        url: `${m[1]}/?token=${m[3]}`,
        origin: m[1]!,
        port: Number(m[2]),
        token: m[3]!,
        pid: child.pid!,
        dataDir,
        exited,
        stop: async () => {
          kill(child);
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
}

function kill(child: ChildProcessByStdio<null, Readable, Readable>): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Stops every backend this file started that is still running (afterAll safety net). */
export async function stopAllBackends(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        kill(child);
      }),
  );
  await Promise.all(waits);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.DISPLAY,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

/** One contract call over the loopback API, as the window makes it. */
export async function apiCall<M extends ApiMethod>(backend: Backend, method: M, params: Params<M>): Promise<CallOutcome<M>> {
  const response = await fetch(`${backend.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Express-Report-Token': backend.token },
    body: JSON.stringify(params),
  });
  if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as CallOutcome<M>;
}

/** settings:set that must succeed. */
export async function setSetting(backend: Backend, key: string, value: unknown): Promise<void> {
  const outcome = await apiCall(backend, 'settings:set', { key, value });
  if (!outcome.ok) throw new Error(`settings:set ${key}: ${outcome.error.message}`);
}

/**
 * After an opening: Express (HTTPS) delivers to the center simulator (its CA trusted), tested
 * and opening-reported by the real actions, and enabled.
 */
export async function enableHttpsTo(backend: Backend, center: { url: string; ca: string }): Promise<void> {
  await setSetting(backend, 'methods.express-https.url2', '');
  await sendTestAndOpeningReport({ call: (method, params) => apiCall(backend, method as ApiMethod, params as never) }, center);
  const enabled = await apiCall(backend, 'methods:setEnabled', { name: 'express-https', enabled: true });
  if (!enabled.ok) throw new Error(enabled.error.message);
}

export interface OpenWindow {
  context: BrowserContext;
  page: Page;
  /** messages the page logged as errors, and uncaught exceptions (CSP violations show up here) */
  errors: string[];
}

/** Opens the window in a fresh browser context and waits until its first data has loaded. */
export async function openWindow(
  browser: Browser,
  backend: Backend,
  viewport = { width: 1024, height: 700 },
): Promise<OpenWindow> {
  const context = await browser.newContext({ viewport, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // while a test has the backend stopped, the window asks for it again (item 18): Chromium logs each refusal
    if (message.type() === 'error' && message.text() !== 'Failed to load resource: net::ERR_CONNECTION_REFUSED') errors.push(message.text());
  });
  await page.goto(backend.url);
  await waitReady(page);
  return { context, page, errors };
}

export async function waitReady(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}
