import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExtensionKey } from '../../src-main/contract/extension-key';
import { extend, isReporting, localIsoDate, serviceStatus, terminate } from '../../src-main/contract/service-life';
import { readKeyFile } from '../../src-main/opening/keyfile';
import { defaultSettings, openingSchema, type Settings } from '../../src-shared/settings';
import { extensionKeysSchema } from '../center/issue-extension-key';
import { contractSchema } from '../center/store';
import { CENTER_BIN, ensureCenterBuilt } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-extkey-');
const dataDir = path.join(tmp.dir, 'center-data');
const CODE = 'U2024-0100';
const OTHER = 'U2024-0200';

function center(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CENTER_BIN, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const printed = (stdout: string, label: string): string => {
  const m = new RegExp(`^${label}: (.+)$`, 'm').exec(stdout);
  if (!m) throw new Error(`no "${label}:" line in ${stdout}`);
  return m[1]!;
};

/** The local day `days` from today, YYYY-MM-DD. */
function inDays(days: number): string {
  const now = new Date();
  return localIsoDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days));
}

/** The settings after an opening with the key file, as the product stores them. */
async function openWith(file: string): Promise<Settings> {
  const key = await readKeyFile(file);
  const opening = openingSchema.parse({
    mode: 'key-file',
    openedAt: new Date().toISOString(),
    userSystemCode: key.userSystemCode,
    expiresAt: key.expiresAt,
    extensionSecret: key.extensionSecret,
  });
  return { ...defaultSettings(), opening };
}

beforeAll(() => ensureCenterBuilt());
afterAll(() => tmp.remove());

