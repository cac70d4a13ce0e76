/**
 * A real HTTP proxy for tests: Debian `tinyproxy` on 127.0.0.1, optionally with Basic
 * authentication, started in the foreground as a child of the test (`tinyproxy -d -c CONF`) and
 * stopped by its PID. No `ConnectPort` line: with one, CONNECT to other ports is refused.
 * tinyproxy answers 407 to a CONNECT without credentials and 401 to a wrong password.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, stopChild, waitForPort } from './mail-peers/ports';

export { freePort };

/** The tinyproxy binary, or null when the Debian package is not installed. */
export function tinyproxyPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v tinyproxy'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : null;
}

export interface Tinyproxy {
  host: string;
  port: number;
  pid: number;
  /** what it logged so far */
  log(): string;
  stop(): Promise<void>;
}

export interface TinyproxyOptions {
  /** Basic authentication (no spaces in either) */
  user?: string;
  password?: string;
}

/** Starts tinyproxy on a free loopback port and waits until it accepts connections. */
export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
  const bin = tinyproxyPath();
  if (!bin) throw new Error('tinyproxy is not installed (apt-get install -y tinyproxy)');
  if (/\s/.test(`${options.user ?? ''}${options.password ?? ''}`)) throw new Error('tinyproxy BasicAuth takes no spaces');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-tinyproxy-'));
    const port = await freePort();
    const conf = path.join(dir, 'tinyproxy.conf');
    const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'Allow 127.0.0.1', 'LogLevel Info', 'MaxClients 50'];
    if (options.user) lines.push(`BasicAuth ${options.user} ${options.password ?? ''}`);
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const child = spawn(bin, ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const alive = () => child.exitCode === null && child.signalCode === null;
    const started = await waitForPort(port, 5000, alive, 'tinyproxy').then(
      () => true,
      (err: Error) => {
        lastError = `${err.message}: ${log}`;
        return false;
      },
    );
    if (started) {
      let stopping: Promise<void> | null = null;
      return {
        host: '127.0.0.1',
        port,
        pid: child.pid!,
        log: () => log,
        stop: () => {
          stopping ??= stopChild(child).then(() => rmSync(dir, { recursive: true, force: true }));
          return stopping;
        },
      };
    }
    await stopChild(child, 0);
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`tinyproxy did not start: ${lastError}`);
}
