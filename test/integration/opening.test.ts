import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { issueKeyFile } from '../center/issue-key-file';
import { startCenter } from '../helpers/center';
import { cli } from '../helpers/cli';
import { sendTestAndOpeningReport } from '../helpers/setup-methods';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('er-open-');
});
afterEach(() => tmp.remove());

const NEC_DMI = { 'product_name': 'Express5800/R120h-1M [N8100-2801Y]\n', 'product_serial': '4010001\n' };

async function service(options: { host?: string; dmi?: Record<string, string> | null } = {}) {
  const dmiDir = path.join(tmp.dir, 'dmi');
  await fs.mkdir(dmiDir, { recursive: true });
  for (const [name, text] of Object.entries(options.dmi ?? {})) await fs.writeFile(path.join(dmiDir, name), text);
  return AlertService.open({
    dataDir: path.join(tmp.dir, 'data'),
    osLocale: 'ja_JP.UTF-8',
    opening: { hostName: () => options.host ?? 'SERVER001', deviceInfo: { platform: 'linux', dmiDir } },
  });
}

function ok<R = unknown>(out: CallOutcome<ApiMethod>): R {
  if (!out.ok) throw new Error(out.error.message);
  return out.result as R;
}

const keyFile = async (serverName = 'SERVER001', encoding: 'sjis' | 'utf8' = 'sjis') =>
  (await issueKeyFile({ out: path.join(tmp.dir, `key-${serverName}-${encoding}.ini`), dataDir: path.join(tmp.dir, 'center'), serverName, encoding })).file;

const devicePage = { serverName: 'SERVER001', deviceCode: 'N8100-XXX', serialNumber: '00000001', warrantyNumber: '99999999' };

describe('opening by key code (通報開局キーコード)', () => {
  it('reads the device identity from DMI when the machine has it', async () => {
    const s = await service({ dmi: NEC_DMI });
    const got = ok<Result<'opening:get'>>(await s.call('opening:get', {}));
    expect(got.device).toEqual({ deviceCode: 'N8100-2801Y', serialNumber: '4010001', source: 'dmi' });
    expect(got.opening).toBeNull();
  });

  it('has no identity without DMI (these machines), so the wizard asks', async () => {
    const s = await service();
    expect(ok<Result<'opening:get'>>(await s.call('opening:get', {})).device).toBeNull();
  });

  it('stores OPFILELESS, the key code and the device page; no customer page', async () => {
    const s = await service();
    const opening = ok<Result<'opening:commit'>>(
      await s.call('opening:commit', { source: { mode: 'key-code', keyCode: '０１２３９', resultMail: 'aaa@bbb.co.jp', forHttps: true }, device: devicePage }),
    );
    expect(opening).toMatchObject({ mode: 'key-code', userSystemCode: 'OPFILELESS', keyCode: '01239', resultMail: 'aaa@bbb.co.jp' });
    expect(opening.device.serverName).toBe('SERVER001');
    expect(opening.customer.nameKana).toBe('');
  });

  it('refuses a wrong key code, a missing result mail for HTTPS and an empty device page, naming the field', async () => {
    const s = await service();
    const bad = await s.call('opening:commit', { source: { mode: 'key-code', keyCode: '1234' }, device: devicePage });
    expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid-value', field: 'keyCode.keyCode' });
    const noMail = await s.call('opening:commit', { source: { mode: 'key-code', keyCode: '01239', forHttps: true }, device: devicePage });
    expect(!noMail.ok && noMail.error.message).toContain('テスト・開局結果返信メールアドレス');
    const empty = await s.call('opening:commit', { source: { mode: 'key-code', keyCode: '01239' } });
    expect(!empty.ok && empty.error).toMatchObject({ field: 'device.serverName' });
    expect(!empty.ok && empty.error.details?.length).toBe(4);
    expect(ok<Result<'opening:get'>>(await s.call('opening:get', {})).opening).toBeNull();
  });
});

