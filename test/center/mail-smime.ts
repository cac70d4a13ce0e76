/**
 * The center's S/MIME side (docs/formats/mail.md "The center's side"): its certificate and private
 * key, and the decryption of the report mail's enveloped data.
 *
 * The seed asks for a new S/MIME certificate per opening (L1650), so `issue-key-file` makes a
 * fresh certificate for every key file (kept in contracts/<code>/smime-<serial>.pem and .key.pem)
 * and writes the newest one to smime/center-cert.pem and smime/center-key.pem. The receiver keeps
 * every key the center ever issued in its key ring and picks the one the message is enveloped to
 * by the recipient's issuer and serial number, so a server opened with an older key file still
 * reaches the center. Decryption uses node-forge (pkcs7.messageFromAsn1 + decrypt: RSA PKCS#1
 * v1.5 key transport; AES-128/192/256-CBC or 3DES content) in-process — no external tool.
 */
import forge from 'node-forge';
import { issueSmimeCertificate, loadOrCreateCenterCa, type IssuedCertificate } from './certs';
import type { CenterStore } from './store';

export const SMIME_DIR = 'smime';
export const SMIME_CERT_FILE = 'center-cert.pem';
export const SMIME_KEY_FILE = 'center-key.pem';
/** the center's address in a certificate made without a key file */
export const DEFAULT_CENTER_MAIL = 'express-center@center.example.jp';

const DAY = 24 * 60 * 60 * 1000;

/** Writes a certificate as the center's current one (the key first, so a reader never pairs a new cert with an old key). */
export async function saveCenterSmime(store: CenterStore, cert: { certPem: string; keyPem: string }): Promise<void> {
  await store.writePrivate([SMIME_DIR, SMIME_KEY_FILE], cert.keyPem);
  await store.writePrivate([SMIME_DIR, SMIME_CERT_FILE], cert.certPem);
}

/** The center's current S/MIME certificate and key, made (398 days, from the center CA) when first needed. */
export async function loadOrCreateCenterSmime(store: CenterStore, email = DEFAULT_CENTER_MAIL): Promise<{ certPem: string; keyPem: string; created: boolean }> {
  const certPem = await store.readText(SMIME_DIR, SMIME_CERT_FILE);
  const keyPem = await store.readText(SMIME_DIR, SMIME_KEY_FILE);
  if (certPem && keyPem) return { certPem, keyPem, created: false };
  const ca = await loadOrCreateCenterCa(store);
  const now = Date.now();
  const issued: IssuedCertificate = issueSmimeCertificate(ca, { email, notBefore: new Date(now - 60 * 60 * 1000), notAfter: new Date(now + 398 * DAY) });
  await saveCenterSmime(store, issued);
  return { certPem: issued.certPem, keyPem: issued.keyPem, created: true };
}

interface RingEntry {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  /** where it came from, for the log */
  source: string;
}

/** A refusal of the S/MIME body, with its reason. */
export class SmimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmimeError';
  }
}

/** Every certificate and key the center holds: smime/ and each contract's certificates. */
export class SmimeKeyRing {
  private entries: RingEntry[] = [];

  constructor(private readonly store: CenterStore) {}

  get size(): number {
    return this.entries.length;
  }

  /** (Re)reads the keys from the data dir. A damaged file is skipped, not fatal. */
  async load(): Promise<void> {
    const found: RingEntry[] = [];
    const seen = new Set<string>();
    const add = (certPem: string | null, keyPem: string | null, source: string) => {
      if (!certPem || !keyPem) return;
      try {
        const cert = forge.pki.certificateFromPem(certPem);
        const id = `${cert.serialNumber.toLowerCase()}|${forge.pki.getPublicKeyFingerprint(cert.publicKey, { encoding: 'hex' })}`;
        if (seen.has(id)) return;
        seen.add(id);
        found.push({ cert, key: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, source });
      } catch {
        // not a certificate and RSA key we can use; the receiver says so when a message needs it
      }
    };
    add(await this.store.readText(SMIME_DIR, SMIME_CERT_FILE), await this.store.readText(SMIME_DIR, SMIME_KEY_FILE), `${SMIME_DIR}/${SMIME_CERT_FILE}`);
    for (const code of await this.store.listContracts()) {
      let contract;
      try {
        contract = await this.store.loadContract(code);
      } catch {
        continue;
      }
      for (const c of [...(contract?.certificates ?? [])].reverse()) {
        add(await this.store.readText('contracts', code, c.certFile), await this.store.readText('contracts', code, c.keyFile), `contracts/${code}/${c.certFile}`);
      }
    }
    this.entries = found;
  }

  private find(p7: forge.pkcs7.PkcsEnvelopedData): { entry: RingEntry; recipient: forge.pkcs7.Recipient } | null {
    for (const entry of this.entries) {
      const recipient = p7.findRecipient(entry.cert);
      if (recipient) return { entry, recipient };
    }
    return null;
  }

  /**
   * Decrypts a DER PKCS#7/CMS EnvelopedData to the inner MIME entity. A recipient not in the
   * ring makes it re-read the data dir once (a key file issued while the center runs).
   */
  async decrypt(der: Buffer): Promise<{ content: Buffer; source: string }> {
    let p7: forge.pkcs7.PkcsEnvelopedData;
    try {
      const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
      const message = forge.pkcs7.messageFromAsn1(asn1) as forge.pkcs7.PkcsEnvelopedData & { type?: string };
      if (message.type !== forge.pki.oids.envelopedData) throw new Error('not enveloped-data');
      p7 = message;
    } catch (err) {
      throw new SmimeError(`the S/MIME body is not PKCS#7 enveloped-data (${(err as Error).message})`);
    }
    let match = this.find(p7);
    if (!match) {
      await this.load();
      match = this.find(p7);
    }
    if (!match) {
      const wanted = p7.recipients.map((r) => r.serialNumber).join(', ') || 'none';
      throw new SmimeError(`the S/MIME body is not encrypted to a certificate of this center (recipient serial ${wanted})`);
    }
    try {
      p7.decrypt(match.recipient, match.entry.key);
    } catch (err) {
      throw new SmimeError(`the S/MIME body could not be decrypted (${(err as Error).message})`);
    }
    const content = p7.content;
    if (content === undefined || content === null) throw new SmimeError('the S/MIME body could not be decrypted (no content)');
    const bytes = typeof content === 'string' ? content : content.getBytes();
    return { content: Buffer.from(bytes, 'binary'), source: match.entry.source };
  }
}
