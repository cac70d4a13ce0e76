/**
 * `express-report serial-ports` and `zero-dial` (docs/cli.md): the dial-up channel's commands,
 * through the service API like every other command.
 */
import type { ApiMethod, CallOutcome, Params } from '../../src-shared/api';
import { UsageError } from './usage';

type Call = <M extends ApiMethod>(method: M, params: Params<M>) => Promise<Extract<CallOutcome<M>, { ok: true }>['result']>;

/** `serial-ports`: one port a line (path, then the maker), or the list as JSON. */
export async function serialPorts(call: Call, json: boolean, print: (value: unknown) => number): Promise<number> {
  const { ports } = await call('dialup:ports', {});
  if (json) return print(ports);
  for (const port of ports) process.stdout.write(`${port.manufacturer ? `${port.path}\t${port.manufacturer}` : port.path}\n`);
  return 0;
}

/** `zero-dial on|off|status`: the state and both numbers as stored after it. */
export async function zeroDialCommand(values: Record<string, string | boolean | undefined>, action: string | undefined, rest: string[], call: Call, print: (value: unknown) => number): Promise<number> {
  if ((action !== 'on' && action !== 'off' && action !== 'status') || rest.length > 0) throw new UsageError('zero-dial takes on, off or status');
  const method = values.method ?? 'express';
  if (method !== 'express' && method !== 'manager-express') throw new UsageError('zero-dial --method is express or manager-express');
  const out = await call('dialup:zeroDial', { method, action });
  if (values.json === true) return print(out);
  process.stdout.write(`zero-dial: ${out.state}\nprimary: ${out.primary}\nsecondary: ${out.secondary}\n`);
  return 0;
}
