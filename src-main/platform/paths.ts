import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the settings live. The window and the headless service use the same folder, so the
 * CLI, `serve` and Electron see the same settings. EXPRESS_REPORT_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.EXPRESS_REPORT_DATA_DIR) return path.resolve(env.EXPRESS_REPORT_DATA_DIR);
  if (platform === 'win32') return path.join(env.ProgramData ?? 'C:\\ProgramData', 'ExpressReport');
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/lib/express-report';
  const config = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(config, 'express-report');
}

/**
 * Creates the data folder — and any parent it needs — for its owner only (0700: it holds the
 * settings, the key of their passwords and the report queue). A folder that exists is left as
 * the administrator made it.
 */
export async function ensureDataDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
}
