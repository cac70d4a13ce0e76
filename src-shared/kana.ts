/**
 * Kana normalisation for the opening pages. The seed asks for half-width katakana (半角カナ) in
 * the kana fields; people type full-width katakana or hiragana, so both are converted.
 */

const DAKUTEN = '\uFF9E';
const HANDAKUTEN = '\uFF9F';

/** full-width katakana (and voiced forms) → half-width sequence */
const TO_HALF: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (let code = 0xff61; code <= 0xff9d; code++) {
    const half = String.fromCharCode(code);
    const full = half.normalize('NFKC');
    if (full === half) continue;
    map.set(full, half);
    const voiced = (full + '\u3099').normalize('NFC');
    if (voiced.length === 1) map.set(voiced, half + DAKUTEN);
    const semi = (full + '\u309A').normalize('NFC');
    if (semi.length === 1) map.set(semi, half + HANDAKUTEN);
  }
  map.set('\u309B', DAKUTEN);
  map.set('\u309C', HANDAKUTEN);
  map.set('\u3099', DAKUTEN);
  map.set('\u309A', HANDAKUTEN);
  return map;
})();

/**
 * Converts what a person typed into half-width form: hiragana → katakana → half-width katakana,
 * full-width letters, digits, symbols and the ideographic space → ASCII. Other characters (kanji)
 * are left as they are, for the validator to refuse.
 */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    let c = ch;
    const code = c.charCodeAt(0);
    if (code >= 0x3041 && code <= 0x3096) c = String.fromCharCode(code + 0x60); // hiragana → katakana
    const half = TO_HALF.get(c);
    if (half !== undefined) out += half;
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (c === '\u3000') out += ' ';
    else if (c === '\u2212' || c === '\u2010' || c === '\u2011') out += '-'; // minus and hyphens typed by IMEs
    else out += c;
  }
  return out;
}

/** Half-width katakana, ASCII letters, digits, space and simple punctuation only. */
export function isHalfWidthKana(text: string): boolean {
  return /^[\uFF61-\uFF9F A-Za-z0-9\-().,/&'・]*$/.test(text);
}
