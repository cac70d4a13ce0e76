/**
 * Item 17 of issue 9: `express-report history | head -1` — a reader that closes the pipe early
 * ends the command quietly (no EPIPE stack trace), as in every Unix tool. The real built CLI;
 * the test closes its end of the stdout pipe before the command writes anything.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-pipe-');
afterAll(() => tmp.remove());

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

it.each([
  ['config get', ['config', 'get']],
  ['history --json', ['history', '--json']],
  ['--help', ['--help']],
])('a closed stdout pipe ends `%s` quietly: exit 0, nothing on stderr', async (_name, args) => {
  const r = await runWithClosedStdout([...args, '--data-dir', path.join(tmp.dir, 'data')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
