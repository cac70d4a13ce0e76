import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../lib/atomic-file';
import { ensureDataDir } from './paths';

/**
 * Encrypts the passwords in the settings file (AES-256-GCM). The key lives beside the settings
 * in `secret.key`, readable by its owner only (0600): a copied settings file alone reveals no
 * password. In Electron the key can further be wrapped with safeStorage (a later step).
 */
export interface SecretCodec {
  encrypt(plain: string): string;
  /** the plain text, or null when the value cannot be decrypted with this key */
  decrypt(stored: string): string | null;
}

const PREFIX = 'enc:v1:';

export function isEncrypted(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function codecFromKey(key: Buffer): SecretCodec {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      if (!isEncrypted(stored)) return stored;
      try {
        const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

/** Loads the data dir's key, creating it (0600) on first use. */
export async function loadSecretCodec(dataDir: string): Promise<SecretCodec> {
  // The first thing the service reads: the data folder is made here when it is new (0700).
  await ensureDataDir(dataDir);
  const file = path.join(dataDir, 'secret.key');
  try {
    const key = Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
    if (key.length === 32) return codecFromKey(key);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  await writeFileAtomic(file, key.toString('base64') + '\n', 0o600);
  return codecFromKey(key);
}

/** Applies `fn` to every non-empty secret (keys matching `secretKey`) of a JSON tree, returning a copy. */
export function mapSecrets<T>(value: T, secretKey: RegExp, fn: (v: string, path: string) => string): T {
  const walk = (node: unknown, at: string): unknown => {
    if (Array.isArray(node)) return node.map((v, i) => walk(v, `${at}.${i}`));
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => {
          const p = at ? `${at}.${k}` : k;
          return [k, secretKey.test(k) && typeof v === 'string' && v !== '' ? fn(v, p) : walk(v, p)];
        }),
      );
    }
    return node;
  };
  return walk(value, '') as T;
}
