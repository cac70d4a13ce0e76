/**
 * `express-center issue-extension-key`: makes an extension key (期限延長キー,
 * docs/formats/extension-key.md) for a contract the center issued a key file for, as the center
 * does when a contract is renewed. It reads the contract's extension secret from the data dir,
 * moves the contract's last day there and records the key with its serial:
 *
 *   DIR/contracts/<user system code>/contract.json         expiresAt: the new last day
 *   DIR/contracts/<user system code>/extension-keys.json   every key issued, serial 1, 2, …
 */
import { z } from 'zod';
import { encodeExtensionKey, EXTENSION_KEY_MAX_SERIAL, isIsoDate } from '../../src-main/contract/extension-key';
import { localIsoDate, USER_SYSTEM_CODE } from './issue-key-file';
import { CenterStore } from './store';

export const EXTENSION_KEYS_FILE = 'extension-keys.json';

export const issuedExtensionKeySchema = z.object({
  serial: z.number().int(),
  expiresAt: z.string(),
  /** the contract's last day before this key */
  previousExpiresAt: z.string().nullable(),
  issuedAt: z.string(),
  key: z.string(),
});
export const extensionKeysSchema = z.object({ keys: z.array(issuedExtensionKeySchema) });
export type IssuedExtensionKeyRecord = z.infer<typeof issuedExtensionKeySchema>;

export interface IssueExtensionKeyOptions {
  dataDir: string;
  userSystemCode: string;
  /** the contract's new last day, YYYY-MM-DD */
  expires: string;
  now?: Date;
}

export interface IssuedExtensionKey {
  key: string;
  userSystemCode: string;
  expiresAt: string;
  serial: number;
  previousExpiresAt: string | null;
  contractFile: string;
  keysFile: string;
}

/** The keys issued so far for a contract, oldest first. */
export async function loadExtensionKeys(store: CenterStore, userSystemCode: string): Promise<IssuedExtensionKeyRecord[]> {
  const text = await store.readText('contracts', userSystemCode, EXTENSION_KEYS_FILE);
  return text === null ? [] : extensionKeysSchema.parse(JSON.parse(text)).keys;
}

export async function issueExtensionKey(options: IssueExtensionKeyOptions): Promise<IssuedExtensionKey> {
  const now = options.now ?? new Date();
  const { userSystemCode, expires } = options;
  if (!USER_SYSTEM_CODE.test(userSystemCode) || userSystemCode.toUpperCase() === 'OPFILELESS') {
    throw new Error(`not a user system code: ${userSystemCode} (letters, digits and '-', at most 64)`);
  }
  if (!isIsoDate(expires)) throw new Error(`not a date (YYYY-MM-DD): ${expires}`);
  const today = localIsoDate(now);
  if (expires < today) throw new Error(`${expires} is already past (today is ${today}); the product would refuse the key`);

  const store = new CenterStore(options.dataDir);
  const contract = await store.loadContract(userSystemCode);
  if (!contract) {
    throw new Error(
      `unknown contract ${userSystemCode}: no ${store.contractPath(userSystemCode)} ` +
        `(issue a key file first: express-center issue-key-file --data-dir ${store.dir} --user-system-code ${userSystemCode} --out FILE)`,
    );
  }
  const issued = await loadExtensionKeys(store, userSystemCode);
  const serial = issued.reduce((max, k) => Math.max(max, k.serial), 0) + 1;
  if (serial > EXTENSION_KEY_MAX_SERIAL) throw new Error(`contract ${userSystemCode} has used up its ${EXTENSION_KEY_MAX_SERIAL} extension key serials`);
  const key = encodeExtensionKey({ userSystemCode, expiresAt: expires, serial }, contract.extensionSecret);

  const record: IssuedExtensionKeyRecord = { serial, expiresAt: expires, previousExpiresAt: contract.expiresAt, issuedAt: now.toISOString(), key };
  const keysFile = await store.writePrivate(
    ['contracts', userSystemCode, EXTENSION_KEYS_FILE],
    `${JSON.stringify(extensionKeysSchema.parse({ keys: [...issued, record] }), null, 2)}\n`,
  );
  const contractFile = await store.saveContract({ ...contract, expiresAt: expires });
  return { key, userSystemCode, expiresAt: expires, serial, previousExpiresAt: contract.expiresAt, contractFile, keysFile };
}
