/**
 * Express Report by dial-up from the command line (the built `express-report`, after
 * `npm run build`): the keys of docs/cli.md set with `config set`, `test --method express
 * --destination 1|2`, `opening-report --method express`, against the real `express-center
 * modem` on a socat pty pair, with the product's own default times (guard 1 s) and lock folder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { startModemCenter, type ModemCenter } from '../helpers/modem-center';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
let modem: ModemCenter;

beforeEach(async () => {
  tmp = tempDir();
  modem = await startModemCenter();
});
afterEach(async () => {
  await modem.stop();
  tmp.remove();
});

const run = (...args: string[]) => cli([...args, '--data-dir', tmp.dir], { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' });

describe('express-report and Express Report by dial-up', () => {
  it('config set the dial-up keys, test to 1 and 2, opening report: the center lists them with channel dialup', async () => {
    expect(run('open', '--key-code', '01239', '--result-mail', 'result@example.jp', '--device-code', 'N8100-1234', '--serial', 'SN1', '--warranty', 'W1').status).toBe(0);
    for (const [key, value] of [
      ['methods.express.route', 'dialup'],
      ['methods.express.dialup.serialPort', modem.port],
      ['methods.express.dialup.primary.number', '0,03-1234-5678'],
      ['methods.express.dialup.secondary.number', '03-8765-4321'],
      ['methods.express.dialup.dialMode', 'pulse'],
      ['methods.express.dialup.dialIntervalSeconds', '1'],
      ['methods.express.dialup.initString', 'AT&F E0 V1 X4 &D2'],
      ['methods.express.dialup.baudRate', '57600'],
    ]) {
      const set = run('config', 'set', key!, value!);
      expect(set.stderr).toBe('');
      expect(set.status).toBe(0);
    }
    const first = run('test', '--method', 'express', '--destination', '1');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('0,03-1234-5678');
    const second = run('test', '--method', 'express', '--destination', '2');
    expect(second.status).toBe(0);
    const opening = run('opening-report', '--method', 'express');
    expect(opening.stderr).toBe('');
    expect(opening.status).toBe(0);
    // the modem's output waited in the pipe while the CLI ran (spawnSync): let it be read
    await modem.waitFor(/^command: ATDP0,03-1234-5678$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(modem.lines().filter((l) => l.startsWith('command: AT&F') || l.startsWith('command: ATD'))).toEqual([
      'command: AT&F E0 V1 X4 &D2',
      'command: ATDP0,03-1234-5678',
      'command: AT&F E0 V1 X4 &D2',
      'command: ATDP03-8765-4321',
      'command: AT&F E0 V1 X4 &D2',
      'command: ATDP0,03-1234-5678',
    ]);
    expect(modem.reports().map((r) => [r.kind, r.channel])).toEqual([
      ['test', 'dialup'],
      ['test', 'dialup'],
      ['opening', 'dialup'],
    ]);
  });
});
