/** Per test: a fresh folder for the UUCP locks, and the modem center the test started, stopped after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ModemCenter } from './modem-center';

export interface ModemRig {
  lockDir: string;
  modem: ModemCenter | null;
}

export function modemRig(): ModemRig {
  const rig: ModemRig = { lockDir: '', modem: null };
  beforeEach(() => {
    rig.lockDir = mkdtempSync(path.join(os.tmpdir(), 'er-lock-'));
  });
  afterEach(async () => {
    await rig.modem?.stop();
    rig.modem = null;
    rmSync(rig.lockDir, { recursive: true, force: true });
  });
  return rig;
}
