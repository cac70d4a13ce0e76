/**
 * Control characters in text that came from outside (an event source name, a message, a file
 * name, a server's answer): what could start a forged line in the service log or the history, or
 * turn what follows around on screen. C0 controls (TAB, LF and CR included), DEL, C1 controls,
 * the Unicode line and paragraph separators, and the bidirectional embeddings, overrides and
 * isolates (Trojan Source).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `U+000A` for a character. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with each control character written out (`\n`, `\r`, `\t`, `\x1b`, `\u2028`): one line, shown as it is. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_ALL, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The first control character in `text` as `U+XXXX`, or null when there is none. */
export function firstControl(text: string): string | null {
  const m = CONTROL.exec(text);
  return m ? codePointName(m[0]) : null;
}
