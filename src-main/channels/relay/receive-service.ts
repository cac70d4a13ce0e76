/**
 * A manager method's receive service follows its settings (seed L1665–1675, L3142–3154): it
 * listens on the method's receive port while the method is enabled, and not otherwise —
 * enabling starts it, disabling stops it, a changed port moves it. The manager's certificate is
 * made the first time one listens.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ChannelDeps, ChannelService } from '../channel';
import type { AgentBook } from './agents';
import { takeReport, type ManagerMethod } from './intake';
import { managerIdentity, managerRelayKey } from './manager-files';
import { RelayReceiver, type ReceiverLimits } from './receiver';
import { errorText } from '../../lib/error-text';

export interface ReceiveStatus {
  listening: boolean;
  address: string | null;
  connections: number;
  /** why it does not listen although the method is enabled (English, for the log and the API's detail) */
  problem: string | null;
  /** the system's code for it (EADDRINUSE: another program holds the port; EACCES: not allowed), null when none */
  problemCode?: string | null;
}

export interface ReceiveServiceOptions {
  /** the address listened on (default every interface: agents are other machines) */
  listenHost: string;
  limits?: Partial<ReceiverLimits>;
  /** how often the settings are looked at besides the change events (another process may write them) */
  recheckMs: number;
}

export class ReceiveService implements ChannelService {
  private receiver: RelayReceiver | null = null;
  private port: number | null = null;
  private problem: string | null = null;
  private problemCode: string | null = null;
  private syncing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly deps: ChannelDeps,
    readonly method: ManagerMethod,
    private readonly agents: AgentBook,
    private readonly options: ReceiveServiceOptions,
  ) {}

  start(): void {
    this.running = true;
    this.settingsChanged();
    this.timer = setInterval(() => this.settingsChanged(), this.options.recheckMs);
    this.timer.unref();
  }

  settingsChanged(): void {
    this.syncing = this.syncing.then(() => this.sync()).catch((err: unknown) => this.deps.log(`relay ${this.method}: ${errorText(err)}`));
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.settingsChanged();
    await this.syncing;
    await this.agents.flush();
  }

  /** Closes the links in hand and keeps listening (see RelayReceiver.dropConnections). */
  dropConnections(): number {
    return this.receiver?.dropConnections() ?? 0;
  }

  status(): ReceiveStatus {
    const a = this.receiver?.address;
    return { listening: this.receiver !== null, address: a ? `${a.host}:${a.port}` : null, connections: this.receiver?.connections ?? 0, problem: this.problem, problemCode: this.problemCode };
  }

  /** Settles the listener in hand (tests wait for it after a change). */
  settled(): Promise<void> {
    return this.syncing;
  }

  private async sync(): Promise<void> {
    const before = { receiver: this.receiver, problem: this.problem };
    try {
      await this.syncNow();
    } finally {
      // The windows ask manager:status again once a receive service started, stopped or could not listen.
      if (this.receiver !== before.receiver || this.problem !== before.problem) this.deps.ctx.emit({ type: 'manager:changed' });
    }
  }

  private async syncNow(): Promise<void> {
    const settings = await this.deps.ctx.current();
    const m = settings.methods[this.method];
    const wanted = this.running && m.enabled ? m.receivePort : null;
    if (wanted === this.port && (this.receiver !== null || wanted === null)) return;
    if (this.receiver) {
      const was = this.receiver.address;
      await this.receiver.close();
      this.receiver = null;
      this.deps.log(`relay ${this.method}: stopped listening on ${was.host}:${was.port}`);
    }
    this.port = wanted;
    this.problem = null;
    this.problemCode = null;
    if (wanted === null) return;
    const dataDir = this.deps.ctx.dataDir;
    const tempDir = path.join(dataDir, 'tmp');
    await fsp.mkdir(tempDir, { recursive: true, mode: 0o700 });
    const identity = await managerIdentity(dataDir, (line) => this.deps.log(line));
    await managerRelayKey(dataDir);
    try {
      this.receiver = await RelayReceiver.listen(
        {
          method: this.method,
          identity,
          relayKey: () => managerRelayKey(dataDir),
          forward: async () => (this.method === 'manager-express' ? (await this.deps.ctx.current()).methods['manager-express'].forward : 'https'),
          take: (report) => takeReport(this.deps, report),
          agents: this.agents,
          tempDir,
          log: (line) => this.deps.log(line),
          limits: this.options.limits,
        },
        wanted,
        this.options.listenHost,
      );
      const a = this.receiver.address;
      this.deps.log(`relay ${this.method}: listening on ${a.host}:${a.port} (certificate ${identity.fingerprint})`);
    } catch (err) {
      this.problem = `port ${wanted} cannot be listened on: ${errorText(err)}`;
      this.problemCode = typeof (err as NodeJS.ErrnoException).code === 'string' ? (err as NodeJS.ErrnoException).code! : null;
      this.deps.log(`relay ${this.method}: ${this.problem}`);
    }
  }
}
