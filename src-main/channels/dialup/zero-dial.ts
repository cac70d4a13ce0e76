/**
 * ゼロ発信 (seed L924–928) as one action of the service: "0," put in front of both destination
 * numbers of a dial-up method (on), taken off again (off), or only looked at (status). The
 * numbers are stored with the prefix, because the channel dials exactly what is stored; each
 * change is checked and written as `settings:set` does (a changed number then needs a new test
 * before the opening report, as any changed destination does). Idempotent: `on` twice is `on`.
 */
import { ApiError } from '../../../src-shared/errors';
import { translate } from '../../../src-shared/i18n';
import { withoutZeroDial, withZeroDial, zeroDialState, type ZeroDialState } from '../../../src-shared/dial-number';
import type { Settings } from '../../../src-shared/settings';
import type { ServiceContext } from '../../core/handlers';

/** The methods with a dial-up route (Express, and the manager's forwarding). */
export type DialupMethod = 'express' | 'manager-express';
export type ZeroDialAction = 'on' | 'off' | 'status';

export interface ZeroDialResult {
  state: ZeroDialState;
  /** the numbers as stored after the action */
  primary: string;
  secondary: string;
  /** whether the action changed what is stored */
  changed: boolean;
}

export function numberKey(method: DialupMethod, index: 1 | 2): string {
  return `methods.${method}.dialup.${index === 1 ? 'primary' : 'secondary'}.number`;
}

function numbersOf(settings: Settings, method: DialupMethod): [string, string] {
  const dialup = settings.methods[method].dialup;
  return [dialup.primary.number, dialup.secondary.number];
}

/** Carries out `action` on the method's stored numbers; `on` / `off` without a number is refused naming the primary. */
export async function zeroDial(ctx: ServiceContext, method: DialupMethod, action: ZeroDialAction): Promise<ZeroDialResult> {
  const before = numbersOf(await ctx.current(), method);
  if (action === 'status') return { state: zeroDialState(before), primary: before[0], secondary: before[1], changed: false };
  if (zeroDialState(before) === 'none') {
    throw new ApiError({ code: 'not-ready', field: numberKey(method, 1), message: translate(ctx.language(), 'missing.dial-number') });
  }
  const turn = action === 'on' ? withZeroDial : withoutZeroDial;
  let changed = false;
  const stored = await ctx.mutate((current) => {
    let next = current;
    numbersOf(current, method).forEach((number, i) => {
      const wanted = turn(number);
      if (wanted !== number) next = ctx.withValue(next, numberKey(method, (i + 1) as 1 | 2), wanted);
    });
    changed = next !== current;
    return next;
  });
  const after = numbersOf(stored, method);
  return { state: zeroDialState(after), primary: after[0], secondary: after[1], changed };
}
