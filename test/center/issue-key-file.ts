/**
 * `express-center issue-key-file`: makes an opening key file (docs/formats/keyfile.md) with the
 * seed's sample customer, a fresh S/MIME certificate from the center CA and the contract's
 * extension secret, and records the contract and the certificate's private key in the data dir;
 * the new certificate also becomes the center's current one (smime/center-cert.pem, -key.pem).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { KeyFileContent } from '../../src-main/opening/keyfile';
import { writeKeyFile } from '../../src-main/opening/keyfile-writer';
import { issueSmimeCertificate, loadOrCreateCenterCa } from './certs';
import { saveCenterSmime } from './mail-smime';
import { CenterStore, type Contract } from './store';

export interface IssueKeyFileOptions {
  out: string;
  dataDir: string;
  serverName?: string;
  encoding?: 'utf8' | 'sjis';
  bom?: boolean;
  eol?: '\r\n' | '\n';
  /** the contract's last day (YYYY-MM-DD); null for none; default one year from today */
  expires?: string | null;
  userSystemCode?: string;
  customerType?: 'individual' | 'corporate';
  /** validity of the S/MIME certificate from now; ≤ 0 makes an already expired one */
  certDays?: number;
  mail?: string;
  httpsUrls?: string[];
  phones?: string[];
  now?: Date;
}

export interface IssuedKeyFile {
  file: string;
  userSystemCode: string;
  expiresAt: string | null;
  contractFile: string;
  certificateSerial: string;
  content: KeyFileContent;
}

const DAY = 24 * 60 * 60 * 1000;
export const USER_SYSTEM_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

export const SAMPLE_DESTINATIONS = {
  mail: 'express-center@center.example.jp',
  httpsUrls: ['https://center.example.jp/express/report', 'https://center-backup.example.jp/express/report'],
  phones: ['03-0000-0001', '03-0000-0002'],
};

/** The seed's sample opening (manual 3.3): 日電 太郎 of 東京都府中市, SERVER001, dealer NEC. */
export function sampleOpening(serverName: string, customerType: 'individual' | 'corporate'): Pick<KeyFileContent, 'customer' | 'device' | 'options' | 'dealer'> {
  const corporate = customerType === 'corporate';
  return {
    customer: {
      type: customerType,
      nameKana: 'ﾆﾁﾃﾞﾝ ﾀﾛｳ',
      nameKanji: '日電 太郎',
      department: corporate ? '総務' : '',
      postalCode: '0123456',
      addressKana: 'ﾄｳｷｮｳﾄﾌﾁｭｳｼ',
      addressKanji: '東京都府中市',
      addressDetail: '',
      phone: '0123-45-6789',
      email: 'aaa@bbb.co.jp',
      contactKana: corporate ? 'ﾆﾁﾃﾞﾝ ﾊﾅｺ' : '',
      contactKanji: corporate ? '日電 花子' : '',
    },
    device: { serverName, deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999', comment: '' },
    options: [],
    dealer: { name: 'NEC', salesDepartment: '', salesName: '', salesPhone: '', seDepartment: '', seName: '', sePhone: '' },
  };
}

/** YYYY-MM-DD of a date on this machine. */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function defaultExpiry(now: Date): string {
  const end = new Date(now.getFullYear() + 1, now.getMonth(), now.getDate() - 1);
  return localIsoDate(end);
}

export async function issueKeyFile(options: IssueKeyFileOptions): Promise<IssuedKeyFile> {
  const now = options.now ?? new Date();
  const store = new CenterStore(options.dataDir);
  const customerType = options.customerType ?? 'corporate';
  const serverName = options.serverName ?? 'SERVER001';
  const userSystemCode = options.userSystemCode ?? `U${String(randomInt(0, 1e9)).padStart(9, '0')}`;
  if (!USER_SYSTEM_CODE.test(userSystemCode) || userSystemCode.toUpperCase() === 'OPFILELESS') {
    throw new Error(`not a user system code: ${userSystemCode} (letters, digits and '-', at most 64)`);
  }
  const existing = await store.loadContract(userSystemCode);
  const expiresAt = options.expires !== undefined ? options.expires : (existing?.expiresAt ?? defaultExpiry(now));
  // One secret per contract: a key file issued again for the same contract keeps it.
  const extensionSecret = existing?.extensionSecret ?? randomBytes(32).toString('base64');
  const mail = options.mail ?? SAMPLE_DESTINATIONS.mail;

  const certDays = options.certDays ?? 398;
  const notAfter = new Date(now.getTime() + certDays * DAY);
  const notBefore = new Date(Math.min(now.getTime() - 60 * 60 * 1000, notAfter.getTime() - DAY));
  const ca = await loadOrCreateCenterCa(store);
  const cert = issueSmimeCertificate(ca, { email: mail, notBefore, notAfter });

  const https = options.httpsUrls ?? SAMPLE_DESTINATIONS.httpsUrls;
  const phones = options.phones ?? SAMPLE_DESTINATIONS.phones;
  const content: KeyFileContent = {
    userSystemCode,
    expiresAt,
    extensionSecret,
    ...sampleOpening(serverName, customerType),
    destinations: {
      mail,
      httpsPrimary: https[0] ?? '',
      httpsSecondary: https[1] ?? '',
      phonePrimary: phones[0] ?? '',
      phoneSecondary: phones[1] ?? '',
    },
    centerCertificatePem: cert.certPem,
  };
  const bytes = writeKeyFile(content, { encoding: options.encoding ?? 'sjis', bom: options.bom ?? false, eol: options.eol ?? '\r\n' });

  const file = path.resolve(options.out);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  // The file carries the contract's extension secret: readable by its owner only.
  await fsp.writeFile(file, bytes, { mode: 0o600 });

  const issuedAt = now.toISOString();
  const certFile = `smime-${cert.serialNumber}.pem`;
  const keyFile = `smime-${cert.serialNumber}.key.pem`;
  await store.writePrivate(['contracts', userSystemCode, keyFile], cert.keyPem);
  await store.writePrivate(['contracts', userSystemCode, certFile], cert.certPem);
  // The newest certificate is the center's current one (smime/); the mail receiver keeps every
  // issued key in its ring, so servers opened with an older key file still reach it.
  await saveCenterSmime(store, cert);
  const contract: Contract = {
    userSystemCode,
    expiresAt,
    extensionSecret,
    serverName,
    customerType,
    createdAt: existing?.createdAt ?? issuedAt,
    keyFiles: [...(existing?.keyFiles ?? []), { path: file, issuedAt, certificateSerial: cert.serialNumber }],
    certificates: [
      ...(existing?.certificates ?? []),
      { serialNumber: cert.serialNumber, subject: cert.subject, notAfter: cert.notAfter, fingerprint256: cert.fingerprint256, issuedAt, certFile, keyFile },
    ],
  };
  const contractFile = await store.saveContract(contract);
  return { file, userSystemCode, expiresAt, contractFile, certificateSerial: cert.serialNumber, content };
}
