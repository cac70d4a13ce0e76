import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runFile } from '../lib/child-process';

/** 装置コード and 製造番号 as read from the machine's firmware tables. */
export interface DeviceIdentity {
  deviceCode: string;
  serialNumber: string;
  source: 'dmi' | 'smbios';
}

export interface DeviceInfoOptions {
  platform?: NodeJS.Platform;
  /** Linux: the DMI folder (tests point it at a fixture); EXPRESS_REPORT_DMI_DIR overrides the default */
  dmiDir?: string;
  /** Windows: runs PowerShell and returns its stdout (tests give recorded output) */
  runPowerShell?: (script: string) => Promise<string>;
}

/** NEC device codes look like N8100-2xxxY; the product name carries them in brackets. */
const DEVICE_CODE = /\b(N\d{4}-[0-9A-Za-z]+)\b/;
/** Values firmware writes when nobody filled the field in. */
const PLACEHOLDER = /^(|0+|none|n\/a|not specified|not applicable|default string|to be filled by o\.e\.m\.|system serial number|system product name|0123456789|unknown)$/i;

function usable(value: string | undefined): string | null {
  const v = (value ?? '').replace(/\0/g, '').trim();
  return PLACEHOLDER.test(v) ? null : v;
}

/** Picks the device code and serial number out of the firmware's product fields. */
export function identityFrom(fields: { name?: string; sku?: string; serial?: string }, source: DeviceIdentity['source']): DeviceIdentity | null {
  const code = DEVICE_CODE.exec(`${fields.name ?? ''} ${fields.sku ?? ''}`)?.[1];
  const serial = usable(fields.serial);
  return code && serial ? { deviceCode: code, serialNumber: serial, source } : null;
}

async function readDmi(dir: string): Promise<DeviceIdentity | null> {
  const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8').catch(() => undefined);
  const [name, sku, serial] = await Promise.all([read('product_name'), read('product_sku'), read('product_serial')]);
  return identityFrom({ name, sku, serial }, 'dmi');
}

const CIM_SCRIPT =
  'Get-CimInstance -ClassName Win32_ComputerSystemProduct | Select-Object Name,IdentifyingNumber,SKUNumber | ConvertTo-Json -Compress';

/** Parses `Get-CimInstance Win32_ComputerSystemProduct | ConvertTo-Json` output. */
export function identityFromCim(json: string): DeviceIdentity | null {
  try {
    const raw = JSON.parse(json) as unknown;
    const item = (Array.isArray(raw) ? raw[0] : raw) as { Name?: unknown; IdentifyingNumber?: unknown; SKUNumber?: unknown } | undefined;
    if (!item || typeof item !== 'object') return null;
    const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return identityFrom({ name: s(item.Name), sku: s(item.SKUNumber), serial: s(item.IdentifyingNumber) }, 'smbios');
  } catch {
    return null;
  }
}

async function powershell(script: string): Promise<string> {
  const run = await runFile('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { timeoutMs: 20_000 });
  if (run.code !== 0) throw new Error(run.stderr || `powershell.exe exited with code ${run.code}`);
  return run.stdout;
}

/**
 * Reads the device code and serial number (Linux: DMI under /sys/class/dmi/id; Windows: SMBIOS
 * through CIM). Null when they cannot be read — the wizard then asks for them (装置の固有情報の入力).
 */
export async function readDeviceIdentity(options: DeviceInfoOptions = {}): Promise<DeviceIdentity | null> {
  const platform = options.platform ?? process.platform;
  try {
    if (platform === 'win32') return identityFromCim(await (options.runPowerShell ?? powershell)(CIM_SCRIPT));
    return await readDmi(options.dmiDir ?? process.env.EXPRESS_REPORT_DMI_DIR ?? '/sys/class/dmi/id');
  } catch {
    return null;
  }
}

/** The OS host name as the opening registers it: the first label, as the OS reports it. */
export function osHostName(env: NodeJS.ProcessEnv = process.env): string {
  return (env.EXPRESS_REPORT_HOSTNAME || os.hostname()).split('.')[0]!;
}
