/**
 * `express-center modem --data-dir D --device PATH [--baud N] [--plan FILE] [--guard-ms N]
 * [--comma-ms N] [--answer-ms N] [--batch-wait-ms N] [--no-batch]`: the center's modem on a serial device (the far
 * end of a pty pair in tests); `--no-batch` makes it an older center without 一括通報. Prints `modem: ready DEVICE` when it listens, then one line per command,
 * dial, result and report; SIGTERM (or SIGINT) stops it.
 */
import { parseArgs } from 'node:util';
import { HayesModem } from './modem';
import { EMPTY_PLAN, readPlan } from './modem-plan';
import { CenterStore, DEFAULT_DATA_DIR } from './store';

function whole(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw Object.assign(new Error(`--${name} must be a whole number ${min}–${max}`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return n;
}

export async function modemCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      device: { type: 'string' },
      baud: { type: 'string' },
      plan: { type: 'string' },
      'guard-ms': { type: 'string' },
      'comma-ms': { type: 'string' },
      'answer-ms': { type: 'string' },
      'batch-wait-ms': { type: 'string' },
      'no-batch': { type: 'boolean' },
    },
  });
  if (positionals.length) throw Object.assign(new Error(`unexpected argument: ${positionals[0]}`), { code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' });
  if (!values.device) throw Object.assign(new Error('--device PATH is required'), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  const plan = values.plan ? readPlan(values.plan) : EMPTY_PLAN;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const modem = await HayesModem.start({
    device: values.device,
    baud: whole('baud', values.baud, 300, 115200) ?? 33600,
    store: new CenterStore(values['data-dir'] ?? DEFAULT_DATA_DIR),
    plan,
    guardMs: whole('guard-ms', values['guard-ms'], 20, 5000),
    commaMs: whole('comma-ms', values['comma-ms'], 0, 10_000),
    answerDelayMs: whole('answer-ms', values['answer-ms'], 0, 600_000),
    batchWaitMs: whole('batch-wait-ms', values['batch-wait-ms'], 100, 600_000),
    batch: values['no-batch'] !== true,
    log,
  });
  log(`modem: ready ${values.device}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await modem.stop();
  log('modem: stopped');
  return 0;
}
