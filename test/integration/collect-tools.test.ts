/**
 * Collection tools with real processes: commands run without a shell, in their Directory, one
 * after another, all within one TimeOut; a command that is not a bare absolute path is refused
 * and never run. POSIX only (shell scripts, process groups).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, CollectError, type CollectionPlan } from '../../src-main/collect/collector';
import { tempDir } from '../helpers/temp';

const posix = process.platform !== 'win32';

let root: string;
let remove: () => void;
let tmp: string; // the collector's temp folder: must be empty whenever a test ends
let logs: string;

beforeEach(() => {
  ({ dir: root, remove } = tempDir('er-collect-tools-'));
  tmp = path.join(root, 'tmp');
  logs = path.join(root, 'logs');
  mkdirSync(tmp);
  mkdirSync(logs);
});
afterEach(() => remove());

function script(name: string, body: string): string {
  const p = path.join(root, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

function plan(tools: CollectionPlan['tools'], timeoutSeconds = 10): CollectionPlan {
  return { tools, timeoutSeconds, maxBytes: 0, archiveName: 'log.zip' };
}

function unzip(args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync('unzip', args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout + r.stderr };
}

/** Alive and not a zombie waiting for a parent that does not reap (PID 1 in a container). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !alive(pid);
}

async function waitForFile(p: string, ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (existsSync(p)) {
      const s = readFileSync(p, 'utf8').trim();
      if (s) return s;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${p} never appeared`);
}

describe.runIf(posix)('collection tools', () => {
  it('runs a tool in its Directory, then collects the file it wrote', async () => {
    const work = path.join(root, 'work');
    mkdirSync(work);
    const tool = script('tool.sh', `pwd > "${logs}/tool.log"\necho "collected by the tool" >> "${logs}/tool.log"`);
    const a = await collect(plan([{ name: 'Tool001', command: tool, directory: work, logFiles: [logs] }]), { tempDir: tmp });
    try {
      expect(a.included).toBe(1);
      expect(a.notes).toEqual([]);
      const entry = path.join(logs, 'tool.log').slice(1);
      expect(unzip(['-p', a.path, entry]).stdout).toBe(`${work}\ncollected by the tool\n`);
    } finally {
      await a.dispose();
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("runs in the command's own folder when Directory is empty", async () => {
    const tool = script('here.sh', `pwd > "${logs}/where.log"`);
    const a = await collect(plan([{ command: tool, directory: null, logFiles: [logs] }]), { tempDir: tmp });
    await a.dispose();
    expect(readFileSync(path.join(logs, 'where.log'), 'utf8').trim()).toBe(root);
  });

  it('kills a tool and its child when the TimeOut passes, skips the rest and collects what exists', async () => {
    const pidFile = path.join(root, 'sleep.pid');
    const shPidFile = path.join(root, 'sh.pid');
    const marker = path.join(root, 'second-ran');
    const slow = script(
      'slow.sh',
      `echo "partial output" > "${logs}/slow.log"\necho $$ > "${shPidFile}"\nsleep 100 &\necho $! > "${pidFile}"\nwait`,
    );
    const second = script('second.sh', `touch "${marker}"`);
    const t0 = Date.now();
    const a = await collect(
      plan(
        [
          { name: 'Tool001', command: slow, directory: null, logFiles: [logs] },
          { name: 'Tool002', command: second, directory: null, logFiles: [] },
        ],
        1,
      ),
      { tempDir: tmp },
    );
    const elapsed = Date.now() - t0;
    try {
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(8000);
      const sleepPid = Number(readFileSync(pidFile, 'utf8'));
      const shPid = Number(readFileSync(shPidFile, 'utf8'));
      expect(await waitGone(shPid)).toBe(true);
      expect(await waitGone(sleepPid)).toBe(true);
      expect(existsSync(marker)).toBe(false);
      expect(a.notes.some((n) => n.startsWith(`Tool001 (${slow}) was stopped when the TimeOut of 1 s passed`))).toBe(true);
      expect(a.notes.some((n) => n.startsWith(`Tool002 (${second}) was not run: the TimeOut of 1 s had passed`))).toBe(true);
      expect(a.included).toBe(1);
      expect(unzip(['-p', a.path, path.join(logs, 'slow.log').slice(1)]).stdout).toBe('partial output\n');
    } finally {
      await a.dispose();
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('applies the TimeOut to all the tools together, not to each', async () => {
    // Each tool alone is well within 3 s; together they are not.
    const first = script('first.sh', `sleep 1.5\necho first > "${logs}/first.log"`);
    const secondPid = path.join(root, 'second.pid');
    const second = script('second.sh', `echo $$ > "${secondPid}"\nsleep 2.5\necho second > "${logs}/second.log"`);
    const t0 = Date.now();
    const a = await collect(
      plan(
        [
          { command: first, directory: null, logFiles: [logs] },
          { command: second, directory: null, logFiles: [] },
        ],
        3,
      ),
      { tempDir: tmp },
    );
    const elapsed = Date.now() - t0;
    await a.dispose();
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(3900);
    expect(existsSync(path.join(logs, 'first.log'))).toBe(true);
    expect(existsSync(path.join(logs, 'second.log'))).toBe(false);
    expect(await waitGone(Number(readFileSync(secondPid, 'utf8')))).toBe(true);
    expect(a.notes).toEqual([`tool 2 (${second}) was stopped when the TimeOut of 3 s passed; the collection went on with the files that exist.`]);
  });

  it('TimeOut 0 means no limit', async () => {
    const tool = script('wait.sh', `sleep 1.1\necho done > "${logs}/late.log"`);
    const a = await collect(plan([{ command: tool, directory: null, logFiles: [logs] }], 0), { tempDir: tmp });
    await a.dispose();
    expect(a.included).toBe(1);
    expect(a.notes).toEqual([]);
  });

  it('refuses a Command holding "; rm -rf" and never runs any of it', async () => {
    const victim = path.join(root, 'victim');
    mkdirSync(victim);
    writeFileSync(path.join(victim, 'keep.txt'), 'still here');
    const marker = path.join(root, 'ran');
    const tool = script('tool.sh', `touch "${marker}"`);
    const commands = [
      `${tool}; rm -rf ${victim}`,
      `${tool} && rm -rf ${victim}`,
      `${tool} | rm -rf ${victim}`,
      `${tool} > ${victim}/keep.txt`,
      `/bin/sh -c "rm -rf ${victim}"`,
      `${tool} $(rm -rf ${victim})`,
      `${tool}\nrm -rf ${victim}`,
    ];
    const a = await collect(
      plan(commands.map((command) => ({ command, directory: root, logFiles: [] }))),
      { tempDir: tmp },
    );
    await a.dispose();
    expect(readFileSync(path.join(victim, 'keep.txt'), 'utf8')).toBe('still here');
    expect(existsSync(marker)).toBe(false);
    expect(a.notes).toHaveLength(commands.length);
    for (const note of a.notes) expect(note).toMatch(/was refused and not run: the command holds the shell metacharacter/);
  });

  it('refuses a relative command, a command with arguments and a missing command; the collection goes on', async () => {
    const marker = path.join(root, 'ran');
    const tool = script('tool.sh', `touch "${marker}"`);
    writeFileSync(path.join(logs, 'a.log'), 'a');
    const a = await collect(
      plan([
        { name: 'Tool001', command: 'tool.sh', directory: root, logFiles: [logs] },
        { name: 'Tool002', command: `./tool.sh`, directory: root, logFiles: [] },
        { name: 'Tool003', command: `${tool} --all`, directory: root, logFiles: [] },
        { name: 'Tool004', command: path.join(root, 'missing.sh'), directory: root, logFiles: [] },
        { name: 'Tool005', command: tool, directory: path.join(root, 'no-such-folder'), logFiles: [] },
      ]),
      { tempDir: tmp },
    );
    await a.dispose();
    expect(existsSync(marker)).toBe(false);
    expect(a.included).toBe(1);
    expect(a.notes).toEqual([
      'Tool001 (tool.sh) was refused and not run: the command is not an absolute path.',
      'Tool002 (./tool.sh) was refused and not run: the command is not an absolute path.',
      `Tool003 (${tool} --all) was refused and not run: the command does not exist (a command cannot have arguments; put them in a batch file).`,
      `Tool004 (${path.join(root, 'missing.sh')}) was refused and not run: the command does not exist (a command cannot have arguments; put them in a batch file).`,
      `Tool005 (${tool}) was refused and not run: the Directory ${path.join(root, 'no-such-folder')} does not exist.`,
    ]);
  });

  it('notes a tool that exits with an error and one that is not executable', async () => {
    const failing = script('fail.sh', 'exit 3');
    const plain = path.join(root, 'plain.sh');
    writeFileSync(plain, '#!/bin/sh\n');
    chmodSync(plain, 0o644);
    const a = await collect(
      plan([
        { name: 'Tool001', command: failing, directory: null, logFiles: [] },
        { name: 'Tool002', command: plain, directory: null, logFiles: [] },
      ]),
      { tempDir: tmp },
    );
    await a.dispose();
    expect(a.notes[0]).toBe(`Tool001 (${failing}) exited with code 3.`);
    // root may execute anything with an x bit only; as root access(X_OK) fails for 0644 too.
    expect(a.notes[1]).toMatch(/^Tool002 .* (was refused and not run: the command is not executable|could not be started: .*)\.$/);
  });

  it('a cancel while a tool runs kills it, fails with "aborted" and leaves nothing in the temp folder', async () => {
    const pidFile = path.join(root, 'sleep.pid');
    const tool = script('slow.sh', `sleep 100 &\necho $! > "${pidFile}"\nwait`);
    const ac = new AbortController();
    const pending = collect(plan([{ command: tool, directory: null, logFiles: [logs] }], 0), { tempDir: tmp, signal: ac.signal });
    const sleepPid = Number(await waitForFile(pidFile));
    ac.abort();
    const err = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CollectError);
    expect((err as CollectError).code).toBe('aborted');
    expect(await waitGone(sleepPid)).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('reports tool progress before each command and at the end', async () => {
    const a1 = script('a1.sh', 'true');
    const a2 = script('a2.sh', 'true');
    const seen: string[] = [];
    const a = await collect(
      plan([
        { command: a1, directory: null, logFiles: [] },
        { command: a2, directory: null, logFiles: [] },
      ]),
      { tempDir: tmp, onProgress: (p) => p.phase === 'tools' && seen.push(`${p.done}/${p.total} ${p.detail ?? ''}`) },
    );
    await a.dispose();
    expect(seen).toEqual([`0/2 ${a1}`, `1/2 ${a2}`, '2/2 ']);
  });
});
