/**
 * The manager takes an agent's report into its own durable queue as a report of its manager
 * method (the queue's lane), with the agent recorded for the history. The envelope stays the
 * agent's — same id — so the center stores it once however often it is forwarded. An id the
 * queue holds already is acknowledged again and not stored twice (the queue's accept is
 * idempotent). A report whose sender waits (test, opening) is forwarded in one round, and the
 * outcome of that round goes back to the agent.
 */
import type { SealedEnvelope } from '../../../src-shared/report';
import type { Settings } from '../../../src-shared/settings';
import type { ChannelDeps } from '../channel';
import type { AgentIdentity } from './auth';

export type ManagerMethod = 'manager-express' | 'manager-express-https';

export interface IntakeReport {
  /** checked by the receive service; held as text while it waits for the queue (SealedEnvelope) */
  envelope: SealedEnvelope;
  /** finished files, in the envelope's order; the queue moves them */
  files: string[];
  wait: boolean;
  method: ManagerMethod;
  agent: AgentIdentity;
  address: string;
}

export type IntakeAnswer =
  | { ok: true; duplicate: boolean; forwarded: Promise<ForwardOutcome> | null }
  | { ok: false; retryable: boolean; reason: string };

export interface ForwardOutcome {
  delivered: boolean;
  retryable: boolean;
  destination: string;
  detail: string;
}

/** Why the method cannot forward now (its route has no channel in this version, or it is off), or null. */
export function forwardProblem(deps: ChannelDeps, settings: Settings, method: ManagerMethod): string | null {
  if (!settings.methods[method].enabled) return `${method} is not enabled on this manager`;
  // The manager's queue delivers only while its own service runs: held there, reports would wait unseen.
  if (!deps.ctx.reporting()) return "this manager's own service does not run (not opened, ended, or past its contract's end)";
  if (!deps.pipeline.deliverable(settings).includes(method)) {
    const route = method === 'manager-express' ? settings.methods['manager-express'].forward : 'https';
    return route === null ? `${method} has no forwarding method chosen` : `this manager cannot forward by ${route} in this version`;
  }
  return null;
}

export async function takeReport(deps: ChannelDeps, report: IntakeReport): Promise<IntakeAnswer> {
  const queue = await deps.pipeline.queue();
  const held = queue.get(report.envelope.id);
  if (!held) {
    const why = forwardProblem(deps, await deps.ctx.current(), report.method);
    // Not taken: the agent keeps the report and tries again on its schedule.
    if (why) return { ok: false, retryable: true, reason: why };
  }
  const route = { lane: report.method, singleAttempt: report.wait, from: { userSystemCode: report.agent.userSystemCode, serverName: report.agent.serverName, address: report.address } };
  const item = held ?? (await deps.pipeline.accept(report.envelope, report.files.map((file) => ({ file })), route, report.wait ? {} : undefined));
  const duplicate = held !== null;
  if (!report.wait) return { ok: true, duplicate, forwarded: null };
  const forwarded = (async (): Promise<ForwardOutcome> => {
    const settled = item.state === 'delivered' || item.state === 'failed' ? item : await deps.pipeline.outcomeOf(item.id, undefined, held ? undefined : item);
    const e = settled.lastError;
    return {
      delivered: settled.state === 'delivered',
      retryable: e?.retryable ?? false,
      destination: settled.destination ?? '',
      detail: settled.state === 'delivered' ? `delivered to ${settled.destination ?? ''}` : e ? `${e.channel} ${e.step}: ${e.detail}` : (settled.failure ?? 'not delivered'),
    };
  })();
  return { ok: true, duplicate, forwarded };
}
