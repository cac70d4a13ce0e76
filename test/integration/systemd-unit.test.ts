/**
 * The shipped systemd unit (docs/operations.md) runs what it says: its ExecStart — with the
 * installed binary and data folder swapped for this build's and a temp folder — starts the
 * service, and its KillSignal stops it within TimeoutStopSec. systemd itself does not run in
 * these containers, so the unit's lines are read and carried out the way systemd would.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const UNIT = path.join(ROOT, 'assets', 'systemd', 'express-report.service');
const tmp = tempDir('er-systemd-');
afterAll(() => tmp.remove());

/** `[Section]` → key → values, as systemd reads a unit (comments and blank lines skipped). */
function readUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 0) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe('assets/systemd/express-report.service (systemd cannot run here: its lines are carried out by the test)', () => {
  const unit = readUnit(readFileSync(UNIT, 'utf8'));
  const service = unit.get('Service')!;
  const one = (key: string) => service.get(key)?.[0] ?? '';

  it('is a simple service of its own user, restarted on failure, installed for multi-user', () => {
    expect(one('Type')).toBe('simple');
    expect(one('User')).toBe('express-report');
    expect(one('SupplementaryGroups')).toContain('systemd-journal');
    expect(one('Restart')).toBe('on-failure');
    expect(one('StateDirectory')).toBe('express-report');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('ExecStart starts the service; KillSignal stops it within TimeoutStopSec', async () => {
    const [binary, ...args] = one('ExecStart').split(/\s+/);
    expect(binary).toBe('/usr/bin/express-report');
    const dataIndex = args.indexOf('--data-dir');
    expect(args[dataIndex + 1]).toBe('/var/lib/express-report');
    const dataDir = path.join(tmp.dir, 'state');
    args[dataIndex + 1] = dataDir;
    const portIndex = args.indexOf('--port');
    expect(args[portIndex + 1]).toBe('31140');
    args[portIndex + 1] = '0'; // the fixed port may be taken on a shared machine
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: '/nonexistent' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    expect(first).toMatch(/^url: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    // Let the background start (the journal source finds no journalctl here and says so once).
    for (let i = 0; i < 100 && !/journal/.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toMatch(/journal/i);
    const signal = one('KillSignal') as NodeJS.Signals;
    const limitMs = Number(one('TimeoutStopSec')) * 1000;
    const t0 = Date.now();
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(limitMs);
  });
});
