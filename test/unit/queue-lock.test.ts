/**
 * Item 4 of issue 9: the queue lock is one the kernel releases when its owner dies. A pid left
 * in the lock file proves nothing: after a crash or a reboot it can name another live process or
 * an unreaped zombie, and neither may block reporting. The owners here are real processes
 * (node with the bundled queue store), killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueueLockedError, QueueStore } from '../../src-main/queue/store';
import { buildStoreBundle, ownerScript, readLines as lines } from '../helpers/queue-owner';
import { tempDir } from '../helpers/temp';

const temp = tempDir('er-qlock-');
const children: ChildProcess[] = [];
const stores: QueueStore[] = [];
let seq = 0;

beforeAll(async () => {
  await buildStoreBundle();
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(() => temp.remove());

const folder = () => path.join(temp.dir, `q${++seq}`);
async function open(dir: string): Promise<QueueStore> {
  const store = await QueueStore.open({ dir });
  stores.push(store);
  return store;
}

/** The state letter of /proc/PID/stat (R, S, Z …), or null when the pid is gone. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
  } catch {
    return null;
  }
}

/** A zombie whose threads have all ended (the leader shows Z while the others still unwind). */
function isZombie(pid: number): boolean {
  if (procState(pid) !== 'Z') return false;
  const threads = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return threads?.[1] === '1';
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A zombie: `sh` starts the command in the background, prints its pid and execs `sleep`, which
 * never reaps it. Killing the command leaves an unreaped zombie with the same pid.
 */
function withZombieParent(command: string[]): ChildProcess {
  const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('sh', ['-c', `${quoted} & echo $!; exec sleep 120`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return child;
}

describe('the queue lock is released by the kernel, not judged by a pid', () => {
  it('a live owner in another process blocks, named by its pid; SIGKILLed, its queue opens at once', async () => {
    const dir = folder();
    const owner = spawn(process.execPath, ['-e', ownerScript(dir)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(owner);
    expect(await lines(owner, 1)).toEqual(['held']);
    const refused = await QueueStore.open({ dir }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueLockedError);
    expect((refused as QueueLockedError).pid).toBe(owner.pid);
    expect((refused as Error).message).toContain(`in use by process ${owner.pid}`);
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('exit', r));
    // The dead owner's lock file is still there, naming it; nobody has to delete it.
    expect(readFileSync(path.join(dir, 'lock'), 'utf8')).toBe(`${owner.pid}\n`);
    await open(dir);
    expect(readFileSync(path.join(dir, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('an owner killed but left an unreaped zombie no longer holds the queue', async () => {
    const dir = folder();
    const parent = withZombieParent([process.execPath, '-e', ownerScript(dir)]);
    const [pidLine, held] = await lines(parent, 2);
    const pid = Number(pidLine);
    expect(held).toBe('held');
    await expect(QueueStore.open({ dir })).rejects.toBeInstanceOf(QueueLockedError);
    process.kill(pid, 'SIGKILL');
    await until(() => isZombie(pid));
    // kill(pid, 0) still succeeds on a zombie: the pid looks alive, and the pid file names it.
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(readFileSync(path.join(dir, 'lock'), 'utf8')).toBe(`${pid}\n`);
    await open(dir);
  });

  it('a process the owner started (a collection tool) does not inherit the lock: the owner SIGKILLed, the queue opens while it lives', async () => {
    const dir = folder();
    const script = `const c = require('node:child_process').spawn('sleep', ['120'], { stdio: 'ignore', detached: true }); c.unref(); console.log(c.pid); ${ownerScript(dir)}`;
    const owner = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(owner);
    const [toolPid, held] = await lines(owner, 2);
    expect(held).toBe('held');
    try {
      owner.kill('SIGKILL');
      await new Promise((r) => owner.once('exit', r));
      expect(procState(Number(toolPid))).not.toBeNull();
      await open(dir);
    } finally {
      process.kill(Number(toolPid), 'SIGKILL');
    }
  });

  it('a lock file planted with a live foreign pid or a zombie pid does not block the queue', async () => {
    const sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
    children.push(sleeper);
    await until(() => procState(sleeper.pid!) !== null);
    // It ends after its parent has become `sleep` (a shell would reap a child that ended first).
    const zombieParent = withZombieParent(['sleep', '0.2']);
    const zombie = Number((await lines(zombieParent, 1))[0]);
    await until(() => isZombie(zombie));
    for (const pid of [sleeper.pid!, zombie]) {
      const dir = folder();
      // The queue was used before (its id exists), then the machine crashed and rebooted.
      await (await QueueStore.open({ dir })).close();
      writeFileSync(path.join(dir, 'lock'), `${pid}\n`);
      const store = await open(dir);
      expect(readFileSync(path.join(dir, 'lock'), 'utf8'), `pid ${pid}`).toBe(`${process.pid}\n`);
      await store.close();
    }
  });

  it('the lock id is private to the folder (0600) and kept across opens', async () => {
    const dir = folder();
    await (await QueueStore.open({ dir })).close();
    const id = readFileSync(path.join(dir, 'lock.id'), 'utf8');
    expect(id).toMatch(/^[0-9a-f]{32}\n$/);
    expect(statSync(path.join(dir, 'lock.id')).mode & 0o777).toBe(0o600);
    await open(dir);
    expect(readFileSync(path.join(dir, 'lock.id'), 'utf8')).toBe(id);
  });
});
