/**
 * The serial ports this machine has, for 通報先の設定(シリアルポート経由)'s シリアルポート(S) and
 * `express-report serial-ports`. On Windows SerialPort.list() names them (COM1…). On Linux it
 * asks udevadm, which containers and minimal servers lack (and it does not show every port), so
 * /dev is read as well: ttyS*, ttyUSB* and ttyACM*, the names of the on-board, USB-serial and
 * USB-modem (CDC ACM) ports (docs/formats/dialup.md, /work/shared/RECIPES.md "Modems").
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface SerialPortEntry {
  /** what the channel opens: /dev/ttyS0, COM3 */
  path: string;
  /** the maker, when the system says (SerialPort.list() on Windows, or with udev) */
  manufacturer?: string;
}

/** A port as SerialPort.list() gives it (the fields used here). */
export interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
}

export interface PortListOptions {
  /** process.platform unless told (tests) */
  platform?: NodeJS.Platform;
  /** the device folder read on Linux (tests point it at a folder of their own) */
  devDir?: string;
  /** SerialPort.list() unless told */
  list?: () => Promise<ListedPort[]>;
  /** how long SerialPort.list() may take before /dev alone answers */
  listTimeoutMs?: number;
}

/** ttyS0, ttyUSB1, ttyACM0: the serial devices a modem sits on (not tty0…tty63, the consoles). */
const SERIAL_DEVICE = /^tty(S|USB|ACM)(\d+)$/;
const KIND_ORDER = ['S', 'USB', 'ACM'];

/** Sorts ports as a person reads them: by kind, then by number (ttyS2 before ttyS10; COM2 before COM10). */
function compareNames(a: string, b: string): number {
  const pa = /^(.*?)(\d+)$/.exec(path.basename(a));
  const pb = /^(.*?)(\d+)$/.exec(path.basename(b));
  if (pa && pb && path.dirname(a) === path.dirname(b)) {
    const ka = SERIAL_DEVICE.exec(path.basename(a))?.[1];
    const kb = SERIAL_DEVICE.exec(path.basename(b))?.[1];
    if (ka && kb && ka !== kb) return KIND_ORDER.indexOf(ka) - KIND_ORDER.indexOf(kb);
    if (pa[1] === pb[1]) return Number(pa[2]) - Number(pb[2]);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The serial devices in `devDir` (default /dev) by name alone: ttyS*, ttyUSB*, ttyACM*. Works
 * without udev; a folder that cannot be read gives none.
 */
export async function scanDevFolder(devDir = '/dev'): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(devDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => SERIAL_DEVICE.test(name))
    .map((name) => path.join(devDir, name))
    .sort(compareNames);
}

async function serialPortList(): Promise<ListedPort[]> {
  // loaded when asked: every CLI command would otherwise load the native binding
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

/** SerialPort.list(), or none when it fails (no udevadm) or takes longer than `timeoutMs`. */
async function listedPorts(list: () => Promise<ListedPort[]>, timeoutMs: number): Promise<ListedPort[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ListedPort[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    return await Promise.race([list().catch(() => []), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The machine's serial ports: SerialPort.list() (with the maker where it says), and on Linux
 * every ttyS*, ttyUSB* and ttyACM* in /dev besides; each path once, sorted.
 */
export async function listSerialPorts(options: PortListOptions = {}): Promise<SerialPortEntry[]> {
  const platform = options.platform ?? process.platform;
  const listed = await listedPorts(options.list ?? serialPortList, options.listTimeoutMs ?? 3000);
  const byPath = new Map<string, SerialPortEntry>();
  for (const port of listed) {
    if (typeof port.path !== 'string' || port.path === '') continue;
    const manufacturer = port.manufacturer?.trim();
    byPath.set(port.path, manufacturer ? { path: port.path, manufacturer } : { path: port.path });
  }
  if (platform !== 'win32') {
    for (const device of await scanDevFolder(options.devDir ?? '/dev')) {
      if (!byPath.has(device)) byPath.set(device, { path: device });
    }
  }
  return [...byPath.values()].sort((a, b) => compareNames(a.path, b.path));
}
