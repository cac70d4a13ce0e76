/**
 * The serial-port listing of 通報先の設定(シリアルポート経由) and `express-report serial-ports`
 * (issue 12): SerialPort.list() where it works, and on Linux /dev read by name, so a machine
 * without udev (this container has no udevadm) still lists its ports. The /dev scan is tested on
 * an injected folder of plain files named like devices (not device nodes: a name is all the scan
 * reads); the real call runs on this machine's /dev, through the service and the built CLI.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome } from '../../src-shared/api';
import { listSerialPorts, scanDevFolder } from '../../src-main/channels/dialup/ports';
import { AlertService } from '../../src-main/core/alert-service';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('er-ports-');
});
afterEach(() => tmp.remove());

/** the ttyS*, ttyUSB*, ttyACM* names this machine's /dev really holds */
const realDevices = () =>
  readdirSync('/dev')
    .filter((name) => /^tty(S|USB|ACM)\d+$/.test(name))
    .map((name) => `/dev/${name}`);

function fakeDevFolder(names: string[]): string {
  for (const name of names) writeFileSync(path.join(tmp.dir, name), '');
  return tmp.dir;
}

describe('the /dev scan (an injected folder of plain files named like devices, not real device nodes)', () => {
  it('lists ttyS*, ttyUSB* and ttyACM* only, by kind and then by number', async () => {
    const dir = fakeDevFolder(['ttyS10', 'ttyS0', 'ttyS2', 'ttyUSB1', 'ttyACM0', 'tty0', 'tty12', 'ttyprintk', 'console', 'ttyS', 'ttySX1', 'ttyUSB', 'ttyAMA0', 'pts', 'null', 'xttyS1', 'ttyS1.bak']);
    expect(await scanDevFolder(dir)).toEqual(['ttyS0', 'ttyS2', 'ttyS10', 'ttyUSB1', 'ttyACM0'].map((n) => path.join(dir, n)));
  });

  it('a folder that cannot be read lists nothing rather than failing', async () => {
    expect(await scanDevFolder(path.join(tmp.dir, 'no-such-dev'))).toEqual([]);
  });
});

describe('listSerialPorts', () => {
  it('on Linux without udev (SerialPort.list() rejects as with udevadm missing) the /dev scan answers', async () => {
    const dir = fakeDevFolder(['ttyS0', 'ttyUSB0', 'tty1']);
    const ports = await listSerialPorts({ platform: 'linux', devDir: dir, list: () => Promise.reject(new Error('spawn udevadm ENOENT')) });
    expect(ports).toEqual([{ path: path.join(dir, 'ttyS0') }, { path: path.join(dir, 'ttyUSB0') }]);
  });

  it('a SerialPort.list() that never answers does not hold the list up past its time limit', async () => {
    const dir = fakeDevFolder(['ttyACM3']);
    const started = Date.now();
    const ports = await listSerialPorts({ platform: 'linux', devDir: dir, list: () => new Promise(() => undefined), listTimeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ports).toEqual([{ path: path.join(dir, 'ttyACM3') }]);
  });

  it('keeps the maker SerialPort.list() gives and names each port once (a stand-in list: no udev here)', async () => {
    const dir = fakeDevFolder(['ttyS0', 'ttyUSB0']);
    const usb = path.join(dir, 'ttyUSB0');
    const ports = await listSerialPorts({ platform: 'linux', devDir: dir, list: async () => [{ path: usb, manufacturer: ' FTDI ' }] });
    expect(ports).toEqual([{ path: path.join(dir, 'ttyS0') }, { path: usb, manufacturer: 'FTDI' }]);
  });

  it('on Windows lists what SerialPort.list() gives, COM2 before COM10, and reads no /dev (a stand-in list: no Windows here)', async () => {
    const dir = fakeDevFolder(['ttyS0']);
    const ports = await listSerialPorts({
      platform: 'win32',
      devDir: dir,
      list: async () => [{ path: 'COM10' }, { path: 'COM2', manufacturer: 'Microsoft' }, { path: 'COM1', manufacturer: '(標準ポート)' }],
    });
    expect(ports).toEqual([{ path: 'COM1', manufacturer: '(標準ポート)' }, { path: 'COM2', manufacturer: 'Microsoft' }, { path: 'COM10' }]);
  });

  it('the real call on this machine returns at least what /dev/ttyS*, ttyUSB*, ttyACM* hold', async () => {
    const paths = (await listSerialPorts()).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(realDevices()));
  });
});

describe('dialup:ports and express-report serial-ports', () => {
  it('the service answers dialup:ports with this machine’s ports', async () => {
    const service = await AlertService.open({ dataDir: tmp.dir, osLocale: 'en_US.UTF-8' });
    try {
      const out = (await service.call('dialup:ports', {})) as CallOutcome<ApiMethod>;
      if (!out.ok) throw new Error(out.error.message);
      const paths = (out.result as { ports: { path: string }[] }).ports.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(realDevices()));
    } finally {
      await service.close();
    }
  });

  it('serial-ports prints one port a line, and --json the list', () => {
    const text = cli(['serial-ports', '--data-dir', tmp.dir]);
    expect(text.status).toBe(0);
    const lines = text.stdout.split('\n').filter((l) => l !== '');
    expect(lines.map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(realDevices()));
    const json = cli(['serial-ports', '--json', '--data-dir', tmp.dir]);
    expect(json.status).toBe(0);
    const ports = JSON.parse(json.stdout) as { path: string; manufacturer?: string }[];
    expect(ports.map((p) => p.path)).toEqual(lines.map((l) => l.split('\t')[0]));
  });
});
