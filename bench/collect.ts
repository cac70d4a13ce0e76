/**
 * Collection: packing a 1 GiB tree of log files into a zip, our collector against Info-ZIP
 * `zip -r -1 -q` on the same tree in the same run (issue 4, Proof: peak RSS ≤ 150 MB and
 * throughput ≥ 0.8× of zip).
 *
 * - The tree is built once, deterministically (a seeded PRNG; log-like text lines; ~1,600 files
 *   from 512 bytes to 32 MiB in dated folders, plus empty folders), under
 *   `<tmpdir>/er-bench/collect-tree-v1` and reused while its manifest matches.
 *   ER_BENCH_COLLECT_MIB=N builds and measures an N MiB tree instead (for a quick look).
 * - Before measuring, the tree is read once so both tools start from a warm page cache.
 * - Rounds alternate zip and ours (ROUNDS each); the medians are compared. Both write their
 *   archive to the same temp folder and both use deflate level 1.
 * - Ours runs in a child process (the collector bundled by esbuild, plain node, no tsx) that
 *   prints the time of `collect()`, and its peak RSS (`resourceUsage().maxRSS`, VmHWM) at the end.
 *   Its wall time counted here is spawn → exit, like zip's.
 * - The last archive of each tool is checked with `unzip -tq`, and the number of files in both is
 *   compared (zip also stores folder entries; those are not counted).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collect } from '../src-main/collect/collector';
import type { Bench, BenchContext, MachineInfo } from './types';
import { machineInfo, median } from './common';

const TREE_VERSION = 1;
const ROUNDS = 3;
const LEVEL = 1;
const TARGET_RATIO = 0.8;
const TARGET_RSS_BYTES = 150 * 1000 * 1000;
const CHILD_ENV = 'ER_BENCH_COLLECT_CHILD';

export interface CollectRound {
  oursMs: number;
  oursCollectMs: number;
  oursCpuMs: number;
  oursMaxRssBytes: number;
  zipMs: number;
}

export interface CollectResult {
  date: string;
  machine: MachineInfo;
  /** 1-minute load average when the rounds started and ended (other work on the machine). */
  loadAverage: [number, number];
  node: string;
  zip: string;
  tree: { path: string; bytes: number; files: number; emptyFolders: number; builtMs: number | null };
  level: number;
  rounds: CollectRound[];
  ours: { medianMs: number; mibPerS: number; archiveBytes: number; files: number; peakRssBytes: number; valid: boolean };
  zipRun: { medianMs: number; mibPerS: number; archiveBytes: number; files: number; valid: boolean };
  /** zip's median time / ours: ≥ 1 means we are faster. */
  throughputRatio: number;
  targets: { throughputRatio: number; peakRssBytes: number };
  pass: { throughput: boolean; rss: boolean; sameFiles: boolean };
}

// ---------------------------------------------------------------------------------------------
// The child: collect the tree, print one JSON line.

interface ChildArgs {
  tree: string;
  tempDir: string;
  level: number;
}

interface ChildReport {
  collectMs: number;
  path: string;
  size: number;
  included: number;
  includedBytes: number;
  omitted: number;
  maxRssBytes: number;
  vmHwmBytes: number | null;
  cpuMs: number;
}

