/**
 * The center's strict uudecoder (test/center/mail-uudecode.ts) against sharutils: what
 * `uuencode` writes decodes to the same bytes, what the tests' encoder (mail-peers/report-mail.ts)
 * writes is what `uudecode` reads, and every malformed body is refused with its line number.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uudecode, UudecodeError } from '../center/mail-uudecode';
import { uuencode } from '../helpers/mail-peers/report-mail';

const hasSharutils = spawnSync('uuencode', ['--version']).status === 0;
const dir = mkdtempSync(path.join(os.tmpdir(), 'er-uu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sizes = [0, 1, 2, 3, 44, 45, 46, 89, 90, 91, 1000, 65_537];

describe.skipIf(!hasSharutils)('uudecode against sharutils (skipped without sharutils)', () => {
  it('decodes what sharutils uuencode writes (LF and CRLF line ends), byte for byte', () => {
    for (const size of sizes) {
      const data = randomBytes(size);
      const r = spawnSync('uuencode', ['report.json'], { input: data });
      expect(r.status).toBe(0);
      const lf = uudecode(r.stdout);
      expect(lf.name).toBe('report.json');
      expect(lf.mode).toMatch(/^[0-7]{3,4}$/);
      expect(lf.data.equals(data)).toBe(true);
      const crlf = uudecode(Buffer.from(r.stdout.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
      expect(crlf.data.equals(data)).toBe(true);
    }
  });

  it("the tests' encoder writes what sharutils uudecode reads (and the decoder reads it back)", () => {
    for (const size of sizes) {
      const data = randomBytes(size);
      const text = uuencode('a file.zip', data);
      const out = path.join(dir, `out-${size}.bin`);
      const r = spawnSync('uudecode', ['-o', out], { input: text });
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(readFileSync(out).equals(data)).toBe(true);
      expect(uudecode(Buffer.from(text, 'latin1'))).toMatchObject({ name: 'a file.zip', mode: '644' });
      expect(uudecode(Buffer.from(text, 'latin1')).data.equals(data)).toBe(true);
    }
  });
});

describe('uudecode refuses a malformed body, naming the line', () => {
  const good = uuencode('x.bin', Buffer.from('The quick brown fox jumps over the lazy dog, twice over.'));
  const lines = good.split('\r\n');
  const cases: [string, string, RegExp][] = [
    ['an empty part', '', /no begin line/],
    ['no begin line', lines.slice(1).join('\r\n'), /line 1: expected "begin MODE NAME"/],
    ['a line longer than its length character says', [lines[0], `${lines[1]}AAAA`, ...lines.slice(2)].join('\r\n'), /line 2: 45 bytes take 60 characters, the line has 64/],
    ['a line cut short', [lines[0], lines[1]!.slice(0, 30), ...lines.slice(2)].join('\r\n'), /line 2: .* the line has 29/],
    ['a character outside the alphabet', [lines[0], `${lines[1]!.slice(0, 10)}~${lines[1]!.slice(11)}`, ...lines.slice(2)].join('\r\n'), /line 2: character 11 \("~"\) is not a uuencode character/],
    ['an empty line inside the data', [lines[0], lines[1], '', ...lines.slice(2)].join('\r\n'), /line 3: an empty line inside the data/],
    ['no end line', lines.slice(0, -2).join('\r\n'), /expected "end" after the zero-length line/],
    ['no zero-length line and no end', lines.slice(0, 3).join('\r\n'), /ends without a zero-length line/],
    ['data after end', `${good}more\r\n`, /line 6: data after "end"/],
  ];
  for (const [name, body, reason] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        uudecode(Buffer.from(body, 'latin1'));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UudecodeError);
      expect((error as Error).message).toMatch(reason);
    });
  }
});
