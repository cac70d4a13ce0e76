/**
 * The manager's list of its agents: every agent that has said hello with the right key, by user
 * system code and server name, with its address, its last report and last heartbeat and the
 * heartbeat interval it announced. Kept in `<data dir>/relay/agents.json` (written atomically, at
 * most once a second); a damaged file is set aside and the list starts again — it is a view of
 * traffic, no report depends on it.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { METHOD_NAMES } from '../../../src-shared/methods';
import { writeFileAtomic } from '../../lib/atomic-file';
import type { AgentIdentity } from './auth';
import { relayDir } from './manager-files';

const agentSchema = z.object({
  userSystemCode: z.string().max(64),
  serverName: z.string().max(255),
  address: z.string().max(100),
  method: z.enum(METHOD_NAMES),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  lastReportAt: z.string().nullable(),
  lastHeartbeatAt: z.string().nullable(),
  heartbeatHours: z.number().int().min(1).max(168),
  reports: z.number().int().min(0),
});
export type AgentRecord = z.infer<typeof agentSchema>;
const fileSchema = z.object({ format: z.literal(1), agents: z.array(agentSchema).max(100_000) });

/** The most agents kept (the least recently seen go first beyond it). */
const MAX_AGENTS = 10_000;

export class AgentBook {
  private readonly agents = new Map<string, AgentRecord>();
  private loaded: Promise<void> | null = null;
  private ready = false;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {}

  private get file(): string {
    return path.join(relayDir(this.dataDir), 'agents.json');
  }

  load(): Promise<void> {
    this.loaded ??= (async () => {
      await this.read();
      this.ready = true;
    })();
    return this.loaded;
  }

  /** The agents list as on disk (a damaged one is set aside). */
  private async read(): Promise<void> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch {
      return;
    }
    try {
      const parsed = fileSchema.parse(JSON.parse(text));
      for (const a of parsed.agents) this.agents.set(keyOf(a), a);
    } catch (err) {
      const aside = `${this.file}.bad`;
      await fsp.rename(this.file, aside).catch(() => undefined);
      this.log(`relay: the agents list ${this.file} was damaged (${(err as Error).message.split('\n')[0]}); set aside as ${aside}, starting a new one`);
    }
  }

  /** An agent proved the key (a hello) and sent a report or a heartbeat. */
  async saw(agent: AgentIdentity, seen: { address: string; method: AgentRecord['method']; heartbeatHours: number; what: 'hello' | 'report' | 'heartbeat' }): Promise<void> {
    // Once read, no wait: a manager sees one per report.
    if (!this.ready) await this.load();
    const at = this.now().toISOString();
    const key = keyOf(agent);
    // The book's own record is changed in place (list() hands out copies): a manager sees one per report.
    const record: AgentRecord = this.agents.get(key) ?? {
      userSystemCode: agent.userSystemCode,
      serverName: agent.serverName,
      address: seen.address,
      method: seen.method,
      firstSeenAt: at,
      lastSeenAt: at,
      lastReportAt: null,
      lastHeartbeatAt: null,
      heartbeatHours: seen.heartbeatHours,
      reports: 0,
    };
    record.address = seen.address;
    record.method = seen.method;
    record.heartbeatHours = seen.heartbeatHours;
    record.lastSeenAt = at;
    if (seen.what === 'report') {
      record.lastReportAt = at;
      record.reports += 1;
    }
    if (seen.what === 'heartbeat') record.lastHeartbeatAt = at;
    this.agents.delete(key);
    this.agents.set(key, record);
    while (this.agents.size > MAX_AGENTS) this.agents.delete(this.agents.keys().next().value!);
    this.schedule();
  }

  async list(): Promise<AgentRecord[]> {
    await this.load();
    return [...this.agents.values()].map((a) => ({ ...a }));
  }

  /** Writes what is pending now (service stop). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty) await this.write();
    await this.writing;
  }

  private schedule(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.write();
    }, 1000);
    this.timer.unref?.();
  }

  private write(): Promise<void> {
    this.dirty = false;
    const text = JSON.stringify({ format: 1, agents: [...this.agents.values()] }, null, 1);
    this.writing = this.writing
      .then(() => writeFileAtomic(this.file, text, 0o600))
      .catch((err: unknown) => this.log(`relay: the agents list could not be written: ${(err as Error).message}`));
    return this.writing;
  }
}

const keyOf = (a: AgentIdentity): string => JSON.stringify([a.userSystemCode, a.serverName]);

/** Whether an agent has been silent for more than twice its heartbeat interval. */
export function isSilent(agent: AgentRecord, now: Date): boolean {
  const last = Math.max(Date.parse(agent.lastSeenAt), agent.lastReportAt ? Date.parse(agent.lastReportAt) : 0, agent.lastHeartbeatAt ? Date.parse(agent.lastHeartbeatAt) : 0);
  return now.getTime() - last > 2 * agent.heartbeatHours * 3600_000;
}
