/**
 * The plan of `express-center modem --plan FILE` (docs/formats/dialup.md "The center's modem"):
 * what each dialled number does, call by call. JSON:
 *
 *   {
 *     "silent": false,                 // true: the modem answers nothing at all (a dead modem)
 *     "default": "connect",            // numbers not listed (default: connect)
 *     "numbers": {
 *       "03-1234-5678": "busy",        // every call to it
 *       "0,0398765432": [               // call 1, call 2, …; the last one repeats
 *         { "result": "connect", "dropAfterBytes": 3000 },
 *         "connect"
 *       ]
 *     }
 *   }
 *
 * A call is a result name or an object: result connect | busy | no-answer | no-dialtone |
 * no-carrier | ring (rings until the caller gives up); speed (bit/s, for CONNECT and the
 * throttle); answerDelayMs (how long until the result: a slow answer); dropAfterBytes (the
 * carrier drops after that many bytes from the caller); corruptAt (offsets of bytes from the
 * caller to damage) and corruptEvery (damage every N-th byte); noFinalAck (store the report but
 * never send the final acknowledgement). Numbers match as dialled, spaces, hyphens and brackets
 * aside.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const CALL_RESULTS = ['connect', 'busy', 'no-answer', 'no-dialtone', 'no-carrier', 'ring'] as const;

const callObject = z
  .object({
    result: z.enum(CALL_RESULTS).default('connect'),
    speed: z.number().int().min(300).max(115200).optional(),
    answerDelayMs: z.number().int().min(0).max(600_000).optional(),
    dropAfterBytes: z.number().int().min(0).optional(),
    corruptAt: z.array(z.number().int().min(0)).max(10_000).optional(),
    corruptEvery: z.number().int().min(1).optional(),
    noFinalAck: z.boolean().optional(),
  })
  .strict();
const call = z.union([z.enum(CALL_RESULTS).transform((result) => callObject.parse({ result })), callObject]);
export type PlannedCall = z.infer<typeof callObject>;

export const planSchema = z
  .object({
    silent: z.boolean().default(false),
    default: call.default({ result: 'connect' }),
    numbers: z.record(z.string(), z.union([call.transform((c) => [c]), z.array(call).min(1)])).default({}),
  })
  .strict();
export type ModemPlan = z.infer<typeof planSchema>;

export const EMPTY_PLAN: ModemPlan = planSchema.parse({});

/** A number as the plan and the dial command compare it. */
export function planKey(number: string): string {
  return number.replace(/[\s()-]/g, '');
}

/** Reads and checks a plan file; the error names the file and the field. */
export function readPlan(file: string): ModemPlan {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`the plan ${file} is not readable JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the plan ${file} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** Counts the calls per number and says what the n-th call to a number does. */
export class PlanBook {
  private readonly calls = new Map<string, number>();
  private readonly numbers: Map<string, PlannedCall[]>;

  constructor(private readonly plan: ModemPlan) {
    this.numbers = new Map(Object.entries(plan.numbers).map(([k, v]) => [planKey(k), v]));
  }

  get silent(): boolean {
    return this.plan.silent;
  }

  next(number: string): PlannedCall {
    const key = planKey(number);
    const n = this.calls.get(key) ?? 0;
    this.calls.set(key, n + 1);
    const list = this.numbers.get(key);
    if (!list) return this.plan.default;
    return list[Math.min(n, list.length - 1)]!;
  }
}