describe('opening by key file (開局キーファイル)', () => {
  it.each(['sjis', 'utf8'] as const)('reads a %s key file and stores the contract, pages and destinations', async (encoding) => {
    const s = await service();
    const file = await keyFile('SERVER001', encoding);
    const read = ok<Result<'opening:readKeyFile'>>(await s.call('opening:readKeyFile', { file: { path: file } }));
    expect(read.hostNameMatches).toBe(true);
    expect(read.keyFile.customer.nameKanji).toBe('日電 太郎');
    expect(JSON.stringify(read)).not.toMatch(/extensionSecret|PRIVATE KEY/);
    const { customer, device, options, dealer } = read.keyFile;
    const opening = ok<Result<'opening:commit'>>(
      await s.call('opening:commit', { source: { mode: 'key-file', file: { path: file } }, customer, device, options, dealer }),
    );
    expect(opening.userSystemCode).toMatch(/^U\d{9}$/);
    expect(opening.extensionSecret).toBe('********');
    expect(opening.centerCertificatePem).toContain('BEGIN CERTIFICATE');
    const settings = ok<Result<'settings:get'>>(await s.call('settings:get', {}));
    expect(settings.methods['express-https'].url1).toMatch(/^https:\/\//);
    expect(settings.methods.express.mail.destination).toContain('@');
  });

  it('accepts an upload from the browser the same way', async () => {
    const s = await service();
    const file = await keyFile();
    const contentBase64 = (await fs.readFile(file)).toString('base64');
    const read = ok<Result<'opening:readKeyFile'>>(await s.call('opening:readKeyFile', { file: { name: 'key.ini', contentBase64 } }));
    expect(read.keyFile.device.serverName).toBe('SERVER001');
  });

  it('warns when the server name differs from the host name; 続行 registers the OS host name', async () => {
    const s = await service({ host: 'web01' });
    const file = await keyFile('SERVER001');
    const read = ok<Result<'opening:readKeyFile'>>(await s.call('opening:readKeyFile', { file: { path: file } }));
    expect(read).toMatchObject({ hostName: 'web01', hostNameMatches: false });
    const pages = { customer: read.keyFile.customer, device: { ...read.keyFile.device, serverName: read.hostName }, dealer: read.keyFile.dealer };
    const refused = await s.call('opening:commit', { source: { mode: 'key-file', file: { path: file } }, ...pages });
    expect(!refused.ok && refused.error.code).toBe('hostname-mismatch');
    expect(!refused.ok && refused.error.message).toContain('SERVER001');
    const opened = ok<Result<'opening:commit'>>(await s.call('opening:commit', { source: { mode: 'key-file', file: { path: file }, acceptHostNameMismatch: true }, ...pages }));
    expect(opened.device.serverName).toBe('web01');
  });

  it('refuses a bad key file with its reason and changes nothing', async () => {
    const s = await service();
    const bad = path.join(tmp.dir, 'empty.ini');
    await fs.writeFile(bad, '');
    const out = await s.call('opening:readKeyFile', { file: { path: bad } });
    expect(!out.ok && out.error).toMatchObject({ code: 'key-file' });
    expect(!out.ok && out.error.message).toContain('empty.ini');
    expect(ok<Result<'opening:get'>>(await s.call('opening:get', {})).opening).toBeNull();
  });
});

describe('re-opening (再開局)', () => {
  it('erases every earlier opening setting: contract, method set-up, enabled state', async () => {
    const s = await service();
    const first = await keyFile('SERVER001');
    const read = ok<Result<'opening:readKeyFile'>>(await s.call('opening:readKeyFile', { file: { path: first } }));
    const pages = { customer: read.keyFile.customer, device: read.keyFile.device, options: [{ deviceCode: 'N8103-99', serialNumber: '1', comment: '' }], dealer: read.keyFile.dealer };
    ok(await s.call('opening:commit', { source: { mode: 'key-file', file: { path: first } }, ...pages }));
    ok(await s.call('settings:set', { key: 'methods.express-https.proxy.host', value: 'proxy.example.jp' }));
    const center = await startCenter();
    try {
      await sendTestAndOpeningReport(s, center);
    } finally {
      await center.stop();
    }
    ok(await s.call('methods:setEnabled', { name: 'express-https', enabled: true }));
    ok(await s.call('schedule:set', { method: 'manager-express', schedule: { retryIntervalMinutes: 9, retryUntilHours: 9, window: '00:00-24:00' } }));

    ok(await s.call('opening:commit', { source: { mode: 'key-code', keyCode: '54321' }, device: devicePage }));
    const after = ok<Result<'settings:get'>>(await s.call('settings:get', {}));
    expect(after.opening).toMatchObject({ mode: 'key-code', userSystemCode: 'OPFILELESS', centerCertificatePem: '', extensionSecret: '', options: [] });
    expect(after.opening?.customer.nameKanji).toBe('');
    expect(after.methods['express-https']).toMatchObject({ enabled: false, openingReportedAt: null, proxy: { host: '' }, url1: '' });
    // The manager's relay is not part of the contract.
    expect(after.methods['manager-express'].schedule.retryIntervalMinutes).toBe(9);
  });

  it('changes the pages later without touching the contract ([設定情報の変更...])', async () => {
    const s = await service();
    ok(await s.call('opening:commit', { source: { mode: 'key-code', keyCode: '01239' }, device: devicePage }));
    const updated = ok<Result<'opening:update'>>(await s.call('opening:update', { device: { ...devicePage, comment: '2F rack 3' } }));
    expect(updated).toMatchObject({ keyCode: '01239', device: { comment: '2F rack 3' } });
  });
});

describe('express-report open / opening show (CLI)', () => {
  it('opens with a key file, refuses a host-name mismatch with exit 3, accepts it with the flag', async () => {
    const file = await keyFile('SERVER001');
    const data = path.join(tmp.dir, 'cli-data');
    const env = { EXPRESS_REPORT_HOSTNAME: 'web01', LANG: 'en_US.UTF-8' };
    const refused = cli(['open', '--key-file', file, '--data-dir', data], env);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('differs from the OS host name');
    expect(cli(['opening', 'show', '--data-dir', data], env).stdout.trim()).toBe('null');
    const opened = cli(['open', '--key-file', file, '--accept-hostname-mismatch', '--data-dir', data], env);
    expect(opened.status).toBe(0);
    const shown = JSON.parse(cli(['opening', 'show', '--data-dir', data], env).stdout) as { device: { serverName: string }; extensionSecret: string };
    expect(shown.device.serverName).toBe('web01');
    expect(shown.extensionSecret).toBe('********');
  });

  it('opens with a key code and validates opening.* keys like the window', () => {
    const data = path.join(tmp.dir, 'cli-code');
    const env = { LANG: 'en_US.UTF-8' };
    const noDevice = cli(['open', '--key-code', '01239', '--data-dir', data], env);
    expect(noDevice.status).toBe(2);
    expect(noDevice.stderr).toContain('--device-code');
    expect(cli(['open', '--key-code', '01239', '--device-code', 'N8100-XXX', '--serial', '00000001', '--warranty', '99999999', '--data-dir', data], env).status).toBe(0);
    const bad = cli(['config', 'set', 'opening.device.serverName', 'S'.repeat(21), '--data-dir', data], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Server name');
    expect(cli(['config', 'set', 'opening.dealer.name', 'NEC', '--data-dir', data], env).status).toBe(0);
  });
});
