/**
 * The center's modem for tests: a socat pty pair (pty-pair.ts) and `express-center modem` on its
 * far end, started as a child of the test (node bin/express-center.cjs, built from the current
 * sources) and stopped by PID. Its output lines (command:, dial:, result:, receiver:, …) are
 * kept, so a test sees what went over the line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { CALLS_FILE, type ModemCallRecord } from '../center/modem';
import type { ModemPlan } from '../center/modem-plan';
import { CENTER_BIN, centerReports, ensureCenterBuilt } from './center';
import { startPtyPair, type PtyPair } from './pty-pair';

export interface ModemCenter {
  /** the product's side of the pty pair (the "serial port" to set) */
  port: string;
  pair: PtyPair;
  dataDir: string;
  pid: number;
  /** every line it printed so far */
  lines(): string[];
  /** the dial commands it saw, as "tone 0,0312345678" */
  dials(): string[];
  /** resolves with the first line (from `from` on) matching, or throws after `ms` */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<string>;
  reports: () => ReturnType<typeof centerReports>;
  /** the calls that have ended, as the modem recorded them (DIR/dialup-calls.jsonl) */
  calls(): ModemCallRecord[];
  stop(): Promise<void>;
}

export interface ModemCenterOptions {
  plan?: Partial<Record<keyof ModemPlan, unknown>>;
  baud?: number;
  guardMs?: number;
  commaMs?: number;
  answerMs?: number;
  /** how long a call carrying several reports waits for the next one (the modem's default 10 s) */
  batchWaitMs?: number;
  /** false: an older center without 一括通報 (`--no-batch`: it hangs up batchWaitMs after each final) */
  batch?: boolean;
  /** a data dir to keep (default a temp one, removed by stop) */
  dataDir?: string;
}

export async function startModemCenter(options: ModemCenterOptions = {}): Promise<ModemCenter> {
  ensureCenterBuilt();
  const temp = mkdtempSync(path.join(os.tmpdir(), 'er-modem-'));
  const dataDir = options.dataDir ?? path.join(temp, 'data');
  const args = ['modem', '--data-dir', dataDir];
  if (options.plan) {
    const file = path.join(temp, 'plan.json');
    writeFileSync(file, JSON.stringify(options.plan));
    args.push('--plan', file);
  }
  if (options.baud) args.push('--baud', String(options.baud));
  args.push('--guard-ms', String(options.guardMs ?? 200), '--comma-ms', String(options.commaMs ?? 50), '--answer-ms', String(options.answerMs ?? 100));
  if (options.batchWaitMs !== undefined) args.push('--batch-wait-ms', String(options.batchWaitMs));
  if (options.batch === false) args.push('--no-batch');
  const pair = await startPtyPair();
  const child = spawn(process.execPath, [CENTER_BIN, ...args, '--device', pair.b], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const waiters = new Set<() => void>();
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = (pattern: RegExp, ms = 15_000, from = 0): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.slice(from).find((l) => pattern.test(l));
        if (found !== undefined) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the modem printed no line matching ${pattern} in ${ms} ms; it printed:\n${lines.join('\n')}\n${stderr}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    await exited;
    await pair.stop();
    rmSync(temp, { recursive: true, force: true });
  };
  try {
    await waitFor(/^modem: ready/, 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port: pair.a,
    pair,
    dataDir,
    pid: child.pid!,
    lines: () => lines.slice(),
    dials: () => lines.filter((l) => l.startsWith('dial: tone ') || l.startsWith('dial: pulse ')).map((l) => l.slice('dial: '.length)),
    waitFor,
    reports: () => centerReports(dataDir),
    calls: () => {
      const file = path.join(dataDir, CALLS_FILE);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ModemCallRecord);
    },
    stop,
  };
}
