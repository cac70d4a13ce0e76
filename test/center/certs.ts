/**
 * The maintenance-center simulator's certificates: its own CA and the S/MIME certificates it
 * issues per opening (the seed: a fresh S/MIME certificate for every opening). RSA keys come from
 * node:crypto (native, fast) and are handed to node-forge, which builds and signs the X.509.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { CenterStore } from './store';

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface IssuedCertificate extends PemPair {
  serialNumber: string;
  subject: string;
  notAfter: string;
  fingerprint256: string;
}

const DAY = 24 * 60 * 60 * 1000;

/** A fresh RSA key pair as node-forge keys, plus the private key as PKCS#8 PEM. */
export function generateRsaKeys(bits = 2048): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey,
    privateKeyPem,
  };
}

/** A positive serial number of 16 random bytes, as hex. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes.toString('hex');
}

/** A certificate for a fresh key pair, with a random serial and its validity: to be named and signed. */
function newCertificate(notBefore: Date, notAfter: Date) {
  const keys = generateRsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  return { keys, cert };
}

/** Signs a certificate by the center CA: its issuer, the extensions with the CA's key identifier. */
function signByCa(cert: forge.pki.Certificate, ca: PemPair, extensions: object[]): void {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([...extensions, { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() }]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
}

/** Creates the center's self-signed CA. */
export function createCenterCa(now = new Date()): PemPair {
  const { keys, cert } = newCertificate(new Date(now.getTime() - DAY), new Date(now.getTime() + 10 * 365 * DAY));
  const name = [
    { name: 'commonName', value: 'Express Report Center Simulator CA' },
    { name: 'organizationName', value: 'Express Report contributors' },
    { name: 'countryName', value: 'JP' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** The center CA kept in the data dir, created on first use. */
export async function loadOrCreateCenterCa(store: CenterStore): Promise<PemPair> {
  const certPem = await store.readText('ca', 'center-ca.pem');
  const keyPem = await store.readText('ca', 'center-ca.key.pem');
  if (certPem && keyPem) return { certPem, keyPem };
  const ca = createCenterCa();
  await store.writePrivate(['ca', 'center-ca.key.pem'], ca.keyPem);
  await store.writePrivate(['ca', 'center-ca.pem'], ca.certPem);
  return ca;
}

export interface SmimeOptions {
  /** the center's mail address the certificate is for */
  email: string;
  commonName?: string;
  notBefore: Date;
  notAfter: Date;
}

/** Issues an S/MIME (emailProtection) certificate signed by the center CA. */
export function issueSmimeCertificate(ca: PemPair, options: SmimeOptions): IssuedCertificate {
  const { keys, cert } = newCertificate(options.notBefore, options.notAfter);
  cert.setSubject([
    { name: 'commonName', value: options.commonName ?? 'Express Report Maintenance Center' },
    { name: 'organizationName', value: 'Express Report contributors' },
    { name: 'countryName', value: 'JP' },
    { name: 'emailAddress', value: options.email },
  ]);
  signByCa(cert, ca, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectAltName', altNames: [{ type: 1, value: options.email }] },
    { name: 'subjectKeyIdentifier' },
  ]);
  const certPem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certPem);
  return {
    certPem,
    keyPem: keys.privateKeyPem,
    serialNumber: x509.serialNumber,
    subject: x509.subject.split('\n').join(', '),
    notAfter: new Date(x509.validTo).toISOString(),
    fingerprint256: x509.fingerprint256,
  };
}

/** Whether a host name is an IPv4 or IPv6 address (which go into the certificate as IP SANs). */
function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * Issues a TLS server certificate (serverAuth) for the given host names and IP addresses, signed
 * by the center CA — what the simulator's HTTPS receiver presents.
 */
export function issueServerCertificate(ca: PemPair, hosts: readonly string[], now = new Date()): PemPair {
  if (hosts.length === 0) throw new Error('a server certificate needs at least one host name or address');
  const { keys, cert } = newCertificate(new Date(now.getTime() - DAY), new Date(now.getTime() + 90 * DAY));
  cert.setSubject([
    { name: 'commonName', value: hosts[0]! },
    { name: 'organizationName', value: 'Express Report contributors' },
    { name: 'countryName', value: 'JP' },
  ]);
  signByCa(cert, ca, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIpAddress(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'subjectKeyIdentifier' },
  ]);
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}
