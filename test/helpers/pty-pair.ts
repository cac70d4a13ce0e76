/**
 * A pty pair for modem tests: `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` started
 * in the foreground as a child of the test and stopped by its PID (PID 1 does not reap orphans
 * here). The product opens A through the real serialport binding, the center's modem opens B.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PtyPair {
  /** the product's side (a symlink to /dev/pts/N) */
  a: string;
  /** the modem's side */
  b: string;
  pid: number;
  /** SIGTERM, waits for the exit, removes the links' folder */
  stop(): Promise<void>;
}

/** Whether socat is installed (the Debian package). */
export function socatPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v socat'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : null;
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/** Starts socat and resolves when both links exist (socat has printed "starting data transfer loop"). */
export async function startPtyPair(): Promise<PtyPair> {
  const bin = socatPath();
  if (!bin) throw new Error('socat is not installed (apt-get install socat)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-pty-'));
  const a = path.join(dir, 'A');
  const b = path.join(dir, 'B');
  const child = spawn(bin, ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    await waitExit(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(log.includes('starting data transfer loop') && existsSync(a) && existsSync(b))) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`socat exited with ${child.exitCode}: ${log}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`socat did not make the pty pair in 10 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { a, b, pid: child.pid!, stop };
}
