/**
 * What a manager keeps in `<data dir>/relay/` (each file its owner's only, 0600): its TLS
 * certificate and private key, made the first time a manager method listens (self-signed, RSA
 * 2048, SHA-256, ten years; an administrator may put a CA-issued pair in their place), and the
 * relay key agents prove. Written atomically: a crash leaves the old file or the new one.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { writeFileAtomic } from '../../lib/atomic-file';
import { newRelayKey } from './auth';

export const RELAY_DIR = 'relay';
const CERT_FILE = 'manager-cert.pem';
const KEY_FILE = 'manager-key.pem';
const RELAY_KEY_FILE = 'relay-key';

export interface ManagerIdentity {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate's DER, `AB:CD:…` */
  fingerprint: string;
  notAfter: string;
}

export function relayDir(dataDir: string): string {
  return path.join(dataDir, RELAY_DIR);
}

/** The SHA-256 fingerprint of a certificate as shown everywhere (`AB:CD:…`, 32 pairs). */
export function fingerprintOf(certPem: string | Buffer): string {
  return new X509Certificate(certPem).fingerprint256.toUpperCase();
}

/** A self-signed certificate for the manager, named after the host. */
export function makeManagerCertificate(hostName = os.hostname()): { certPem: string; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial number of 16 random bytes.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + 3650 * 24 * 3600_000);
  const cn = (hostName || 'manager').slice(0, 60);
  const attrs = [
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: 'Express Report manager' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: cn }, { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The manager's certificate and key, made now when there are none (both manager methods may ask at once). */
export function managerIdentity(dataDir: string, log?: (line: string) => void): Promise<ManagerIdentity> {
  return oneAtATime(dataDir, () => identityNow(dataDir, log));
}

async function identityNow(dataDir: string, log?: (line: string) => void): Promise<ManagerIdentity> {
  const dir = relayDir(dataDir);
  let certPem = await readText(path.join(dir, CERT_FILE));
  let keyPem = await readText(path.join(dir, KEY_FILE));
  if (certPem === null || keyPem === null) {
    const made = makeManagerCertificate();
    // The key first: a certificate on disk always has its key beside it.
    await writeFileAtomic(path.join(dir, KEY_FILE), made.keyPem, 0o600);
    await writeFileAtomic(path.join(dir, CERT_FILE), made.certPem, 0o600);
    certPem = made.certPem;
    keyPem = made.keyPem;
    log?.(`relay: made the manager's certificate ${fingerprintOf(certPem)} in ${dir}`);
  }
  const x509 = new X509Certificate(certPem);
  return { certPem, keyPem, fingerprint: x509.fingerprint256.toUpperCase(), notAfter: new Date(x509.validTo).toISOString() };
}

/** The certificate's fingerprint if the manager has one, else null (nothing is made). */
export async function existingFingerprint(dataDir: string): Promise<string | null> {
  const pem = await readText(path.join(relayDir(dataDir), CERT_FILE));
  try {
    return pem ? fingerprintOf(pem) : null;
  } catch {
    return null;
  }
}

/** one making of a key (or a certificate) at a time per data folder: two first uses must not make two */
const making = new Map<string, Promise<unknown>>();

function oneAtATime<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const before = making.get(dataDir) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(work);
  making.set(dataDir, next);
  void next.finally(() => {
    if (making.get(dataDir) === next) making.delete(dataDir);
  }).catch(() => undefined);
  return next;
}

/** The manager's relay key; made on first use, or anew when `renew`. */
export function managerRelayKey(dataDir: string, renew = false): Promise<string> {
  return oneAtATime(dataDir, () => relayKeyNow(dataDir, renew));
}

async function relayKeyNow(dataDir: string, renew: boolean): Promise<string> {
  const file = path.join(relayDir(dataDir), RELAY_KEY_FILE);
  const stored = renew ? null : (await readText(file))?.trim();
  if (stored) return stored;
  const key = newRelayKey();
  await writeFileAtomic(file, `${key}\n`, 0o600);
  return key;
}
