/**
 * A manager method's receive service (マネージャからのエクスプレス通報 / (HTTPS)): a TLS listener
 * on its receive port, one Inbound per agent connection (inbound.ts). What can hold or crash a
 * listener is bounded here: the number of connections (beyond the cap a connection is closed at
 * once), the TLS handshake's time, and every drop is one log line naming the address.
 */
import type net from 'node:net';
import tls from 'node:tls';
import type { AgentBook } from './agents';
import { Inbound, type InboundDeps } from './inbound';
import type { IntakeAnswer, IntakeReport, ManagerMethod } from './intake';
import type { ManagerIdentity } from './manager-files';

export interface ReceiverLimits {
  /** connections at a time (TCP, before TLS) */
  maxConnections: number;
  /**
   * connections at a time that have not said a verified hello yet; beyond it the oldest of them
   * is dropped, so that a flood of idle connections cannot keep a real agent out
   */
  maxPending: number;
  /** from the TCP connection to a verified hello */
  helloMs: number;
  /** the longest silence of an agent with nothing in hand */
  idleMs: number;
  /** the most attachment bytes of one report */
  maxReportBytes: number;
  /** reports of one connection being stored or forwarded at a time; reading pauses beyond it */
  maxInFlight: number;
  /** how often a keep-alive goes while a report is in hand */
  keepaliveMs: number;
  /** bytes waiting to be written to an agent that does not read them */
  maxWriteBacklog: number;
}

export const DEFAULT_RECEIVER_LIMITS: ReceiverLimits = {
  maxConnections: 4000,
  maxPending: 1000,
  helloMs: 10_000,
  idleMs: 120_000,
  maxReportBytes: 512 * 1024 * 1024,
  maxInFlight: 64,
  keepaliveMs: 5_000,
  maxWriteBacklog: 1024 * 1024,
};

export interface ReceiverDeps {
  method: ManagerMethod;
  identity: ManagerIdentity;
  /** the relay key now (read at every hello, so a new key counts at once) */
  relayKey(): Promise<string>;
  /** how the manager forwards now ('https', 'mail', 'dialup', null), told in the welcome */
  forward(): Promise<string | null>;
  take(report: IntakeReport): Promise<IntakeAnswer>;
  agents: AgentBook;
  /** where attachments are written while they arrive (same file system as the queue) */
  tempDir: string;
  log(line: string): void;
  limits?: Partial<ReceiverLimits>;
}

export class RelayReceiver {
  private readonly sockets = new Set<net.Socket>();
  private readonly inbound = new Set<Inbound>();
  /** connections without a verified hello, oldest first, by address */
  private readonly pending = new Map<string, net.Socket>();
  private readonly limits: ReceiverLimits;
  private overCap = 0;
  private overCapTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly server: tls.Server,
    private readonly deps: ReceiverDeps,
  ) {
    this.limits = { ...DEFAULT_RECEIVER_LIMITS, ...deps.limits };
  }

  /** Listens on `host:port`; rejects when the port cannot be had (in use, no permission). */
  static async listen(deps: ReceiverDeps, port: number, host: string): Promise<RelayReceiver> {
    const limits = { ...DEFAULT_RECEIVER_LIMITS, ...deps.limits };
    const server = tls.createServer({ cert: deps.identity.certPem, key: deps.identity.keyPem, minVersion: 'TLSv1.2', handshakeTimeout: limits.helloMs });
    const receiver = new RelayReceiver(server, deps);
    server.on('connection', (socket: net.Socket) => receiver.onConnection(socket));
    server.on('secureConnection', (socket: tls.TLSSocket) => receiver.onSecure(socket));
    server.on('tlsClientError', (err, socket) => {
      deps.log(`relay ${deps.method}: dropped ${addressOf(socket)}: TLS handshake failed (${err.message.split('\n')[0]})`);
      socket.destroy();
    });
    server.on('error', (err) => deps.log(`relay ${deps.method}: listener error: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, backlog: 511 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return receiver;
  }

  get address(): { host: string; port: number } {
    const a = this.server.address() as net.AddressInfo;
    return { host: a.address, port: a.port };
  }

  get connections(): number {
    return this.sockets.size;
  }

  /**
   * Closes every connection and keeps listening (a new relay key: each agent must prove the new
   * one on a new link). A report not yet acknowledged stays in its agent's queue and is sent again.
   */
  dropConnections(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  /** Stops listening and closes every connection; reports being stored finish first. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.inbound].map((i) => i.shutdown()));
    for (const s of this.sockets) s.destroy();
    await closed;
    if (this.overCapTimer) clearTimeout(this.overCapTimer);
  }

  private onConnection(socket: net.Socket): void {
    if (this.sockets.size >= this.limits.maxConnections) {
      socket.destroy();
      this.noteOverCap();
      return;
    }
    if (this.pending.size >= this.limits.maxPending) {
      const [oldest, victim] = this.pending.entries().next().value!;
      this.pending.delete(oldest);
      this.deps.log(`relay ${this.deps.method}: dropped ${oldest}: the oldest of ${this.limits.maxPending} connections waiting for their hello`);
      victim.destroy();
    }
    const address = addressOf(socket);
    this.sockets.add(socket);
    this.pending.set(address, socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (this.pending.get(address) === socket) this.pending.delete(address);
    });
    socket.on('error', () => undefined);
  }

  /** One line per second at most for connections over the cap (a flood must not flood the log). */
  private noteOverCap(): void {
    this.overCap++;
    this.overCapTimer ??= setTimeout(() => {
      this.deps.log(`relay ${this.deps.method}: refused ${this.overCap} connection(s) over the cap of ${this.limits.maxConnections}`);
      this.overCap = 0;
      this.overCapTimer = null;
    }, 1000);
  }

  private onSecure(socket: tls.TLSSocket): void {
    const address = addressOf(socket);
    const deps: InboundDeps = { ...this.deps, limits: this.limits, authenticated: () => this.pending.delete(address) };
    const inbound = new Inbound(socket, deps);
    this.inbound.add(inbound);
    socket.once('close', () => this.inbound.delete(inbound));
    inbound.start();
  }
}

export function addressOf(socket: net.Socket | tls.TLSSocket): string {
  const host = socket.remoteAddress ?? '?';
  return `${host.includes(':') ? `[${host}]` : host}:${socket.remotePort ?? '?'}`;
}
