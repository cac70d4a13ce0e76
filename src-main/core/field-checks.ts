import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { destinationUrlProblem } from '../inf';

/**
 * Rules for settings that the schema alone cannot express, applied to `settings:set` exactly as
 * to the window's fields. Each returns why the value is refused (English), or null.
 */
const URL_KEY = /^methods\.(express-https|manager-express-https)\.url[12]$/;
const CA_KEY = /^methods\.(express-https|manager-express-https)\.caFile$/;

function caFileProblem(file: string): string | null {
  if (!path.isAbsolute(file)) return 'give the absolute path of a PEM file of CA certificates';
  try {
    if (statSync(file).size > 1024 * 1024) return 'is larger than 1 MB: not a CA file';
    const text = readFileSync(file, 'utf8');
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text);
    if (!pem) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
    new X509Certificate(pem[0]);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission)' : `is not a certificate file (${(err as Error).message})`;
  }
}

export function fieldProblem(key: string, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (URL_KEY.test(key)) {
    const problem = destinationUrlProblem(value);
    return problem && `the URL ${problem}`;
  }
  if (CA_KEY.test(key)) {
    const problem = caFileProblem(value);
    return problem && `${value} ${problem}`;
  }
  return null;
}
