import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'express-report.cjs');

function requireBuild(): void {
  if (!existsSync(path.join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/cli.cjs is missing: run `npm run build` first (npm test does)');
}

/** Runs the built `express-report` command (no shell) and returns its exit status and output. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  requireBuild();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Served {
  url: string;
  port: number;
  token: string;
  pid: number;
  /** sends SIGTERM and resolves with the exit code once the process is gone */
  stop(): Promise<number | null>;
}

/** Starts `express-report serve` and waits for its first line, `url: …`. */
export function serve(dataDir: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): Promise<Served> {
  requireBuild();
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', ...extra], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`serve printed no url within 15 s: ${stderr}`)), 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^url: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      resolve({
        url: m[1]!,
        port: Number(m[2]),
        token: m[3]!,
        pid: child.pid!,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}
