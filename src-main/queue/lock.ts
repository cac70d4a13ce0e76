/**
 * One owner per folder (the report queue, the data folder of `serve`), held by a lock the kernel
 * releases when the owner dies — however it dies (SIGKILL, a crash, a power cut), and even while
 * it is an unreaped zombie, because a zombie has no open files or sockets any more.
 *
 * The lock is a listening local socket whose name is derived from the folder: on Linux a socket
 * in the abstract namespace (no file, gone with its last descriptor), on Windows a named pipe
 * (libuv creates the first instance exclusively). A second listen on the name fails with
 * EADDRINUSE: the folder is held. No pid is ever trusted: a pid left by a crash or a reboot can
 * belong to another live process or to a zombie. Elsewhere (macOS, the BSDs) the socket is a file
 * in the temp folder, taken over when nobody answers on it.
 *
 * The name is a hash of a random id kept in the folder (`<name>.id`, 0600), so that another local
 * user, who cannot read the folder, cannot compute it and squat on it. The pid file `<name>`
 * remains, for the message only ("in use by process N").
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LOCK_FILE } from './files';

export class QueueLockedError extends Error {
  readonly code = 'queue-locked';
  constructor(
    readonly dir: string,
    readonly pid: number | null,
  ) {
    super(`the report queue ${dir} is in use${pid ? ` by process ${pid}` : ''}`);
    this.name = 'QueueLockedError';
  }
}

/** A held lock; `release()` frees it (the kernel does so anyway when the process ends). */
export interface FolderLock {
  release(): Promise<void>;
}

/** Whether a process with this pid runs (one of another user counts: EPERM). Never proof of ownership. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const ID_RE = /^[0-9a-f]{32}$/;

/** The folder's random lock id, created once (linked into place, so racing creators agree). */
async function lockId(dir: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.id`);
  const read = async () => (await fsp.readFile(file, 'utf8').catch(() => '')).trim();
  const found = await read();
  if (ID_RE.test(found)) return found;
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(temp, `${randomBytes(16).toString('hex')}\n`, { mode: 0o600 });
  try {
    // A damaged id is replaced; an intact one another process has just made is kept.
    if (found !== '') await fsp.rm(file, { force: true });
    await fsp.link(temp, file).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return;
      // A file system without hard links: create it exclusively instead.
      await fsp.copyFile(temp, file, fsConstants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    });
  } finally {
    await fsp.rm(temp, { force: true });
  }
  const made = await read();
  if (!ID_RE.test(made)) throw new Error(`the lock id ${file} cannot be read`);
  return made;
}

/** The socket name for a lock id on this platform. */
export function socketName(id: string, platform: NodeJS.Platform = process.platform): string {
  const hash = createHash('sha256').update(`express-report-lock:${id}`).digest('hex').slice(0, 40);
  if (platform === 'linux') return `\0express-report-${hash}`;
  if (platform === 'win32') return `\\\\.\\pipe\\express-report-${hash}`;
  // A socket file's path must stay under ~104 bytes (macOS): a shorter name.
  return path.join(os.tmpdir(), `er-${hash.slice(0, 24)}.sock`);
}

function listen(name: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      // Whoever connects (a CLI asking whether the lock is held) may hang up at once: never a crash.
      socket.on('error', () => undefined);
      socket.setTimeout(1000, () => socket.destroy());
      socket.end(`${process.pid}\n`);
    });
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      // Holding the lock must not keep the process alive.
      server.unref();
      resolve(server);
    });
  });
}

/** Whether something answers on the socket (the socket-file fallback's stale check). */
function answers(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(name);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function pidIn(file: string): Promise<number | null> {
  const pid = Number((await fsp.readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether the lock `name` of folder `dir` is held now, by any process (this one included). */
export async function lockHeld(dir: string, name: string = LOCK_FILE): Promise<boolean> {
  const id = (await fsp.readFile(path.join(dir, `${name}.id`), 'utf8').catch(() => '')).trim();
  return ID_RE.test(id) && answers(socketName(id));
}

/**
 * Takes the lock `name` of folder `dir` (which must exist), or throws QueueLockedError naming
 * the owner's pid. Within one process a folder's lock can be held once.
 */
export async function acquireLock(dir: string, name: string = LOCK_FILE): Promise<FolderLock> {
  const socket = socketName(await lockId(dir, name));
  const pidFile = path.join(dir, name);
  let server: net.Server | null = null;
  for (let attempt = 0; server === null; attempt++) {
    try {
      server = await listen(socket);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      // Only a socket file can be left behind (not on Linux or Windows): taken over when dead.
      const stale = process.platform !== 'linux' && process.platform !== 'win32' && attempt === 0 && !(await answers(socket));
      if (!stale) throw new QueueLockedError(dir, await pidIn(pidFile));
      await fsp.rm(socket, { force: true });
    }
  }
  const held = server;
  try {
    // Replaced whole (written beside, renamed), never fsync'd: it is for the message only.
    const temp = `${pidFile}.${process.pid}.tmp`;
    await fsp.writeFile(temp, `${process.pid}\n`, { mode: 0o600 });
    await fsp.rename(temp, pidFile);
  } catch (err) {
    held.close();
    throw err;
  }
  let released: Promise<void> | null = null;
  return {
    release() {
      released ??= (async () => {
        // The pid file first: once the socket is free, the next owner writes its own.
        if ((await pidIn(pidFile)) === process.pid) await fsp.rm(pidFile, { force: true });
        await new Promise<void>((resolve) => held.close(() => resolve()));
      })();
      return released;
    },
  };
}
