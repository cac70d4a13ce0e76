import { buildSync } from 'esbuild';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';

const built = new Set<string>();

/**
 * Bundles `entry` into `outfile` from the current sources once per test process (the options of
 * scripts/build.mjs for a Node entry), so a stale bundle never runs. Written to a temp file and
 * renamed, so that a test in another worker never starts a half-written bundle.
 */
export function bundleOnce(entry: string, outfile: string): string {
  if (built.has(outfile)) return outfile;
  mkdirSync(path.dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  buildSync({ entryPoints: [entry], outfile: temp, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' });
  renameSync(temp, outfile);
  built.add(outfile);
  return outfile;
}