async function childMain(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as ChildArgs;
  const t0 = performance.now();
  const a = await collect(
    { tools: [{ command: null, directory: null, logFiles: [args.tree] }], timeoutSeconds: 0, maxBytes: Number.MAX_SAFE_INTEGER, archiveName: 'ours.zip' },
    { tempDir: args.tempDir, compressionLevel: args.level },
  );
  const collectMs = performance.now() - t0;
  const usage = process.resourceUsage();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '');
  const report: ChildReport = {
    collectMs,
    path: a.path,
    size: a.size,
    included: a.included,
    includedBytes: a.includedBytes,
    omitted: a.omitted.length,
    maxRssBytes: usage.maxRSS * 1024,
    vmHwmBytes: hwm ? Number(hwm[1]) * 1024 : null,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

if (process.env[CHILD_ENV] === '1') {
  childMain().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}

// ---------------------------------------------------------------------------------------------
// The tree.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'alert manager service agent report event source id timeout retry connect socket session queue worker ' +
  'disk volume raid array controller fan temperature voltage sensor threshold warning critical recovered ' +
  'cpu memory page cache buffer flush commit transaction request response status code latency bytes ' +
  'user login logout policy update install module driver firmware version config reload schedule task ' +
  'started stopped failed succeeded pending skipped unknown node cluster host network interface link up down'
).split(' ');
const LEVELS = ['INFO ', 'INFO ', 'INFO ', 'DEBUG', 'WARN ', 'ERROR'];
const COMPONENTS = ['AlertManager', 'ESMCommonService', 'WebReport', 'ServerAgent', 'Storage', 'Scheduler', 'Net', 'Sensor'];

interface Manifest {
  version: number;
  bytes: number;
  files: number;
  emptyFolders: number;
}

function logFile(rand: () => number, pool: string[], size: number, startMs: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let filled = 0;
  let ms = startMs;
  let chunk = '';
  while (filled + chunk.length < size) {
    ms += Math.floor(rand() * 1500);
    const level = LEVELS[Math.floor(rand() * LEVELS.length)]!;
    const thread = Math.floor(rand() * 16);
    chunk += `${new Date(ms).toISOString()} ${level} [worker-${thread}] ${pool[Math.floor(rand() * pool.length)]} took=${Math.floor(rand() * 5000)}ms\n`;
    if (chunk.length >= 65536) {
      filled += out.write(chunk, filled, 'latin1');
      chunk = '';
    }
  }
  if (chunk.length && filled < size) out.write(chunk, filled, 'latin1'); // cut to the size
  return out;
}

function buildTree(dir: string, totalBytes: number, log: (line: string) => void): Manifest {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(0x4e4543);
  const pool: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const n = 4 + Math.floor(rand() * 10);
    const words: string[] = [];
    for (let w = 0; w < n; w++) words.push(WORDS[Math.floor(rand() * WORDS.length)]!);
    const comp = COMPONENTS[Math.floor(rand() * COMPONENTS.length)]!;
    pool.push(`com.nec.esm.${comp}: ${words.join(' ')} id=0x${Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0')}`);
  }
  let bytes = 0;
  let files = 0;
  let emptyFolders = 0;
  let lastLog = 0;
  while (bytes < totalBytes) {
    const r = rand();
    const [lo, hi] = r < 0.7 ? [512, 64 * 1024] : r < 0.95 ? [64 * 1024, 2 * 1024 * 1024] : [2 * 1024 * 1024, 32 * 1024 * 1024];
    let size = Math.round(lo * Math.pow(hi / lo, rand()));
    size = Math.min(size, totalBytes - bytes);
    const host = `host${files % 4}`;
    const app = `app${Math.floor(rand() * 12)}`;
    const day = `2024-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const folder = path.join(dir, host, app, day);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${app}-${files}.log`);
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, logFile(rand, pool, size, Date.UTC(2024, 0, 1) + files * 3_600_000));
    } finally {
      closeSync(fd);
    }
    bytes += size;
    files++;
    if (files % 50 === 0) {
      mkdirSync(path.join(dir, host, 'empty', `e${files}`, 'deeper'), { recursive: true });
      emptyFolders += 2;
    }
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`building the tree: ${Math.round(bytes / 2 ** 20)} of ${Math.round(totalBytes / 2 ** 20)} MiB`);
    }
  }
  return { version: TREE_VERSION, bytes, files, emptyFolders };
}

