/**
 * Packaging with electron-builder, offline: the config in electron-builder.yml is validated by
 * electron-builder's own schema (an unknown key is refused, the real config is accepted), and a
 * Linux `--dir` build against a stand-in Electron distribution (an `electron` file and an empty
 * `resources/`, since the real binary cannot be downloaded here) produces an app.asar holding
 * the built app. Needs `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage, extractFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');

interface Outcome {
  code: number;
  output: string;
}

/** Runs the electron-builder CLI (no shell) in the project directory. */
function electronBuilder(args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const env = { ...process.env, CI: '1', ELECTRON_BUILDER_CACHE: path.join(tmp, 'cache') };
    execFile(
      process.execPath,
      [CLI, '--projectDir', ROOT, ...args],
      { cwd: ROOT, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** Script and module-preload files referenced by the built index.html (relative to dist/renderer). */
function rendererScripts(): string[] {
  const html = readFileSync(path.join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g),
  ].map((m) => m[1]!.replace(/^\.\//, ''));
  return [...new Set(refs)];
}

let tmp: string;

beforeAll(() => {
  for (const file of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`run \`npm run build\` first: ${file} is missing`);
  }
  tmp = mkdtempSync(path.join(os.tmpdir(), 'er-packaging-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('electron-builder packaging (offline, stand-in Electron dist)', () => {
  it('validates the config: an unknown key is refused with "unknown property"', async () => {
    const { code, output } = await electronBuilder(
      ['--linux', '--dir', '-c.bogusKey=1', `-c.directories.output=${path.join(tmp, 'bogus')}`],
      60_000,
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/unknown property 'bogusKey'/);
    expect(existsSync(path.join(tmp, 'bogus', 'linux-unpacked'))).toBe(false);
  }, 90_000);

  it('builds linux-unpacked with app.asar holding main, preload, renderer and package.json — and no sources', async () => {
    const electronDist = path.join(tmp, 'electron-dist');
    mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
    writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho stand-in electron\n');
    chmodSync(path.join(electronDist, 'electron'), 0o755);
    const out = path.join(tmp, 'release');

    const { code, output } = await electronBuilder(
      ['--linux', '--dir', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${out}`],
      170_000,
    );
    expect(output).not.toMatch(/unknown property|Invalid configuration/);
    expect(code, output.slice(-3000)).toBe(0);

    // The real config was loaded (not the defaults): the executable is named by it.
    const unpacked = path.join(out, 'linux-unpacked');
    expect(statSync(path.join(unpacked, 'express-report-service')).isFile()).toBe(true);

    const asar = path.join(unpacked, 'resources', 'app.asar');
    const files = listPackage(asar, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    const has = (f: string) => files.includes(`/${f}`);
    for (const f of ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
      expect(has(f), f).toBe(true);
    }
    const scripts = rendererScripts();
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(has(`dist/renderer/${s}`), s).toBe(true);

    // The backend's run-time dependencies come along; sources, tests and the bundled UI libraries do not.
    expect(has('node_modules/zod/package.json')).toBe(true);
    expect(files.some((f) => /^\/(src-main|src-shared|src-renderer|test|bench|scripts|docs)\//.test(f))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/@fluentui/') || f.startsWith('/node_modules/react-dom/'))).toBe(false);
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('/node_modules/'))).toBe(false);

    // The packaged package.json starts the Electron main bundle.
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
  }, 180_000);
});
