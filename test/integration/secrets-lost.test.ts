/**
 * Item 17 of issue 9: when secret.key is lost, the notice asks the user to type in only what
 * they can know (their passwords); the contract's secret came from the center's key file, so
 * for it the notice says what to do instead: open again with the key file, or ask the center
 * for a new extension key. A real key-file opening (center simulator's issuer).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { issueKeyFile } from '../center/issue-key-file';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('er-lostkey-');
});
afterEach(() => tmp.remove());

const open = (osLocale: string) =>
  AlertService.open({ dataDir: path.join(tmp.dir, 'data'), osLocale, opening: { hostName: () => 'SERVER001', deviceInfo: { platform: 'linux', dmiDir: path.join(tmp.dir, 'no-dmi') } } });

function ok<R = unknown>(out: CallOutcome<ApiMethod>): R {
  if (!out.ok) throw new Error(out.error.message);
  return out.result as R;
}

it.each([
  ['en_US.UTF-8', /enter these passwords again: methods\.express-https\.proxy\.password$/i, /open the service again with the opening key file, or ask the center for a new extension key/],
  ['ja_JP.UTF-8', /入力し直してください: methods\.express-https\.proxy\.password$/, /開局キーファイルでもう一度開局するか、センターに新しい期限延長キーを依頼してください/],
])('a lost secret.key (%s): passwords are asked for again, the contract secret is not', async (locale, passwords, contract) => {
  const service = await open(locale);
  const { file } = await issueKeyFile({ out: path.join(tmp.dir, 'key.ini'), dataDir: path.join(tmp.dir, 'center'), serverName: 'SERVER001', encoding: 'utf8' });
  const read = ok<Result<'opening:readKeyFile'>>(await service.call('opening:readKeyFile', { file: { path: file } }));
  ok(await service.call('opening:commit', { source: { mode: 'key-file', file: { path: file } }, customer: read.keyFile.customer, device: read.keyFile.device, dealer: read.keyFile.dealer }));
  ok(await service.call('settings:set', { key: 'methods.express-https.proxy.password', value: 'pr0xy-pass' }));
  await service.close();
  await fs.rm(path.join(tmp.dir, 'data', 'secret.key'));

  const again = await open(locale);
  const messages = again.startupNotices.map((n) => n.message);
  expect(messages).toHaveLength(2);
  expect(messages.find((m) => m.includes('methods.express-https.proxy.password'))).toMatch(passwords);
  const aboutContract = messages.find((m) => m.includes('opening.extensionSecret'));
  expect(aboutContract).toMatch(contract);
  // Nowhere is the user asked to type in the contract's secret.
  expect(messages.filter((m) => passwords.test(m)).join('\n')).not.toContain('opening.extensionSecret');
  await again.close();
});
