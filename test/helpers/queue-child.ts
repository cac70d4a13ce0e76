/**
 * The crash proof of the report queue (issue 5): a child backend that accepts reports and
 * delivers them to the center simulator, killed with SIGKILL at random moments and started
 * again on the same folder; at the end every report it acknowledged must be at the center, once.
 *
 * As a child (`node .tmp/queue-child.cjs --queue-child --dir D --url U --ca C`): reads one JSON
 * line per report from stdin (`{"id": UUID}`), prints `ack <id>` only once the report is durable,
 * and delivers through the real HTTPS reporter. Commands: `{"cmd":"rss"}` → `rss <bytes> <memoryUsage json>`,
 * `{"cmd":"counts"}` → `counts <json>`. SIGTERM closes the queue and exits 0.
 *
 * As a library: `crashRun()` drives the children (used by queue-crash.test.ts and bench/queue.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { ReportEnvelope } from '../../src-shared/report';
import { ReportQueue } from '../../src-main/queue/report-queue';
import { createHttpsReporter } from '../../src-main/channels/https/https-reporter';
import type { ReportListing } from '../center/reports';
import type { Center } from './center';

const ROOT = path.resolve(__dirname, '../..');
/** Outside dist/, so that no package ever ships it; node_modules resolve from the repository. */
export const QUEUE_CHILD_BUNDLE = path.join(ROOT, '.tmp', 'queue-child.cjs');
/** The child's clock runs this much faster than the real one: a 1-minute retry takes a second. */
const TIME_SCALE = 60;
const CLOCK_ORIGIN = Date.UTC(2026, 0, 1);

/** Bundles .tmp/queue-child.cjs from the current sources once per process (see bundleOnce). */
export async function buildQueueChild(): Promise<string> {
  // Loaded only by the parent: the child bundle never initialises esbuild.
  const { bundleOnce } = await import('./bundle');
  return bundleOnce(path.join(ROOT, 'test', 'helpers', 'queue-child.ts'), QUEUE_CHILD_BUNDLE);
}

/** The envelope the child queues for an id: an alert of the pseudo-failure kind. */
export function crashEnvelope(id: string, now: Date): ReportEnvelope {
  return {
    formatVersion: 1,
    id,
    kind: 'alert',
    createdAt: now.toISOString(),
    method: 'express-https',
    product: { version: '0.1.0', reportModuleVersion: '1' },
    contract: { userSystemCode: 'U2024-0001', keyCode: '' },
    server: { serverName: 'SERVER001', hostName: 'server001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' },
    event: { log: 'System', source: 'atapi', eventId: '0xC0040006', time: now.toISOString(), message: 'crash test: the device did not respond within the timeout period.', suppressedCount: 0, pseudo: false },
    resultDestination: null,
    opening: null,
    attachments: [],
  };
}

// ---------------------------------------------------------------------------------------------
// the child

