/**
 * Item 12: a collection Command that others than its owner and root could rewrite is not run (as
 * sshd refuses such key files): real scripts, real folders and modes, the real tool runner, and
 * `inf check` naming the refusal on the tool's line.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { infCommand } from '../../src-main/cli/inf-command';
import { runTools } from '../../src-main/collect/tools';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-trust-');
afterAll(() => tmp.remove());
let n = 0;

/** A folder (mode `dirMode`) holding a script (mode `mode`) that leaves a marker when it runs. */
function script(mode: number, dirMode = 0o755): { command: string; marker: string; dir: string } {
  const dir = path.join(tmp.dir, `case-${++n}`);
  mkdirSync(dir);
  const marker = path.join(tmp.dir, `ran-${n}`);
  const command = path.join(dir, 'collect.sh');
  writeFileSync(command, `#!/bin/sh\necho ran > '${marker}'\n`);
  chmodSync(command, mode);
  chmodSync(dir, dirMode);
  return { command, marker, dir };
}

async function run(command: string): Promise<string[]> {
  return runTools([{ name: 'Tool001', command, directory: null, logFiles: [] }], { timeoutSeconds: 10 });
}

async function infCheck(lang: string, file: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await infCommand(['check', file], { stdout: (s) => (stdout += s), stderr: () => undefined, env: { LANG: lang } });
  return { code, stdout };
}

describe.runIf(process.platform !== 'win32')('a collection Command others could rewrite is not run', () => {
  it('a trusted Command (0755 in a 0755 folder, under the sticky /tmp) runs', async () => {
    const t = script(0o755);
    expect(await run(t.command)).toEqual([]);
    expect(existsSync(t.marker)).toBe(true);
  });

  it('a world-writable Command is refused with the reason and does not run', async () => {
    const t = script(0o757);
    const notes = await run(t.command);
    expect(existsSync(t.marker)).toBe(false);
    expect(notes).toEqual([`Tool001 (${t.command}) was refused and not run: ${t.command} can be rewritten by users other than its owner and root (mode 0757); let only its owner and root write to it.`]);
  });

  it('a group-writable Command is refused too', async () => {
    const t = script(0o775);
    expect((await run(t.command)).join('\n')).toMatch(/mode 0775/);
    expect(existsSync(t.marker)).toBe(false);
  });

  it('a Command in a folder anyone can write to (no sticky bit) is refused, naming the folder', async () => {
    const t = script(0o755, 0o777);
    const notes = await run(t.command);
    expect(existsSync(t.marker)).toBe(false);
    expect(notes.join('\n')).toContain(`${t.dir} can be rewritten by users other than its owner and root (mode 0777)`);
  });

  it('a sticky world-writable folder owned by root or the service user is allowed (like /tmp)', async () => {
    const t = script(0o755, 0o1777);
    expect(await run(t.command)).toEqual([]);
    expect(existsSync(t.marker)).toBe(true);
  });

  it('a link to a Command in a writable folder is refused: the real path is checked', async () => {
    const t = script(0o755, 0o777);
    const safe = path.join(tmp.dir, `safe-${n}`);
    mkdirSync(safe, { mode: 0o755 });
    const link = path.join(safe, 'collect.sh');
    symlinkSync(t.command, link);
    const notes = await run(link);
    expect(existsSync(t.marker)).toBe(false);
    expect(notes.join('\n')).toContain(`${t.dir} can be rewritten`);
  });

  it.runIf(process.getuid?.() === 0)('a Command owned by another user is refused (only root or the service user may own it)', async () => {
    const t = script(0o755);
    chownSync(t.command, 65534, 65534);
    const notes = await run(t.command);
    expect(existsSync(t.marker)).toBe(false);
    expect(notes.join('\n')).toContain(`${t.command} is owned by UID 65534, which is neither root nor the user this service runs as`);
  });

  it('inf check names the refused Command on its section line, in English and Japanese, exit 1', async () => {
    const t = script(0o757);
    const file = path.join(tmp.dir, 'AMHTPLOG.INF');
    writeFileSync(file, `[Configuration]\nTimeOut=60\nMaxSize=0\n\n[Tool001]\nSourceName01=disk\nEventID01=*\nCommand=${t.command}\nLogFile=/var/log/x.log\n`);
    const en = await infCheck('en_US.UTF-8', file);
    expect(en.code).toBe(1);
    expect(en.stdout).toContain(`${file}:5: error: the Command in [Tool001] is not run: ${t.command} can be rewritten by users other than its owner and root (mode 0757)`);
    const ja = await infCheck('ja_JP.UTF-8', file);
    expect(ja.code).toBe(1);
    expect(ja.stdout).toContain(`${file}:5: エラー: [Tool001] の Command は実行しません: ${t.command} は所有者と root 以外のユーザーも書き換えられます(パーミッション 0757)`);
    expect(existsSync(t.marker)).toBe(false);
  });
});
