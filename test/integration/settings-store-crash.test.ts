import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src-main/core/settings-store';
import { tempDir } from '../helpers/temp';

const ROUNDS = 15;
const tmp = tempDir('er-crash-');
afterAll(() => tmp.remove());

/** Starts the writer child and kills it with SIGKILL `delayMs` after it is ready. */
function killWriterAfter(file: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../helpers/store-writer.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.once('error', reject);
    child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited by itself (${signal})`))));
  });
}

describe('settings store under SIGKILL (a crash in the middle of a write)', () => {
  it(`leaves the old or the new file, never a broken one (${ROUNDS} kills at random moments)`, async () => {
    const file = path.join(tmp.dir, 'settings.json');
    let lastGeneration = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await killWriterAfter(file, 20 + Math.floor(Math.random() * 150));
      const text = await fs.readFile(file, 'utf8');
      const parsed = JSON.parse(text) as { methods: { express: { mail: { smtpHost: string } } }; padding: string };
      expect(parsed.padding).toHaveLength(200_000);
      const generation = Number(parsed.methods.express.mail.smtpHost.replace('gen-', ''));
      expect(generation).toBeGreaterThan(0);
      lastGeneration = generation;
      // Loading cleans up the temporary file the killed writer left and finds nothing corrupt.
      const loaded = await new SettingsStore(file).load();
      expect(loaded.corrupt).toBeNull();
      expect((await fs.readdir(tmp.dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
    }
    expect(lastGeneration).toBeGreaterThan(0);
  }, 120_000);
});
