/**
 * リモートアクセスサービスの利用: a dial-up connection to the provider brought up before a report
 * mail is sent and down after. Windows: `rasdial ENTRY USER PASSWORD` / `rasdial ENTRY
 * /disconnect` (the seed: the user name and password set here are used, not Windows' saved
 * ones). Linux: `pon ENTRY updetach [user USER]` / `poff ENTRY` (ppp; the password is pppd's,
 * in /etc/ppp/pap-secrets or chap-secrets), else `nmcli connection up ENTRY passwd-file
 * /dev/stdin` (the password on its standard input) / `nmcli connection down ENTRY`. Each is
 * found on PATH and run without a shell; no argument list is ever logged or quoted.
 */
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { spawnFile, startFailure } from '../../lib/child-process';
import { firstLine } from '../../lib/lines';

export interface RemoteAccessConfig {
  entry: string;
  user: string;
  password: string;
  timeoutMs: number;
}

export class RemoteAccessError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'RemoteAccessError';
  }
}

/** A program on PATH (with PATHEXT on Windows), or null. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d !== '');
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        await fsp.access(file, platform === 'win32' ? constants.F_OK : constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

interface Run {
  binary: string;
  args: string[];
  stdin?: string;
  /** what it is called in a reason (never its arguments) */
  label: string;
}

/** Runs one step; resolves when it exits 0, else rejects with its first line of output. */
function run(step: Run, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawnFile(step.binary, step.args, { stdio: ['pipe', 'pipe', 'pipe'], signal });
    } catch (err) {
      return reject(new RemoteAccessError(`${startFailure(step.label, err)}`, false));
    }
    let output = '';
    const keep = (d: Buffer) => {
      if (output.length < 4096) output += d.toString('utf8');
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.stdin?.end(step.stdin ?? '');
    child.stdin?.on('error', () => undefined);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new RemoteAccessError(signal?.aborted ? `${step.label} was cancelled` : startFailure(step.label, err), true));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const said = firstLine(output);
      const why = sig ? `stopped by ${sig}` : `exit code ${code}`;
      reject(new RemoteAccessError(`${step.label} failed (${why}${said ? `: ${said}` : ''})`, true));
    });
  });
}

export interface RemoteAccessLink {
  /** brings the entry down again; never rejects */
  down(): Promise<string | null>;
}

/** The commands that bring `entry` up and down here, or why there are none. */
async function commands(config: RemoteAccessConfig, platform: NodeJS.Platform): Promise<{ up: Run; down: Run } | string> {
  if (platform === 'win32') {
    const rasdial = await findOnPath('rasdial', process.env, platform);
    if (!rasdial) return 'rasdial was not found on PATH: remote access needs the Windows remote access service';
    return {
      up: { binary: rasdial, args: [config.entry, config.user, config.password], label: `rasdial ${config.entry}` },
      down: { binary: rasdial, args: [config.entry, '/disconnect'], label: `rasdial ${config.entry} /disconnect` },
    };
  }
  const pon = await findOnPath('pon', process.env, platform);
  const poff = await findOnPath('poff', process.env, platform);
  if (pon && poff) {
    const args = [config.entry, 'updetach', ...(config.user ? ['user', config.user] : [])];
    return { up: { binary: pon, args, label: `pon ${config.entry}` }, down: { binary: poff, args: [config.entry], label: `poff ${config.entry}` } };
  }
  const nmcli = await findOnPath('nmcli', process.env, platform);
  if (nmcli) {
    const withPassword = config.password !== '';
    return {
      up: {
        binary: nmcli,
        args: ['connection', 'up', config.entry, ...(withPassword ? ['passwd-file', '/dev/stdin'] : [])],
        stdin: withPassword ? `ppp.password:${config.password}\n` : '',
        label: `nmcli connection up ${config.entry}`,
      },
      down: { binary: nmcli, args: ['connection', 'down', config.entry], label: `nmcli connection down ${config.entry}` },
    };
  }
  return 'neither pon/poff (ppp) nor nmcli (NetworkManager) was found on PATH: install ppp or NetworkManager, or clear [use remote access]';
}

/** Brings the entry up; the link's down() brings it down again. */
export async function remoteAccessUp(config: RemoteAccessConfig, signal?: AbortSignal, platform: NodeJS.Platform = process.platform): Promise<RemoteAccessLink> {
  const found = await commands(config, platform);
  if (typeof found === 'string') throw new RemoteAccessError(found, false);
  await run(found.up, config.timeoutMs, signal);
  return {
    down: () =>
      run(found.down, Math.min(config.timeoutMs, 30_000)).then(
        () => null,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
  };
}
