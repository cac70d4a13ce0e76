/**
 * S/MIME for the report mail (docs/formats/mail.md): the whole MIME entity enveloped to the
 * center's certificate from the key file — CMS EnvelopedData, RSA PKCS#1 v1.5 key transport,
 * AES-256-CBC content encryption (node-forge), which both `openssl cms -decrypt` and
 * `openssl smime -decrypt` read. A certificate that is missing, unreadable, not yet valid or
 * expired is refused with that reason before anything is sent.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export type CertificateProblem =
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'expired'; notAfter: string }
  | { kind: 'not-yet-valid'; notBefore: string }
  | { kind: 'no-rsa' };

/** Why the center certificate cannot be used at `now`, or null. */
export function certificateProblem(pem: string, now: Date): CertificateProblem | null {
  if (!pem.trim()) return { kind: 'missing' };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch (err) {
    return { kind: 'unreadable', reason: err instanceof Error ? err.message : String(err) };
  }
  const notAfter = new Date(x509.validTo);
  const notBefore = new Date(x509.validFrom);
  if (now.getTime() > notAfter.getTime()) return { kind: 'expired', notAfter: notAfter.toISOString() };
  if (now.getTime() < notBefore.getTime()) return { kind: 'not-yet-valid', notBefore: notBefore.toISOString() };
  if (x509.publicKey.asymmetricKeyType !== 'rsa') return { kind: 'no-rsa' };
  return null;
}

/** The problem in one line of English, for a delivery's detail. */
export function certificateProblemText(problem: CertificateProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'S/MIME is on but the opening holds no center certificate (a key-file opening carries it)';
    case 'unreadable':
      return `the center's S/MIME certificate cannot be read (${problem.reason})`;
    case 'expired':
      return `the center's S/MIME certificate expired on ${problem.notAfter}`;
    case 'not-yet-valid':
      return `the center's S/MIME certificate is not valid before ${problem.notBefore}`;
    case 'no-rsa':
      return "the center's S/MIME certificate does not hold an RSA key";
  }
}

/** The DER of a CMS EnvelopedData of `content` (the inner entity's bytes) to the certificate. */
export function envelopeTo(certificatePem: string, content: Buffer): Buffer {
  const cert = forge.pki.certificateFromPem(certificatePem);
  const p7 = forge.pkcs7.createEnvelopedData();
  p7.addRecipient(cert);
  p7.content = forge.util.createBuffer(content.toString('binary'));
  p7.encrypt(undefined, forge.pki.oids['aes256-CBC']);
  const der = forge.asn1.toDer(p7.toAsn1()).getBytes();
  return Buffer.from(der, 'binary');
}
