/**
 * A real process that holds a report queue: `node` running the bundled queue store, which opens
 * the folder and waits. Killed with SIGKILL by its pid (the kernel then releases its lock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '../..');
/** Outside dist/, so that no package ever ships it. */
export const STORE_BUNDLE = path.join(ROOT, '.tmp', 'queue-store-owner.cjs');

/** Bundles the queue store from the current sources once per test process (see bundleOnce). */
export async function buildStoreBundle(): Promise<string> {
  const { bundleOnce } = await import('./bundle');
  return bundleOnce(path.join(ROOT, 'src-main', 'queue', 'store.ts'), STORE_BUNDLE);
}

/** Node code that opens the queue in `dir` and prints `held` once it owns it (or `failed …`). */
export function ownerScript(dir: string): string {
  return `require(${JSON.stringify(STORE_BUNDLE)}).QueueStore.open({ dir: ${JSON.stringify(dir)} }).then(() => { console.log('held'); setInterval(() => {}, 1e6); }, (e) => { console.log('failed ' + e.message); process.exit(1); })`;
}

/** Reads lines from a child's stdout until `count` have arrived. */
export function readLines(child: ChildProcess, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const got: string[] = [];
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      got.push(line);
      if (got.length === count) {
        rl.close();
        resolve(got);
      }
    });
    child.once('exit', () => reject(new Error(`child ended early; got ${JSON.stringify(got)}`)));
  });
}

/** Starts a process holding the queue in `dir`; resolves once it does. */
export async function holdQueue(dir: string): Promise<{ pid: number; kill(): Promise<void> }> {
  await buildStoreBundle();
  const child = spawn(process.execPath, ['-e', ownerScript(dir)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await readLines(child, 1);
  if (line !== 'held') throw new Error(`the queue owner did not start: ${line}`);
  return {
    pid: child.pid!,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
