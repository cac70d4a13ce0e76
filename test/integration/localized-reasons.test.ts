/**
 * The definition files' diagnostics and the settings' URL and CA file refusals reach the window
 * in its language: Japanese for a Japanese OS locale, English when asked.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { definitionPath } from '../../src-main/reports/definition-dir';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
const services: AlertService[] = [];
beforeEach(() => {
  tmp = tempDir('er-localized-');
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  tmp.remove();
});

async function open(osLocale: string): Promise<AlertService> {
  const s = await AlertService.open({ dataDir: tmp.dir, osLocale });
  services.push(s);
  return s;
}

function refused(out: CallOutcome<ApiMethod>): { code: string; field?: string; message: string; reason?: string; details?: string[] } {
  if (out.ok) throw new Error('expected a refusal');
  return out.error;
}

function ok<R>(out: CallOutcome<ApiMethod>): R {
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as R;
}

describe('settings:set refusals in Japanese (osLocale ja_JP.UTF-8)', () => {
  it('an http:// URL', async () => {
    const s = await open('ja_JP.UTF-8');
    const e = refused(await s.call('settings:set', { key: 'methods.express-https.url1', value: 'http://center.example.jp/x' }));
    expect(e.code).toBe('invalid-value');
    expect(e.field).toBe('methods.express-https.url1');
    expect(e.reason).toBe('URL の指定が正しくありません。https:// で始まる URL を記載してください(http://center.example.jp/x)。');
    expect(e.message).toContain('URL の指定が正しくありません。');
  });

  it('a URL with a space, and one with a full-width character', async () => {
    const s = await open('ja_JP.UTF-8');
    const space = refused(await s.call('settings:set', { key: 'methods.express-https.url2', value: 'https://center.example.jp/a b' }));
    expect(space.reason).toBe('URL の指定が正しくありません。空白が含まれています。半角英数字、記号だけで記載してください。');
    const wide = refused(await s.call('settings:set', { key: 'methods.manager-express-https.url1', value: 'https://センター.jp/' }));
    expect(wide.reason).toBe('URL の指定が正しくありません。セ(U+30BB)が含まれています。半角英数字、記号だけで記載してください。');
  });

  it('a CA file that does not exist, and one that holds no certificate', async () => {
    const s = await open('ja_JP.UTF-8');
    const none = path.join(tmp.dir, 'none.pem');
    const missing = refused(await s.call('settings:set', { key: 'methods.express-https.caFile', value: none }));
    expect(missing.field).toBe('methods.express-https.caFile');
    expect(missing.reason).toBe(`CA ファイル ${none} を使用できません。ファイルが存在しません。`);
    expect(missing.message).toContain('ファイルが存在しません');
    const notCa = path.join(tmp.dir, 'not-a-ca.pem');
    await fs.writeFile(notCa, 'hello');
    const bad = refused(await s.call('settings:set', { key: 'methods.express-https.caFile', value: notCa }));
    expect(bad.reason).toBe(`CA ファイル ${notCa} を使用できません。PEM 形式の証明書(-----BEGIN CERTIFICATE-----)がありません。`);
  });

  it('in English for an English locale, and when the user chooses English', async () => {
    const en = await open('en_US.UTF-8');
    const e = refused(await en.call('settings:set', { key: 'methods.express-https.url1', value: 'http://center.example.jp/x' }));
    expect(e.reason).toBe('the URL must start with https:// (http://center.example.jp/x)');
    await en.close();
    services.splice(0);

    const ja = await open('ja_JP.UTF-8');
    ok(await ja.call('settings:set', { key: 'ui.language', value: 'en' }));
    const none = path.join(tmp.dir, 'none.pem');
    const ca = refused(await ja.call('settings:set', { key: 'methods.express-https.caFile', value: none }));
    expect(ca.reason).toBe(`${none} does not exist`);
  });
});

describe('definition file diagnostics in the window’s language', () => {
  it('[宛先の読み込み]: the error lines of AMHTPADR.INF in Japanese', async () => {
    const s = await open('ja_JP.UTF-8');
    ok(await s.call('https:definitions', {}));
    await fs.writeFile(definitionPath(tmp.dir, 'adr'), '[URL1]\r\nURL=http://x/\r\n[URL2]\r\nURL=https://a b/\r\n');
    const e = refused(await s.call('https:loadAddressFile', {}));
    expect(e.details).toEqual([
      'AMHTPADR.INF:2: [URL1] の URL: https:// で始まる URL を記載してください(http://x/)。',
      'AMHTPADR.INF:4: [URL2] の URL: 空白が含まれています。半角英数字、記号だけで記載してください。',
    ]);
  });

  it('https:definitions: each diagnostic in Japanese with its code; English when chosen', async () => {
    const s = await open('ja_JP.UTF-8');
    ok(await s.call('https:definitions', {}));
    await fs.writeFile(definitionPath(tmp.dir, 'hbi'), '[Tools]\r\nCommand=\r\n[Schedule]\r\nScheduleType=every month\r\nScheduleDay=31\r\nScheduleTime=25:00\r\n');
    const defs = ok<Result<'https:definitions'>>(await s.call('https:definitions', {}));
    const hbi = defs.files.find((f) => f.kind === 'hbi')!;
    expect(hbi.ok).toBe(false);
    expect(hbi.diagnostics).toEqual([
      { file: definitionPath(tmp.dir, 'hbi'), line: 6, severity: 'error', code: 'inf.hbi.hour', message: '[Schedule] の ScheduleTime の時が 25 です。時は 0~23 で指定してください。' },
    ]);

    ok(await s.call('settings:set', { key: 'ui.language', value: 'en' }));
    const english = ok<Result<'https:definitions'>>(await s.call('https:definitions', {}));
    expect(english.files.find((f) => f.kind === 'hbi')!.diagnostics[0]!.message).toBe('ScheduleTime in [Schedule] has the hour 25; the hour is 0–23');
  });
});
