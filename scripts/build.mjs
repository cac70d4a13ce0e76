// Builds everything `npm start`, the CLI, Electron and the tests use:
//   dist/renderer/          the window (Vite)
//   dist/cli.cjs            the express-report command
//   dist/launcher.cjs       npm start: Electron, or browser mode when Electron is missing
//   dist/electron/*.cjs     Electron main and the sandboxed preload (+ tray.png)
import { build as esbuild } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { build as vite } from 'vite';

const started = Date.now();
await vite({ configFile: 'vite.config.mts', logLevel: 'warn' });

const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' };
const entries = [
  { entryPoints: ['src-main/cli/main.ts'], outfile: 'dist/cli.cjs', ...node },
  { entryPoints: ['src-main/launcher.ts'], outfile: 'dist/launcher.cjs', ...node },
  { entryPoints: ['test/center/cli.ts'], outfile: 'dist/center.cjs', ...node },
  { entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/electron/main.cjs', ...node },
  // A sandboxed preload may require only 'electron': bundle everything else into it.
  { entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs', bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'warning' },
];
await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => esbuild(e)));
// The tray icon Electron main loads beside itself.
mkdirSync('dist/electron', { recursive: true });
copyFileSync('assets/icon.png', 'dist/electron/tray.png');
console.log(`build: done in ${Date.now() - started} ms`);