function ensureTree(base: string, totalBytes: number, log: (line: string) => void): { dir: string; manifest: Manifest; builtMs: number | null } {
  const name = `collect-tree-v${TREE_VERSION}-${Math.round(totalBytes / 2 ** 20)}MiB`;
  const dir = path.join(base, name);
  const manifestFile = path.join(base, `${name}.json`);
  if (existsSync(manifestFile) && existsSync(dir)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.version === TREE_VERSION && manifest.bytes === totalBytes) {
      log(`reusing the tree ${dir}`);
      return { dir, manifest, builtMs: null };
    }
  }
  rmSync(manifestFile, { force: true });
  const free = statfsFree(base);
  if (free < totalBytes * 1.6) {
    throw new Error(`not enough space in ${base} for a ${Math.round(totalBytes / 2 ** 20)} MiB tree and two archives (${Math.round(free / 2 ** 20)} MiB free); set ER_BENCH_COLLECT_MIB`);
  }
  log(`building the tree ${dir} (once; reused afterwards)`);
  const t0 = performance.now();
  const manifest = buildTree(dir, totalBytes, log);
  const builtMs = Math.round(performance.now() - t0);
  writeFileSync(manifestFile, JSON.stringify(manifest) + '\n');
  return { dir, manifest, builtMs };
}

