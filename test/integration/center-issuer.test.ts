import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileError, readKeyFile } from '../../src-main/opening/keyfile';
import { contractSchema } from '../center/store';
import { tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'express-center.cjs');
const tmp = tempDir('er-center-');
const dataDir = path.join(tmp.dir, 'center-data');

function center(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const printed = (stdout: string, label: string): string => {
  const m = new RegExp(`^${label}: (.+)$`, 'm').exec(stdout);
  if (!m) throw new Error(`no "${label}:" line in ${stdout}`);
  return m[1]!;
};

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'center.cjs'))) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  }
});
afterAll(() => tmp.remove());

describe('express-center issue-key-file', () => {
  it('writes a key file the product reads, and keeps the contract and the private key', async () => {
    const out = path.join(tmp.dir, 'keys', 'web01.ini');
    const r = center([
      'issue-key-file', '--out', out, '--data-dir', dataDir, '--server-name', 'WEB01', '--encoding', 'utf8',
      '--expires', '2099-12-31', '--user-system-code', 'U2024-0001', '--customer-type', 'individual',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(printed(r.stdout, 'key-file')).toBe(out);
    expect(printed(r.stdout, 'user-system-code')).toBe('U2024-0001');
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const key = await readKeyFile(out);
    expect(key.userSystemCode).toBe('U2024-0001');
    expect(key.expiresAt).toBe('2099-12-31');
    expect(key.device.serverName).toBe('WEB01');
    expect(key.customer).toMatchObject({ type: 'individual', nameKana: 'ﾆﾁﾃﾞﾝ ﾀﾛｳ', nameKanji: '日電 太郎', department: '', contactKanji: '' });

    // The data dir: the contract (0600) with the same secret, and the certificate's private key.
    const contractFile = printed(r.stdout, 'contract');
    expect(contractFile).toBe(path.join(dataDir, 'contracts', 'U2024-0001', 'contract.json'));
    expect(statSync(contractFile).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const contract = contractSchema.parse(JSON.parse(readFileSync(contractFile, 'utf8')));
    expect(contract).toMatchObject({ userSystemCode: 'U2024-0001', expiresAt: '2099-12-31', extensionSecret: key.extensionSecret, serverName: 'WEB01', customerType: 'individual' });
    expect(contract.certificates).toHaveLength(1);
    const cert = new X509Certificate(key.centerCertificatePem);
    expect(contract.certificates[0]!.serialNumber).toBe(cert.serialNumber);
    const keyFile = path.join(dataDir, 'contracts', 'U2024-0001', contract.certificates[0]!.keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const privateKey = createPrivateKey(readFileSync(keyFile));
    // What the product encrypts to the key file's certificate, the center can decrypt.
    const sealed = publicEncrypt(cert.publicKey, Buffer.from('report'));
    expect(privateDecrypt(privateKey, sealed).toString()).toBe('report');
    expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).toEqual(cert.publicKey.export({ type: 'spki', format: 'der' }));
    // Signed by the center's CA, for e-mail protection.
    const ca = new X509Certificate(readFileSync(path.join(dataDir, 'ca', 'center-ca.pem')));
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.4');
  });

  it('defaults to Shift_JIS with CRLF and the seed sample; issuing again for a contract keeps its secret', async () => {
    const first = center(['issue-key-file', '--out', path.join(tmp.dir, 'a.ini'), '--data-dir', dataDir]);
    expect(first.status, first.stderr).toBe(0);
    const code = printed(first.stdout, 'user-system-code');
    const file = printed(first.stdout, 'key-file');
    const bytes = readFileSync(file);
    expect(bytes.includes(iconv.encode('日電 太郎', 'cp932'))).toBe(true);
    expect(bytes.includes('\r\n')).toBe(true);
    const a = await readKeyFile(file);
    expect(a.device).toEqual({ serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999', comment: '' });
    expect(a.customer).toMatchObject({ type: 'corporate', postalCode: '0123456', addressKana: 'ﾄｳｷｮｳﾄﾌﾁｭｳｼ', addressKanji: '東京都府中市', phone: '0123-45-6789', email: 'aaa@bbb.co.jp' });
    expect(a.dealer.name).toBe('NEC');
    expect(a.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const again = center(['issue-key-file', '--out', path.join(tmp.dir, 'b.ini'), '--data-dir', dataDir, '--user-system-code', code]);
    expect(again.status, again.stderr).toBe(0);
    const b = await readKeyFile(printed(again.stdout, 'key-file'));
    expect(b.extensionSecret).toBe(a.extensionSecret);
    // A fresh S/MIME certificate for every opening (seed), both kept for decryption.
    expect(b.centerCertificatePem).not.toBe(a.centerCertificatePem);
    const contract = contractSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'contracts', code, 'contract.json'), 'utf8')));
    expect(contract.certificates).toHaveLength(2);
    expect(contract.keyFiles.map((k) => k.path)).toEqual([path.join(tmp.dir, 'a.ini'), path.join(tmp.dir, 'b.ini')]);
    // A different contract gets its own secret.
    const other = center(['issue-key-file', '--out', path.join(tmp.dir, 'c.ini'), '--data-dir', dataDir]);
    expect((await readKeyFile(printed(other.stdout, 'key-file'))).extensionSecret).not.toBe(a.extensionSecret);
  });

  it('can issue expired contracts and certificates for tests; the reader refuses them', async () => {
    const expiredContract = center(['issue-key-file', '--out', path.join(tmp.dir, 'old.ini'), '--data-dir', dataDir, '--expires', '2001-03-31']);
    expect(expiredContract.status, expiredContract.stderr).toBe(0);
    await expect(readKeyFile(path.join(tmp.dir, 'old.ini'))).rejects.toThrow(/\[Contract\] ExpiresAt 2001-03-31: the contract has expired/);
    const expiredCert = center(['issue-key-file', '--out', path.join(tmp.dir, 'stale.ini'), '--data-dir', dataDir, '--cert-days=-2']);
    expect(expiredCert.status, expiredCert.stderr).toBe(0);
    const err = await readKeyFile(path.join(tmp.dir, 'stale.ini')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    expect((err as KeyFileError).reason).toMatch(/^stale\.ini line \d+: \[Certificate\] the center certificate expired on /);
  });

  it('refuses bad usage with exit status 2', () => {
    for (const args of [
      ['issue-key-file'],
      ['issue-key-file', '--out', 'x.ini', '--encoding', 'latin1'],
      ['issue-key-file', '--out', 'x.ini', '--expires', '2025-13-01'],
      ['issue-key-file', '--out', 'x.ini', '--customer-type', 'company'],
      ['issue-key-file', '--out', 'x.ini', '--user-system-code', 'OPFILELESS'],
      ['issue-key-file', '--out', 'x.ini', '--bogus'],
      ['no-such-command'],
    ]) {
      const r = center(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).not.toBe('');
    }
    expect(existsSync(path.join(tmp.dir, 'x.ini'))).toBe(false);
    const help = center(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('issue-key-file --out FILE');
  });
});