async function childMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, url: { type: 'string' }, ca: { type: 'string' }, 'no-dispatch': { type: 'boolean' } },
  });
  if (!values.dir || !values.url || !values.ca) throw new Error('usage: --queue-child --dir D --url U --ca C [--no-dispatch]');
  const now = () => new Date(CLOCK_ORIGIN + (Date.now() - CLOCK_ORIGIN) * TIME_SCALE);
  const reporter = createHttpsReporter({ url: values.url, caFile: values.ca, timeoutMs: 10_000 });
  const queue = await ReportQueue.open({
    dir: values.dir,
    now,
    setTimer: (fn, ms) => setTimeout(fn, Math.ceil(ms / TIME_SCALE)),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    scheduleFor: () => ({ retryIntervalMinutes: 1, retryUntilHours: 72, window: '00:00-24:00' }),
    reportersFor: () => [reporter],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  for (const notice of queue.notices) process.stdout.write(`notice ${notice.reason}\n`);
  if (!values['no-dispatch']) queue.start();
  process.stdout.write(`ready ${queue.counts().pending}\n`);

  let closing = false;
  process.on('SIGTERM', () => {
    closing = true;
    void queue.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (closing || !line.trim()) return;
    const message = JSON.parse(line) as { id?: string; cmd?: string };
    if (message.cmd === 'rss') {
      // Twice, a moment apart: array buffers are freed after the collection that drops them.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      setTimeout(() => {
        gc?.();
        const usage = process.memoryUsage();
        process.stdout.write(`rss ${usage.rss} ${JSON.stringify(usage)}\n`);
      }, 100);
      return;
    }
    if (message.cmd === 'counts') {
      process.stdout.write(`counts ${JSON.stringify(queue.counts())}\n`);
      return;
    }
    if (message.cmd === 'pending') {
      const ids = queue.list({ state: ['queued', 'sending', 'retrying'] }).map((i) => i.id);
      process.stdout.write(`pending ${JSON.stringify(ids)}\n`);
      return;
    }
    const id = message.id!;
    queue.accept(crashEnvelope(id, new Date())).then(
      () => process.stdout.write(`ack ${id}\n`),
      (err: unknown) => process.stdout.write(`refused ${id} ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
}

if (process.argv[2] === '--queue-child') {
  childMain(process.argv.slice(3)).catch((err: unknown) => {
    process.stderr.write(`queue child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  });
}

// ---------------------------------------------------------------------------------------------
// the parent

export interface QueueChild {
  process: ChildProcess;
  /** every line printed so far */
  lines: string[];
  /** resolves with the first line starting with `prefix` (after those already seen) */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  send(message: object): void;
  exited: Promise<void>;
}

/** Starts a child on `dir` (the bundle must be built). */
export function startQueueChild(options: { dir: string; center: Pick<Center, 'url' | 'ca'>; dispatch?: boolean; nodeArgs?: string[] }): QueueChild {
  const args = [...(options.nodeArgs ?? []), QUEUE_CHILD_BUNDLE, '--queue-child', '--dir', options.dir, '--url', options.center.url, '--ca', options.center.ca];
  if (options.dispatch === false) args.push('--no-dispatch');
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin!.on('error', () => undefined); // writes after a kill
  const exited = new Promise<void>((resolve) => {
    let done = 0;
    const one = () => ++done === 2 && resolve();
    child.once('exit', one);
    child.stdout!.once('close', one);
  });
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (line.startsWith(w.prefix)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  return {
    process: child,
    lines,
    exited,
    send: (message) => {
      if (child.stdin!.writable) child.stdin!.write(`${JSON.stringify(message)}\n`);
    },
    waitFor: (prefix, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error(`queue child printed no "${prefix}" within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`)), timeoutMs);
        const fail = () => {
          clearTimeout(timer);
          reject(new Error(`queue child exited before "${prefix}"; stderr: ${stderr.slice(-2000)}`));
        };
        void exited.then(fail);
        waiters.push({
          prefix,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      }),
  };
}

export interface CrashRunOptions {
  /** the queue folder, kept across the kills */
  dir: string;
  center: Pick<Center, 'url' | 'ca' | 'reports' | 'stats'>;
  kills: number;
  /** how long a child lives after it is ready, at most (ms); the moment is random below it */
  maxLifeMs?: number;
  /** a child that said ready is not killed before it acknowledged this many reports (default 0) */
  minAcksPerLife?: number;
  /** reports written to a child per millisecond of its life, about */
  reportsPerMs?: number;
  /**
   * The ceiling for the last child to empty its queue (default 60 s). The drain waits for the
   * queue to be empty, not a fixed time; it gives up earlier only when nothing was delivered for
   * `drainStallMs`.
   */
  drainTimeoutMs?: number;
  /** give up when the center received nothing new for this long while reports are pending (default 60 s) */
  drainStallMs?: number;
  /** the center's listing (default center.reports(), which spawnSync caps at 1 MiB of output) */
  listReports?: () => ReportListing[];
  log?(line: string): void;
}

export interface CrashRunResult {
  kills: number;
  /** kills that hit a child before it said ready (while it opened and replayed the queue) */
  killsWhileOpening: number;
  /** children killed while they were accepting reports (after ready, fed until the kill) */
  workingKills: number;
  sent: number;
  acknowledged: number;
  /** acknowledged reports at the center (must be all) */
  delivered: number;
  /** acknowledged, not at the center and no longer in the queue — lost: must be empty */
  missing: string[];
  /** acknowledged, not at the center yet but still in the queue when the drain ended (not lost: late) */
  pending: string[];
  /** the last child emptying the queue: reports delivered to the center per second */
  drain: { pendingAtStart: number; delivered: number; ms: number; perSecond: number; emptied: boolean; stopped: 'empty' | 'ceiling' | 'stalled' };
  /** at the center but never sent: must be empty */
  unexpected: string[];
  /** ids listed more than once by the center: must be empty */
  repeated: string[];
  /** unacknowledged reports that arrived anyway (allowed: at least once) */
  unacknowledgedDelivered: number;
  /** deliveries the center recognised as repeats of a stored id (resends after a kill) */
  centerDuplicates: number;
  /** damage reported by the children on open (torn tails after a kill) */
  notices: number;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills a child `kills` times at random moments while it accepts reports; then checks the center. */
export async function crashRun(options: CrashRunOptions): Promise<CrashRunResult> {
  await buildQueueChild();
  const started = performance.now();
  const maxLife = options.maxLifeMs ?? 400;
  const rate = options.reportsPerMs ?? 0.2;
  const sent = new Set<string>();
  const acked = new Set<string>();
  let notices = 0;
  let killsWhileOpening = 0;
  let workingKills = 0;
  const before = await options.center.stats();

  for (let round = 0; round < options.kills; round++) {
    const child = startQueueChild({ dir: options.dir, center: options.center });
    const collect = () => {
      for (const line of child.lines) {
        if (line.startsWith('ack ')) acked.add(line.slice(4));
        if (line.startsWith('notice ')) notices++;
      }
    };
    if (Math.random() < 0.15) {
      // Now and then, die while opening: replaying, compacting, sweeping.
      await sleep(Math.random() * 120);
      if (!child.lines.some((l) => l.startsWith('ready'))) killsWhileOpening++;
      child.process.kill('SIGKILL');
      await child.exited;
      collect();
      continue;
    }
    await child.waitFor('ready');
    const life = 5 + Math.random() * maxLife;
    const until = performance.now() + life;
    // Feed reports in small bursts until the moment of the kill — and until this child has
    // acknowledged a few, so that a slow (loaded) machine still kills children that were working.
    const minAcks = options.minAcksPerLife ?? 0;
    const ackedHere = () => child.lines.filter((l) => l.startsWith('ack ')).length;
    while (performance.now() < until || ackedHere() < minAcks) {
      const burst = Math.max(1, Math.round(rate * 5 * (0.5 + Math.random())));
      for (let i = 0; i < burst; i++) {
        const id = randomUUID();
        sent.add(id);
        child.send({ id });
      }
      await sleep(Math.min(5, Math.max(0, until - performance.now())));
    }
    child.process.kill('SIGKILL');
    workingKills++;
    await child.exited;
    collect();
    if (round % 20 === 19) options.log?.(`${round + 1} kills: ${acked.size} acknowledged of ${sent.size} sent`);
  }

  // The last child delivers everything pending: wait until its queue is empty (a generous ceiling,
  // and no longer than drainStallMs without any progress), measuring the rate it drains at.
  const final = startQueueChild({ dir: options.dir, center: options.center });
  let pendingIds: string[] = [];
  let drain: CrashRunResult['drain'];
  try {
    const ready = await final.waitFor('ready');
    const pendingAtStart = Number(ready.split(' ')[1]);
    const drainStart = performance.now();
    const storedAtStart = (await options.center.stats()).stored;
    const ceiling = drainStart + (options.drainTimeoutMs ?? 60_000);
    const stallMs = options.drainStallMs ?? 60_000;
    let lastStored = storedAtStart;
    let lastProgress = drainStart;
    let stopped: CrashRunResult['drain']['stopped'];
    const ask = async <T>(cmd: string): Promise<T> => {
      final.send({ cmd });
      const line = await final.waitFor(`${cmd} `, 30_000);
      final.lines.splice(final.lines.indexOf(line), 1);
      return JSON.parse(line.slice(cmd.length + 1)) as T;
    };
    for (;;) {
      const counts = await ask<{ pending: number }>('counts');
      if (counts.pending === 0) {
        stopped = 'empty';
        break;
      }
      const stored = (await options.center.stats()).stored;
      if (stored > lastStored) {
        lastStored = stored;
        lastProgress = performance.now();
      }
      if (performance.now() > ceiling) {
        stopped = 'ceiling';
        break;
      }
      if (performance.now() - lastProgress > stallMs) {
        stopped = 'stalled';
        break;
      }
      await sleep(250);
    }
    const ms = Math.round(performance.now() - drainStart);
    const delivered = (await options.center.stats()).stored - storedAtStart;
    drain = { pendingAtStart, delivered, ms, perSecond: Math.round((delivered / Math.max(ms, 1)) * 1000 * 10) / 10, emptied: stopped === 'empty', stopped };
    if (stopped !== 'empty') pendingIds = await ask<string[]>('pending');
  } finally {
    final.process.kill('SIGTERM');
    await final.exited;
  }

  const listing = options.listReports ? options.listReports() : options.center.reports();
  const atCenter = new Map<string, number>();
  for (const r of listing) atCenter.set(r.id, (atCenter.get(r.id) ?? 0) + 1);
  const after = await options.center.stats();
  const stillQueued = new Set(pendingIds);
  const notThere = [...acked].filter((id) => !atCenter.has(id));
  const missing = notThere.filter((id) => !stillQueued.has(id));
  const pending = notThere.filter((id) => stillQueued.has(id));
  const mine = [...atCenter.keys()].filter((id) => sent.has(id));
  return {
    kills: options.kills,
    killsWhileOpening,
    workingKills,
    sent: sent.size,
    acknowledged: acked.size,
    delivered: acked.size - notThere.length,
    missing,
    pending,
    drain,
    unexpected: [...atCenter.keys()].filter((id) => !sent.has(id)),
    repeated: [...atCenter.entries()].filter(([, n]) => n > 1).map(([id]) => id),
    unacknowledgedDelivered: mine.filter((id) => !acked.has(id)).length,
    centerDuplicates: after.duplicates - before.duplicates,
    notices,
    durationMs: Math.round(performance.now() - started),
  };
}
