/**
 * The text of a thrown value, for logs and one-line reasons. Anything can be thrown in
 * JavaScript (a string, undefined, an object), so callers never assume an Error.
 */

/** The message of an Error, or the value as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The first line of errorText: for reasons shown on one line (a note, a status). */
export function errorLine(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

/** The error's code (ENOENT, ECONNRESET, …) when it has one as text, else its first line. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : errorLine(err);
}
