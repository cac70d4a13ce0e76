/**
 * Startup: from spawning the backend (`node dist/cli.cjs serve --port 0`, fresh data dir) to the
 * main window being interactive in Chromium (`document.body.dataset.ready === 'true'`, set by
 * the renderer after its first data load). The browser is launched beforehand and a fresh
 * context (empty cache) is opened before the clock starts, so browser launch is not counted.
 * Also the initial JS the window loads: gzip (level 9) of the scripts and module preloads
 * referenced by dist/renderer/index.html.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Bench, BenchContext, MachineInfo } from './types';
import { machineInfo, median } from './common';

const RUNS = 5;
const TARGET_MS = 1500;
const TARGET_BYTES = 350 * 1024; // 358400
const READY_TIMEOUT_MS = 30_000;

export interface StartupRun {
  /** spawn → window ready */
  totalMs: number;
  /** spawn → the backend printed its url */
  backendMs: number;
  /** url → window ready (navigation, scripts, first data load, render) */
  windowMs: number;
}

export interface StartupResult {
  date: string;
  machine: MachineInfo;
  node: string;
  chromium: string;
  runs: StartupRun[];
  medianMs: number;
  targetMs: number;
  initialJs: Array<{ file: string; bytes: number; gzipBytes: number }>;
  initialJsGzipBytes: number;
  targetBytes: number;
  pass: { startup: boolean; initialJs: boolean };
}

/** Scripts and module preloads referenced by the built index.html, as paths under dist/renderer. */
export function initialScripts(rendererDir: string): string[] {
  const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g),
  ].map((m) => m[1]!.replace(/^\.?\//, '').split(/[?#]/)[0]!);
  return [...new Set(refs)];
}

function measureInitialJs(rendererDir: string): StartupResult['initialJs'] {
  return initialScripts(rendererDir).map((file) => {
    const data = readFileSync(path.join(rendererDir, file));
    return { file, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
  });
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the backend did not print its url within 30 s')), 30_000);
    lines.on('line', (line) => {
      const m = /^url:\s*(\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the backend exited (code ${code}) before printing its url`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function run(ctx: BenchContext): Promise<StartupResult> {
  const cli = path.join(ctx.root, 'dist', 'cli.cjs');
  const rendererDir = path.join(ctx.root, 'dist', 'renderer');
  for (const f of [cli, path.join(rendererDir, 'index.html')]) {
    if (!existsSync(f)) throw new Error(`${path.relative(ctx.root, f)} is missing: run \`npm run build\``);
  }
  const initialJs = measureInitialJs(rendererDir);
  const initialJsGzipBytes = initialJs.reduce((sum, f) => sum + f.gzipBytes, 0);

  const browser = await chromium.launch({
    executablePath: ctx.chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const runs: StartupRun[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'er-bench-startup-'));
      const context = await browser.newContext();
      const page = await context.newPage();
      let backend: ChildProcess | null = null;
      try {
        const t0 = performance.now();
        backend = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, '--port', '0'], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        const url = await waitForUrl(backend);
        const t1 = performance.now();
        await page.goto(url, { waitUntil: 'commit' });
        try {
          await page.waitForFunction(() => document.body?.dataset.ready === 'true', undefined, {
            timeout: READY_TIMEOUT_MS,
            polling: 10,
          });
        } catch {
          throw new Error(
            `the window never became ready (document.body.dataset.ready !== 'true' after ${READY_TIMEOUT_MS / 1000} s)`,
          );
        }
        const t2 = performance.now();
        const r = { totalMs: round(t2 - t0), backendMs: round(t1 - t0), windowMs: round(t2 - t1) };
        runs.push(r);
        ctx.log(`run ${i + 1}: ${r.totalMs} ms (backend ${r.backendMs} ms + window ${r.windowMs} ms)`);
      } finally {
        await context.close();
        if (backend) await stop(backend);
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  const medianMs = median(runs.map((r) => r.totalMs));
  return {
    date: new Date().toISOString(),
    machine: machineInfo(),
    node: process.version,
    chromium: browser.version(),
    runs,
    medianMs,
    targetMs: TARGET_MS,
    initialJs,
    initialJsGzipBytes,
    targetBytes: TARGET_BYTES,
    pass: { startup: medianMs <= TARGET_MS, initialJs: initialJsGzipBytes <= TARGET_BYTES },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export const startup: Bench<StartupResult> = {
  name: 'startup',
  run,
  summary: (r) => [
    `startup to interactive window: median ${r.medianMs} ms of ${r.runs.length} (target ≤ ${r.targetMs} ms) ${verdict(r.pass.startup)}`,
    `initial JS: ${r.initialJsGzipBytes} bytes gzip in ${r.initialJs.length} file(s) (target ≤ ${r.targetBytes}) ${verdict(r.pass.initialJs)}`,
    `machine: ${r.machine.cpus} × ${r.machine.model}, ${r.machine.os}; node ${r.node}; chromium ${r.chromium}`,
  ],
};