function statfsFree(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Reads every file once so both tools start from the page cache. */
function warm(dir: string): void {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const fd = openSync(path.join(entry.parentPath, entry.name), 'r');
    try {
      while (readSync(fd, buf, 0, buf.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The runs.

function timeProcess(cmd: string, args: string[], cwd: string): Promise<{ ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [CHILD_ENV]: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${path.basename(cmd)} exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

async function bundleCollector(root: string, outfile: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(root, 'bench', 'collect.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild'],
    logLevel: 'warning',
  });
}

function unzipCheck(zip: string): { valid: boolean; files: number } {
  const t = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
  const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const files = list.stdout.split('\n').filter((l) => l.length > 0 && !l.endsWith('/')).length;
  return { valid: t.status === 0, files };
}

async function run(ctx: BenchContext): Promise<CollectResult> {
  const zipVersion = spawnSync('zip', ['-v'], { encoding: 'utf8' });
  if (zipVersion.error || zipVersion.status !== 0) throw new Error('Info-ZIP `zip` is not installed (Debian package zip)');
  const zipLine = /This is (Zip [^\s,]+)/.exec(zipVersion.stdout)?.[1] ?? 'zip';
  const mib = Number(process.env.ER_BENCH_COLLECT_MIB ?? 1024);
  const totalBytes = Math.round(mib * 2 ** 20);
  const base = path.join(os.tmpdir(), 'er-bench');
  mkdirSync(base, { recursive: true });
  const tree = ensureTree(base, totalBytes, ctx.log);
  const work = path.join(base, `collect-run-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  try {
    const bundle = path.join(work, 'collect-child.cjs');
    await bundleCollector(ctx.root, bundle);
    ctx.log('warming the page cache');
    warm(tree.dir);

    const rounds: CollectRound[] = [];
    const zipOut = path.join(work, 'zip.zip');
    const outTmp = path.join(work, 'out');
    mkdirSync(outTmp);
    let last: ChildReport | null = null;
    const loadBefore = os.loadavg()[0]!;
    for (let i = 0; i < ROUNDS; i++) {
      rmSync(zipOut, { force: true });
      const z = await timeProcess('zip', ['-r', `-${LEVEL}`, '-q', zipOut, path.basename(tree.dir)], path.dirname(tree.dir));
      if (last) rmSync(path.dirname(last.path), { recursive: true, force: true });
      const args: ChildArgs = { tree: tree.dir, tempDir: outTmp, level: LEVEL };
      const o = await timeProcess(process.execPath, [bundle, JSON.stringify(args)], ctx.root);
      last = JSON.parse(o.stdout.trim().split('\n').at(-1)!) as ChildReport;
      const round: CollectRound = {
        oursMs: Math.round(o.ms),
        oursCollectMs: Math.round(last.collectMs),
        oursCpuMs: Math.round(last.cpuMs),
        oursMaxRssBytes: Math.max(last.maxRssBytes, last.vmHwmBytes ?? 0),
        zipMs: Math.round(z.ms),
      };
      rounds.push(round);
      ctx.log(
        `round ${i + 1}: zip ${round.zipMs} ms, ours ${round.oursMs} ms (collect ${round.oursCollectMs} ms, CPU ${round.oursCpuMs} ms, peak RSS ${(round.oursMaxRssBytes / 2 ** 20).toFixed(1)} MiB)`,
      );
    }
    const loadAfter = os.loadavg()[0]!;
    ctx.log('checking both archives with unzip -t');
    const oursCheck = unzipCheck(last!.path);
    const zipCheck = unzipCheck(zipOut);
    const oursMedian = median(rounds.map((r) => r.oursMs));
    const zipMedian = median(rounds.map((r) => r.zipMs));
    const mibPerS = (ms: number) => Math.round((tree.manifest.bytes / 2 ** 20 / (ms / 1000)) * 10) / 10;
    const peakRss = Math.max(...rounds.map((r) => r.oursMaxRssBytes));
    const ratio = Math.round((zipMedian / oursMedian) * 100) / 100;
    return {
      date: new Date().toISOString(),
      machine: machineInfo(),
      loadAverage: [Math.round(loadBefore * 100) / 100, Math.round(loadAfter * 100) / 100],
      node: process.version,
      zip: zipLine,
      tree: {
        path: tree.dir,
        bytes: tree.manifest.bytes,
        files: tree.manifest.files,
        emptyFolders: tree.manifest.emptyFolders,
        builtMs: tree.builtMs,
      },
      level: LEVEL,
      rounds,
      ours: {
        medianMs: oursMedian,
        mibPerS: mibPerS(oursMedian),
        archiveBytes: statSync(last!.path).size,
        files: oursCheck.files,
        peakRssBytes: peakRss,
        valid: oursCheck.valid,
      },
      zipRun: {
        medianMs: zipMedian,
        mibPerS: mibPerS(zipMedian),
        archiveBytes: statSync(zipOut).size,
        files: zipCheck.files,
        valid: zipCheck.valid,
      },
      throughputRatio: ratio,
      targets: { throughputRatio: TARGET_RATIO, peakRssBytes: TARGET_RSS_BYTES },
      pass: {
        throughput: ratio >= TARGET_RATIO && oursCheck.valid,
        rss: peakRss <= TARGET_RSS_BYTES,
        sameFiles: oursCheck.files === zipCheck.files && oursCheck.files === tree.manifest.files,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export const collectBench: Bench<CollectResult> = {
  name: 'collect',
  run,
  summary: (r) => [
    `tree: ${(r.tree.bytes / 2 ** 30).toFixed(2)} GiB in ${r.tree.files} files (+${r.tree.emptyFolders} empty folders), deflate level ${r.level}`,
    `ours: median ${r.ours.medianMs} ms = ${r.ours.mibPerS} MiB/s, archive ${mb(r.ours.archiveBytes)}, ${r.ours.files} files, unzip -t ${r.ours.valid ? 'ok' : 'FAILED'}`,
    `${r.zip} -r -${r.level}: median ${r.zipRun.medianMs} ms = ${r.zipRun.mibPerS} MiB/s, archive ${mb(r.zipRun.archiveBytes)}, ${r.zipRun.files} files, unzip -t ${r.zipRun.valid ? 'ok' : 'FAILED'}`,
    `throughput vs zip: ${r.throughputRatio}× (target ≥ ${r.targets.throughputRatio}×) ${verdict(r.pass.throughput)}`,
    `peak RSS of the collector process: ${mb(r.ours.peakRssBytes)} (target ≤ ${mb(r.targets.peakRssBytes)}) ${verdict(r.pass.rss)}`,
    `same files in both archives: ${verdict(r.pass.sameFiles)}`,
    `machine: ${r.machine.cpus} × ${r.machine.model}, ${r.machine.os}; node ${r.node}; load average ${r.loadAverage.join(' → ')}`,
  ],
};
