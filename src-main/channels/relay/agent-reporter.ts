/**
 * The agent's reporter for the route マネージャ経由 (both editions): the report goes over the
 * link to the manager, which acknowledges it once it is durable in its own queue; a test or
 * opening report also waits for the manager's forward to the center, so that the window says
 * whether it reached the center. Links are shared: one per manager and agent, kept open a short
 * while for the next report.
 */
import { createHash } from 'node:crypto';
import type { ReportKind } from '../../../src-shared/report';
import { readRegularFile } from '../../platform/bounded-file';
import type { Delivery, OutgoingReport, Reporter } from '../reporter';
import { AgentLink, type LinkConfig } from './agent-link';
import { RelayError } from './relay-error';

export interface RelayTarget {
  host: string;
  port: number;
  key: string;
  fingerprint: string;
  caFile: string;
  heartbeatHours: number;
  timeoutMs: number;
}

/** Reports whose sender waits for the forward's outcome (the window shows it). */
export const WAITED_KINDS: ReadonlySet<ReportKind> = new Set(['test', 'opening', 'reach-test']);
/** how long an unused link stays open */
const LINK_IDLE_MS = 15_000;

const links = new Map<string, Promise<AgentLink>>();
let sweeper: NodeJS.Timeout | null = null;

function sweep(): void {
  for (const [key, opening] of links) {
    void opening.then(
      (link) => {
        if (!link.usable || (link.inFlight === 0 && Date.now() - link.lastUsed > LINK_IDLE_MS)) {
          if (links.get(key) === opening) links.delete(key);
          link.close();
        }
      },
      () => undefined,
    );
  }
  if (links.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

/** A usable link for `config`: the open one, or a new one. */
export async function linkFor(config: LinkConfig, signal?: AbortSignal): Promise<AgentLink> {
  const key = JSON.stringify([config.host, config.port, createHash('sha256').update(config.key).digest('hex'), config.fingerprint, config.ca, config.agent]);
  const existing = links.get(key);
  if (existing) {
    const link = await existing.catch(() => null);
    if (link?.usable) return link;
    if (links.get(key) === existing) links.delete(key);
  }
  const opening = AgentLink.open(config, signal);
  links.set(key, opening);
  opening.catch(() => {
    if (links.get(key) === opening) links.delete(key);
  });
  sweeper ??= setInterval(sweep, 5_000).unref();
  return opening;
}

/** Closes every open link (tests, shutdown). */
export async function closeRelayLinks(): Promise<void> {
  const all = [...links.values()];
  links.clear();
  for (const link of await Promise.all(all.map((l) => l.catch(() => null)))) link?.close();
}

/** The link's settings from the target; a failure for a missing host or key or a bad CA file. */
export async function linkConfig(target: RelayTarget, agent: LinkConfig['agent']): Promise<LinkConfig | RelayError> {
  if (!target.host.trim()) return new RelayError('config', false, 'the address of the manager is not set');
  if (!target.key.trim()) return new RelayError('config', false, 'the relay key is not set (the manager shows it: manager key)');
  let ca: string | null = null;
  if (target.caFile) {
    const read = await readRegularFile(target.caFile, 1024 * 1024);
    if (!read.ok) return new RelayError('config', false, `the CA file ${target.caFile} cannot be read (${read.problem})`);
    ca = read.bytes.toString('utf8');
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) return new RelayError('config', false, `the CA file ${target.caFile} holds no PEM certificate`);
  }
  return { host: target.host.trim(), port: target.port, key: target.key, fingerprint: target.fingerprint, ca, agent, heartbeatHours: target.heartbeatHours, timeoutMs: target.timeoutMs };
}

export interface RelayReporterOptions {
  /** a report reached a manager whose certificate was not pinned yet: pin it */
  onFirstContact?(fingerprint: string): Promise<void> | void;
}

export function createRelayReporter(target: RelayTarget, options: RelayReporterOptions = {}): Reporter {
  const destination = `${target.host}:${target.port}`;
  const failed = (err: RelayError): Delivery => ({ ok: false, destination, channel: 'relay', step: err.step, retryable: err.retryable, detail: err.message });

  async function send(report: OutgoingReport, { signal }: { signal?: AbortSignal } = {}): Promise<Delivery> {
    const agent = { userSystemCode: report.envelope.contract.userSystemCode, serverName: report.envelope.server.serverName };
    const config = await linkConfig(target, agent);
    if (config instanceof RelayError) return failed(config);
    try {
      const link = await linkFor(config, signal);
      const outcome = await link.send(report, WAITED_KINDS.has(report.envelope.kind), signal);
      if (!target.fingerprint && !target.caFile) await options.onFirstContact?.(link.fingerprint);
      const id = report.envelope.id;
      if (!outcome.forwarded) {
        return { ok: true, destination, detail: outcome.duplicate ? `the manager already had report ${id} and acknowledged it again` : `the manager stored report ${id}` };
      }
      const f = outcome.forwarded;
      if (f.delivered) return { ok: true, destination, detail: `the manager forwarded report ${id} to ${f.destination}` };
      return failed(new RelayError('manager-refused', f.retryable, `the manager could not forward report ${id} to the center: ${f.detail}`));
    } catch (err) {
      if (err instanceof RelayError) return failed(signal?.aborted ? new RelayError('cancelled', true, 'cancelled') : err);
      return failed(new RelayError('protocol', true, String(err)));
    }
  }

  return { name: destination, channel: 'relay', send };
}
