/**
 * サーバー管理ポート / マネージメントポート: the call goes through the server's BMC, whose own modem
 * port dials. This version reaches a BMC only through the Linux IPMI driver's device; where none
 * is there it says so plainly, naming what it looked for (docs/formats/dialup.md "BMC routes").
 */
import { promises as fsp } from 'node:fs';

/** the IPMI devices of the Linux ipmi_devintf driver, in the order looked for */
export const IPMI_DEVICES = ['/dev/ipmi0', '/dev/ipmi/0', '/dev/ipmidev/0'];

export type BmcProbe = { found: true; device: string } | { found: false; lookedFor: readonly string[] };

/** Looks for a reachable BMC (the first IPMI device that exists). */
export async function probeBmc(devices: readonly string[] = IPMI_DEVICES): Promise<BmcProbe> {
  for (const device of devices) {
    try {
      await fsp.access(device);
      return { found: true, device };
    } catch {
      // next one
    }
  }
  return { found: false, lookedFor: devices };
}
