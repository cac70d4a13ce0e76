/**
 * The simulator's data dir. Everything later center features need — the CA, each contract's
 * extension secret and the private keys of the S/MIME certificates it issued — is kept here, in
 * 0600 files inside 0700 folders:
 *
 *   DIR/ca/center-ca.pem, center-ca.key.pem
 *   DIR/contracts/<user system code>/contract.json
 *   DIR/contracts/<user system code>/smime-<serial>.pem, smime-<serial>.key.pem
 *   DIR/smime/center-cert.pem, center-key.pem   the center's current S/MIME certificate (the
 *                                               newest issued; made by serve when none exists)
 *   DIR/reports/<id>/, DIR/incoming/            the reports received (reports.ts); every channel
 *                                               publishes one with publishReport below
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { syncDir } from '../../src-main/lib/atomic-file';
import type { StoredReport } from './reports';

export const DEFAULT_DATA_DIR = 'center-data';
export const REPORTS_DIR = 'reports';
export const INCOMING_DIR = 'incoming';
export const REPORT_FILE = 'report.json';

export const contractCertificateSchema = z.object({
  serialNumber: z.string(),
  subject: z.string(),
  notAfter: z.string(),
  fingerprint256: z.string(),
  issuedAt: z.string(),
  /** file names inside the contract's folder */
  certFile: z.string(),
  keyFile: z.string(),
});

export const contractSchema = z.object({
  userSystemCode: z.string(),
  /** the last day of the contract, YYYY-MM-DD, or null for none */
  expiresAt: z.string().nullable(),
  /** base64; the key of the extension-key MAC */
  extensionSecret: z.string(),
  serverName: z.string(),
  customerType: z.enum(['individual', 'corporate']),
  createdAt: z.string(),
  /** the key files issued for this contract, newest last */
  keyFiles: z.array(z.object({ path: z.string(), issuedAt: z.string(), certificateSerial: z.string() })),
  certificates: z.array(contractCertificateSchema),
});
export type Contract = z.infer<typeof contractSchema>;
export type ContractCertificate = z.infer<typeof contractCertificateSchema>;

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class CenterStore {
  readonly dir: string;

  constructor(dir: string = DEFAULT_DATA_DIR) {
    this.dir = path.resolve(dir);
  }

  /** A path inside the data dir; every part must be a plain name (no separators, no `..`). */
  path(...parts: string[]): string {
    for (const part of parts) if (!SAFE_NAME.test(part)) throw new Error(`not a safe file name in the center data dir: ${JSON.stringify(part)}`);
    return path.join(this.dir, ...parts);
  }

  /** Reads a file, or null when it does not exist. */
  async readText(...parts: string[]): Promise<string | null> {
    try {
      return await fsp.readFile(this.path(...parts), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Writes a 0600 file atomically (temp file, fsync, rename), creating 0700 folders. */
  async writePrivate(parts: string[], data: string | Uint8Array): Promise<string> {
    const target = this.path(...parts);
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeSynced(temp, data);
    await fsp.rename(temp, target);
    await fsp.chmod(target, 0o600);
    return target;
  }

  contractPath(userSystemCode: string, file = 'contract.json'): string {
    return this.path('contracts', userSystemCode, file);
  }

  async loadContract(userSystemCode: string): Promise<Contract | null> {
    const text = await this.readText('contracts', userSystemCode, 'contract.json');
    return text === null ? null : contractSchema.parse(JSON.parse(text));
  }

  async saveContract(contract: Contract): Promise<string> {
    return this.writePrivate(['contracts', contract.userSystemCode, 'contract.json'], `${JSON.stringify(contractSchema.parse(contract), null, 2)}\n`);
  }

  async listContracts(): Promise<string[]> {
    try {
      return (await fsp.readdir(this.path('contracts'))).filter((n) => SAFE_NAME.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** The PEM private key of one of the contract's S/MIME certificates. */
  async loadCertificateKey(userSystemCode: string, serialNumber: string): Promise<string | null> {
    const contract = await this.loadContract(userSystemCode);
    const cert = contract?.certificates.find((c) => c.serialNumber.toLowerCase() === serialNumber.toLowerCase());
    return cert ? this.readText('contracts', userSystemCode, cert.keyFile) : null;
  }
}

/** Writes a 0600 file and fsyncs it; by default the file must not exist yet. */
export async function writeSynced(file: string, data: string | Uint8Array, flag: 'wx' | 'w' | 'a' = 'wx'): Promise<void> {
  const handle = await fsp.open(file, flag, 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The folder of a report in the data dir (ids are compared in lower case). */
export function reportDir(store: CenterStore, id: string): string {
  return store.path(REPORTS_DIR, id.toLowerCase());
}

/** Whether a report with this id is stored already (its report.json is there). */
export async function isReportStored(store: CenterStore, id: string): Promise<boolean> {
  return fsp.access(path.join(reportDir(store, id), REPORT_FILE)).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `fill` with a new folder under incoming/ (`prefix` names the channel: r- https, m- mail,
 * d- dialup) and removes the folder afterwards, whatever happened — unless publishReport renamed
 * it away first.
 */
export async function inIncomingFolder<T>(store: CenterStore, prefix: string, fill: (temp: string) => Promise<T>): Promise<T> {
  const incoming = store.path(INCOMING_DIR);
  await fsp.mkdir(incoming, { recursive: true, mode: 0o700 });
  const temp = await fsp.mkdtemp(path.join(incoming, prefix));
  try {
    return await fill(temp);
  } finally {
    await fsp.rm(temp, { recursive: true, force: true });
  }
}

/**
 * Publishes a report whose attachments are written (fsynced) in `temp`: writes its report.json
 * there, fsyncs the folder and renames it to reports/<id> — the report appears whole or not at
 * all. `duplicate` when a report with that id got there first (by another connection, or by
 * another channel); `dir` is the stored folder either way.
 */
export async function publishReport(store: CenterStore, temp: string, stored: StoredReport): Promise<{ duplicate: boolean; dir: string }> {
  const dir = reportDir(store, stored.envelope.id);
  await writeSynced(path.join(temp, REPORT_FILE), `${JSON.stringify(stored, null, 2)}\n`);
  await syncDir(temp);
  const reports = store.path(REPORTS_DIR);
  await fsp.mkdir(reports, { recursive: true, mode: 0o700 });
  try {
    await fsp.rename(temp, dir);
    await syncDir(reports);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return { duplicate: true, dir };
    throw err;
  }
  return { duplicate: false, dir };
}
