/**
 * A dial-up destination's phone number (methods.<method>.dialup.primary/secondary.number) and
 * ゼロ発信 (seed L924–928): at a site that dials 0 for an outside line, "0," goes in front of
 * both numbers (0, then the comma's pause for the outside line's dial tone). The channel dials
 * exactly what is stored, so the prefix is stored with the number. Shared by the window and the
 * backend (`dialup:zeroDial`, `express-report zero-dial`).
 */

/** what ゼロ発信 puts in front of a number */
export const ZERO_DIAL_PREFIX = '0,';

/** the schema's limit for a number (settings.ts phoneSchema) */
export const DIAL_NUMBER_MAX = 64;

/** What a number may hold: digits, the seed's hyphens as separators (123-456-7890), commas (a pause), # and *. */
const DIAL_CHARS = /^[0-9,#*-]+$/;

export type DialNumberProblem = 'chars' | 'no-digit' | 'too-long';

/** Why `number` (trimmed, not empty) cannot be dialled, or null. */
export function dialNumberProblem(number: string): DialNumberProblem | null {
  if ([...number].length > DIAL_NUMBER_MAX) return 'too-long';
  if (!DIAL_CHARS.test(number)) return 'chars';
  // "0," alone is the prefix without a number
  if (!/[0-9]/.test(number.startsWith(ZERO_DIAL_PREFIX) ? number.slice(ZERO_DIAL_PREFIX.length) : number)) return 'no-digit';
  return null;
}

export function hasZeroDial(number: string): boolean {
  return number.startsWith(ZERO_DIAL_PREFIX);
}

/** The number with the prefix (once); an empty number stays empty. */
export function withZeroDial(number: string): string {
  const n = number.trim();
  return n === '' || hasZeroDial(n) ? n : `${ZERO_DIAL_PREFIX}${n}`;
}

/** The number without the prefix ゼロ発信 put there (one "0,"). */
export function withoutZeroDial(number: string): string {
  const n = number.trim();
  return hasZeroDial(n) ? n.slice(ZERO_DIAL_PREFIX.length) : n;
}

/**
 * ゼロ発信 of a pair of numbers: `on` when every number set has the prefix, `off` when none has,
 * `partial` when only some have it, `none` when no number is set.
 */
export type ZeroDialState = 'on' | 'off' | 'partial' | 'none';

export function zeroDialState(numbers: readonly string[]): ZeroDialState {
  const set = numbers.map((n) => n.trim()).filter((n) => n !== '');
  if (set.length === 0) return 'none';
  const prefixed = set.filter(hasZeroDial).length;
  return prefixed === set.length ? 'on' : prefixed === 0 ? 'off' : 'partial';
}
