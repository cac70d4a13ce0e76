/**
 * `express-report manager …`: the relay through a manager from the command line (docs/cli.md):
 * the manager's 宛先登録, relay key, agents and receive services; on an agent, the manager's
 * certificate (probe, trust).
 */
import path from 'node:path';
import type { ApiMethod, CallOutcome, Params } from '../../src-shared/api';

type Call = <M extends ApiMethod>(method: M, params: Params<M>) => Promise<Extract<CallOutcome<M>, { ok: true }>['result']>;
type Values = Record<string, string | boolean | undefined>;

export class ManagerUsageError extends Error {}

const print = (out: (text: string) => void, value: unknown): number => {
  out(JSON.stringify(value, null, 2) + '\n');
  return 0;
};

function agentMethod(values: Values): 'express' | 'express-https' {
  const m = values.method ?? 'express-https';
  if (m !== 'express' && m !== 'express-https') throw new ManagerUsageError('--method is express or express-https (the agent method that reports through the manager)');
  return m;
}

/** Runs `manager SUB`; returns the exit status. */
export async function managerCommand(sub: string | undefined, values: Values, call: Call, out: (text: string) => void): Promise<number> {
  switch (sub) {
    case 'register': {
      if (typeof values['key-file'] !== 'string') throw new ManagerUsageError('manager register takes --key-file FILE');
      return print(out, await call('manager:register', { file: { path: path.resolve(values['key-file']) } }));
    }
    case 'key': {
      const key = await call('manager:key', { renew: values.new === true });
      out(`${key.key}\n`);
      return 0;
    }
    case 'agents': {
      const list = await call('manager:agents', {});
      if (values.json === true) return print(out, list);
      for (const a of list.agents) {
        const last = a.lastReportAt ?? '-';
        const beat = a.lastHeartbeatAt ?? '-';
        out(`${a.silent ? '!' : ' '} ${a.serverName}\t${a.userSystemCode}\t${a.address}\t${a.method}\treport ${last}\theartbeat ${beat}\t${a.reports} report(s)\n`);
        if (a.notice) out(`  ${a.notice}\n`);
      }
      if (list.agents.length === 0) out('no agent has reported to this manager\n');
      return list.silent > 0 ? 1 : 0;
    }
    case 'status':
      return print(out, await call('manager:status', {}));
    case 'probe': {
      const probe = await call('manager:probe', { method: agentMethod(values) });
      out(`${probe.message}\n`);
      return probe.reached ? 0 : 1;
    }
    case 'trust': {
      if (typeof values.fingerprint !== 'string') throw new ManagerUsageError('manager trust takes --fingerprint FP (as `manager probe` shows it, or "" to forget the pin)');
      const fp = values.fingerprint.toUpperCase();
      out(`${(await call('manager:trust', { method: agentMethod(values), fingerprint: fp })).pinned || '(none pinned)'}\n`);
      return 0;
    }
    default:
      throw new ManagerUsageError(`unknown command: manager ${sub ?? ''}`.trim());
  }
}