describe('express-center issue-extension-key', () => {
  const keyFile = path.join(tmp.dir, 'keys', 'u0100.ini');
  const today = inDays(0);

  it('makes a key the product accepts for the contract of the key file, and records it', async () => {
    const issuedFile = center(['issue-key-file', '--out', keyFile, '--data-dir', dataDir, '--user-system-code', CODE, '--expires', inDays(10)]);
    expect(issuedFile.status, issuedFile.stderr).toBe(0);
    const settings = await openWith(keyFile);
    expect(settings.opening?.expiresAt).toBe(inDays(10));
    expect(serviceStatus(settings, new Date(), 'ja').expiryWarning).toBe(true);

    const r = center(['issue-extension-key', '--data-dir', dataDir, '--user-system-code', CODE, '--expires', inDays(375)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const firstLine = r.stdout.split('\n')[0]!;
    expect(firstLine).toMatch(/^key: [0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
    const key = printed(r.stdout, 'key');
    expect(printed(r.stdout, 'user-system-code')).toBe(CODE);
    expect(printed(r.stdout, 'expires-at')).toBe(inDays(375));
    expect(printed(r.stdout, 'serial')).toBe('1');

    expect(verifyExtensionKey(key, settings.opening, today)).toEqual({ ok: true, expiresAt: inDays(375), serial: 1 });
    // typed by hand: lower case, spaces for hyphens
    expect(verifyExtensionKey(key.toLowerCase().replace(/-/g, ' '), settings.opening, today)).toMatchObject({ ok: true });

    // The center moved the contract's end and kept the key with its serial (0600).
    const contractFile = printed(r.stdout, 'contract');
    const contract = contractSchema.parse(JSON.parse(readFileSync(contractFile, 'utf8')));
    expect(contract.expiresAt).toBe(inDays(375));
    expect(contract.extensionSecret).toBe(settings.opening?.extensionSecret);
    const keysFile = path.join(path.dirname(contractFile), 'extension-keys.json');
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(extensionKeysSchema.parse(JSON.parse(readFileSync(keysFile, 'utf8'))).keys).toEqual([
      expect.objectContaining({ serial: 1, expiresAt: inDays(375), previousExpiresAt: inDays(10), key }),
    ]);

    // [サービスの終了], then [サービス有効期限の変更] with the key: the service runs again.
    const now = new Date();
    const ended = terminate(settings, now);
    expect(isReporting(ended, now)).toBe(false);
    const extended = extend(ended, key, now, 'ja');
    expect(isReporting(extended, now)).toBe(true);
    expect(serviceStatus(extended, now, 'ja')).toMatchObject({ state: 'running', expiresAt: inDays(375), expiryWarning: false });
    // the same key a second time is refused
    expect(() => extend(extended, key, now, 'ja')).toThrow(/すでに入力したキー/);
  });

  it('numbers the keys of a contract; a key file issued again keeps the secret, so earlier keys still verify', async () => {
    const r = center(['issue-extension-key', '--data-dir', dataDir, '--user-system-code', CODE, '--expires', inDays(740)]);
    expect(r.status, r.stderr).toBe(0);
    expect(printed(r.stdout, 'serial')).toBe('2');
    const again = center(['issue-key-file', '--out', path.join(tmp.dir, 'keys', 'again.ini'), '--data-dir', dataDir, '--user-system-code', CODE]);
    expect(again.status, again.stderr).toBe(0);
    const settings = await openWith(path.join(tmp.dir, 'keys', 'again.ini'));
    // the new key file states the contract's end as the center now has it
    expect(settings.opening?.expiresAt).toBe(inDays(740));
    const original = await openWith(keyFile);
    expect(verifyExtensionKey(printed(r.stdout, 'key'), original.opening, today)).toEqual({ ok: true, expiresAt: inDays(740), serial: 2 });
  });

  it('makes keys another contract refuses as another contract’s', async () => {
    const otherFile = path.join(tmp.dir, 'keys', 'u0200.ini');
    expect(center(['issue-key-file', '--out', otherFile, '--data-dir', dataDir, '--user-system-code', OTHER]).status).toBe(0);
    const r = center(['issue-extension-key', '--data-dir', dataDir, '--user-system-code', OTHER, '--expires', inDays(800)]);
    expect(r.status, r.stderr).toBe(0);
    const mine = await openWith(keyFile);
    expect(verifyExtensionKey(printed(r.stdout, 'key'), mine.opening, today)).toEqual({ ok: false, reason: 'other-contract' });
    expect(() => extend(mine, printed(r.stdout, 'key'), new Date(), 'en')).toThrow(/another contract.*U2024-0100/);
  });

  it('says clearly when the contract is unknown, and refuses bad usage', () => {
    const unknown = center(['issue-extension-key', '--data-dir', dataDir, '--user-system-code', 'U9999', '--expires', inDays(30)]);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^express-center issue-extension-key: unknown contract U9999: no .*contract\.json \(issue a key file first/);
    const emptyDir = center(['issue-extension-key', '--data-dir', path.join(tmp.dir, 'nothing'), '--user-system-code', CODE, '--expires', inDays(30)]);
    expect(emptyDir.status).toBe(1);
    expect(emptyDir.stderr).toContain('unknown contract');

    const past = center(['issue-extension-key', '--data-dir', dataDir, '--user-system-code', CODE, '--expires', inDays(-1)]);
    expect(past.status).toBe(1);
    expect(past.stderr).toContain('already past');

    for (const args of [
      ['--user-system-code', CODE],
      ['--expires', inDays(30)],
      ['--user-system-code', CODE, '--expires', '2027-02-30'],
      ['--user-system-code', CODE, '--expires', 'tomorrow'],
      ['--user-system-code', 'OPFILELESS', '--expires', inDays(30)],
      ['--user-system-code', '../etc', '--expires', inDays(30)],
      ['--user-system-code', CODE, '--expires', inDays(30), '--bogus'],
      ['--user-system-code', CODE, '--expires', inDays(30), 'extra'],
    ]) {
      const r = center(['issue-extension-key', '--data-dir', dataDir, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^express-center issue-extension-key: /);
    }
    expect(center(['--help']).stdout).toContain('issue-extension-key --user-system-code CODE --expires YYYY-MM-DD');
  });
});
