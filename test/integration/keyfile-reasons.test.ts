/**
 * Items 13 and 20 (key-file reasons): `opening:readKeyFile` never quotes the content of a file
 * that is not a key file (a shadow file's first line, a token in a config file) — it names the
 * line and what was expected — and every key-file reason comes from the catalogues, in Japanese
 * in the Japanese window and in English on request. Real files, the real service.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { issueKeyFile } from '../center/issue-key-file';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-keyfile-reasons-');
afterAll(() => tmp.remove());
let n = 0;

function put(name: string, text: string | Buffer, mode = 0o600): string {
  const dir = path.join(tmp.dir, `f${++n}`);
  mkdirSync(dir);
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode });
  return file;
}

async function service(locale: string): Promise<AlertService> {
  return AlertService.open({ dataDir: path.join(tmp.dir, `data-${++n}`), osLocale: locale, opening: { hostName: () => 'SERVER001' } });
}

/** The refusal's message for a key file named by path. */
async function refusal(s: AlertService, file: string): Promise<string> {
  const out = (await s.call('opening:readKeyFile', { file: { path: file } })) as CallOutcome<'opening:readKeyFile'>;
  if (out.ok) throw new Error(`${file} was accepted`);
  expect(out.error.code).toBe('key-file');
  return out.error.message;
}

const SHADOW = 'root:$6$Qz8Tn0tF0rY0u$9kLmNoPqRsTuVwXyZ0123456789abcdefgHIJKLMN/:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n';

describe('a file that is not a key file: its content is never quoted', () => {
  const cases: [string, string, RegExp][] = [
    ['shadow', SHADOW, /^Cannot read the opening key file: shadow line 1: expected a \[Section\] header, a Key=Value line or a ; comment \(truncated\?\)$/],
    ['unclosed.conf', '[token-7f3a9c2e1b\n', /^Cannot read the opening key file: unclosed\.conf line 1: a section header is not closed with \] \(truncated\?\)$/],
    ['before.env', 'API_TOKEN=sk-live-7f3a9c2e1b\n[Contract]\n', /before\.env line 1: a key before the first section header$/],
    ['twice.ini', '[s3cret-7f3a9c2e1b]\na=1\n[s3cret-7f3a9c2e1b]\n', /twice\.ini line 3: a section appears twice \(first on line 1\)$/],
    ['dotted.ini', '[db.password-7f3a9c2e1b]\n', /dotted\.ini line 1: this section name is not allowed/],
    ['indented.ini', '  [hunter2-7f3a9c2e1b]\n', /indented\.ini line 1: a section header must start at the beginning of the line$/],
    ['keys.ini', '[app]\npassword=hunter2-7f3a9c2e1b\npassword=hunter2-7f3a9c2e1b\n', /keys\.ini line 3: a key appears twice in its section \(first on line 2\)$/],
    ['array.ini', '[app]\nsecret-7f3a9c2e1b[]=1\n', /array\.ini line 2: this key name is not allowed/],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: the line and what was expected, nothing of the file`, async () => {
      const s = await service('en_US.UTF-8');
      try {
        const message = await refusal(s, put(name, text));
        expect(message).toMatch(expected);
        for (const secret of ['$6$', 'Qz8Tn0tF0rY0u', 'root:', 'daemon', '7f3a9c2e1b', 'hunter2', 'sk-live', 'API_TOKEN', 'password']) expect(message).not.toContain(secret);
      } finally {
        await s.close();
      }
    });
  }

  it('an unknown key in a key-file section is named by its line, not its name or value', async () => {
    const s = await service('en_US.UTF-8');
    try {
      const good = put('good.ini', '');
      await issueKeyFile({ out: good, dataDir: path.join(tmp.dir, 'center'), encoding: 'utf8', eol: '\n', expires: '2099-12-31' });
      const text = readFileSync(good, 'utf8').replace('[Customer]\n', '[Customer]\nPassword=hunter2-7f3a9c2e1b\n');
      const message = await refusal(s, put('extra.ini', text));
      expect(message).toMatch(/extra\.ini line \d+: \[Customer\] has a key this program does not know$/);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('Password');
    } finally {
      await s.close();
    }
  });
});

describe('key-file reasons speak the window’s language', () => {
  it('Japanese by default: a missing file, an empty file, a folder, a FIFO-like non-file, a too-large file, a shadow file', async () => {
    const s = await service('ja_JP.UTF-8');
    try {
      const missing = path.join(tmp.dir, 'missing.ini');
      expect(await refusal(s, missing)).toBe('開局キーファイルを読み込めません: missing.ini: ファイルが存在しません');
      expect(await refusal(s, put('empty.ini', ''))).toBe('開局キーファイルを読み込めません: empty.ini: ファイルが空です');
      const folder = path.join(tmp.dir, 'folder.ini');
      mkdirSync(folder);
      expect(await refusal(s, folder)).toBe('開局キーファイルを読み込めません: folder.ini: フォルダーです。開局キーファイルを指定してください');
      expect(await refusal(s, '/dev/null')).toBe('開局キーファイルを読み込めません: null: 通常のファイルではありません(FIFO、デバイスなど)');
      expect(await refusal(s, put('big.ini', Buffer.alloc(1024 * 1024 + 1, 0x20)))).toMatch(/^開局キーファイルを読み込めません: big\.ini: ファイルが大きすぎます\(1048577 バイト。/);
      expect(await refusal(s, put('shadow', SHADOW))).toBe(
        '開局キーファイルを読み込めません: shadow の 1 行目: [セクション] 見出し、キー=値 の行、; で始まるコメントのどれでもありません(ファイルが途中で切れていませんか?)',
      );
      for (const message of [await refusal(s, missing), await refusal(s, put('e.ini', ''))]) expect(message).not.toMatch(/the file|does not exist|is empty/);
    } finally {
      await s.close();
    }
  });

  it('English on request (ui.language en)', async () => {
    const s = await service('ja_JP.UTF-8');
    try {
      const set = await s.call('settings:set', { key: 'ui.language', value: 'en' });
      expect(set.ok).toBe(true);
      expect(await refusal(s, path.join(tmp.dir, 'missing.ini'))).toBe('Cannot read the opening key file: missing.ini: the file does not exist');
      expect(await refusal(s, put('empty.ini', ''))).toBe('Cannot read the opening key file: empty.ini: the file is empty');
    } finally {
      await s.close();
    }
  });
});
