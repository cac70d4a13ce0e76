/**
 * Item 14: the definition-file reader reads only regular files, never more than its limit, and
 * nothing it is given can hang it (a real `express-report inf check` process, a real FIFO).
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DEFINITION_FILE_BYTES, readDefinitionFile, renderDiagnostic } from '../../src-main/inf';
import { tempDir } from '../helpers/temp';

const BIN = path.resolve(__dirname, '../../bin/express-report.cjs');
const tmp = tempDir('er-readers-limits-');
afterAll(() => tmp.remove());

/** Runs the CLI; SIGKILLs it after `ms` (then `killed` is true). */
function cli(args: string[], ms = 10_000): Promise<{ code: number | null; stdout: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, killed });
    });
  });
}

function fifo(name: string): string {
  const file = path.join(tmp.dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

describe('the definition-file reader has limits', () => {
  it('inf check /dev/zero is refused at once as not a regular file (it used to read forever)', async () => {
    const r = await cli(['inf', 'check', '--kind', 'log', '/dev/zero']);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\/dev\/zero:1: error: cannot read the file: it is not a regular file/m);
  }, 20_000);

  it('a FIFO as AMHTPLOG.INF does not hang the reader (a fault report reads it) and is named as not a regular file', async () => {
    const file = fifo('AMHTPLOG.INF');
    const started = Date.now();
    const result = await Promise.race([
      readDefinitionFile('log', file),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000).unref()),
    ]);
    expect(result).not.toBe('hung');
    if (result === 'hung') return;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.line, d.code])).toEqual([[1, 'inf.file.notRegular']]);
    expect(renderDiagnostic(result.diagnostics[0]!, 'ja')).toContain('通常のファイルではありません');
  });

  it('inf check on a FIFO ends with the error (the process is not stuck in open)', async () => {
    const r = await cli(['inf', 'check', fifo('AMHTPHBI.INF')]);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/AMHTPHBI\.INF:1: error: cannot read the file: it is not a regular file/);
  }, 20_000);

  it('a regular file over the limit is refused with its size; one at the limit is read', async () => {
    const big = path.join(tmp.dir, 'big-AMHTPADR.INF');
    writeFileSync(big, Buffer.alloc(MAX_DEFINITION_FILE_BYTES + 1, 0x20));
    const over = await readDefinitionFile('adr', big);
    expect(over.diagnostics.map((d) => d.code)).toEqual(['inf.file.tooLarge']);
    expect(over.diagnostics[0]!.message).toContain(String(MAX_DEFINITION_FILE_BYTES + 1));
    const edge = path.join(tmp.dir, 'edge-AMHTPADR.INF');
    writeFileSync(edge, Buffer.alloc(MAX_DEFINITION_FILE_BYTES, 0x20));
    const at = await readDefinitionFile('adr', edge);
    expect(at.diagnostics.map((d) => d.code)).not.toContain('inf.file.tooLarge');
  });
});
