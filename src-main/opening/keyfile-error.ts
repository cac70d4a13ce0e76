/**
 * Why a key file cannot be used: a code, the line where known, and the reason as a coded text from
 * the catalogues (src-shared/i18n/readers-ja.ts `keyfile.*`), so the window and the CLI give it in
 * the user's language. A reason names the line and what was expected; it never quotes the
 * content of a file that has not been recognised as a key file (a shadow file's first line must
 * not come back in an error), and quotes a value only once the file's sections and keys are
 * those of a key file.
 */
import path from 'node:path';
import { translate, type Language, type MessageKey, type MessageParams } from '../../src-shared/i18n';

export type KeyFileErrorCode =
  | 'not-found'
  | 'no-permission'
  | 'directory'
  | 'not-a-file'
  | 'too-large'
  | 'empty'
  | 'io'
  | 'encoding'
  | 'syntax'
  | 'missing-section'
  | 'missing-key'
  | 'bad-value'
  | 'certificate'
  | 'certificate-expired'
  | 'contract-expired'
  | 'unwritable';

export type KeyFileMessage = Extract<MessageKey, `keyfile.${string}`>;

/** A reason from the catalogues. */
export interface KeyFileText {
  key: KeyFileMessage;
  params?: MessageParams;
}

/**
 * A key file that cannot be used. `reason` is one line in English naming the file (base name),
 * the line where known and the problem: `key.ini line 12: [Customer] has no NameKana`;
 * `reasonIn(lang)` is the same in the user's language. The writer (the center's tool) gives
 * its problems as plain English text.
 */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  /** the problem alone, without file and line, in English */
  readonly problem: string;
  readonly reason: string;
  constructor(
    readonly file: string,
    readonly code: KeyFileErrorCode,
    readonly text: KeyFileText | string,
    readonly line?: number,
  ) {
    const problem = typeof text === 'string' ? text : translate('en', text.key, text.params);
    const where = line === undefined ? '' : ` line ${line}`;
    super(`${file}${where}: ${problem}`);
    this.problem = problem;
    this.reason = `${path.basename(file) || file}${where}: ${problem}`;
  }

  /** The reason in `lang`: file (base name), line and problem. */
  reasonIn(lang: Language): string {
    if (typeof this.text === 'string') return this.reason;
    const file = path.basename(this.file) || this.file;
    const problem = translate(lang, this.text.key, this.text.params);
    return this.line === undefined
      ? translate(lang, 'keyfile.where.file', { file, problem })
      : translate(lang, 'keyfile.where.line', { file, line: this.line, problem });
  }
}

/** Shorthand: a KeyFileError with a catalogue reason. */
export function keyFileError(file: string, code: KeyFileErrorCode, key: KeyFileMessage, params?: MessageParams, line?: number): KeyFileError {
  return new KeyFileError(file, code, params ? { key, params } : { key }, line);
}
