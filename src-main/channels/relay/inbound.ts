/**
 * One agent's connection to a manager (docs/formats/relay.md): the challenge, the hello checked
 * against the relay key, then reports — each a `report` frame, its attachments as `chunk`
 * frames written to files as they come (size and sha256 checked), and `end` — each taken into
 * the queue and acknowledged only once durable. Nothing an agent sends can crash or hold the
 * manager: bad frames, a hello that does not come in time, silence, an agent that does not read
 * what it is sent — each ends the connection with one log line.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import path from 'node:path';
import type tls from 'node:tls';
import { checkEnvelope, sealEnvelope, type SealedEnvelope } from '../../../src-shared/report';
import { agentProof, managerProof, newNonce, sameProof, type AgentIdentity } from './auth';
import { control, FrameError, FrameReader, RELAY_VERSION, type Frame } from './frames';
import type { ReceiverDeps, ReceiverLimits } from './receiver';
import { addressOf } from './receiver';

/** how long a stop waits for the reports in hand */
const SHUTDOWN_WAIT_MS = 3000;

/** Which agent method each manager method takes reports of (the edition must match). */
const AGENT_METHOD_OF = { 'manager-express': 'express', 'manager-express-https': 'express-https' } as const;

export type InboundDeps = ReceiverDeps & {
  limits: ReceiverLimits;
  /** the hello was verified: the connection no longer counts as waiting for it */
  authenticated(): void;
};

interface Part {
  file: string;
  size: number;
  sha256: string;
  written: number;
  hash: Hash;
  stream: WriteStream | null;
  /** the file could not be written */
  failed?: Error;
}

interface Incoming {
  seq: number;
  envelope: SealedEnvelope | null;
  wait: boolean;
  parts: Part[];
  at: number;
  /** refused at its report frame: its chunks are skipped until its end */
  discard: boolean;
}

export class Inbound {
  private readonly reader = new FrameReader();
  private readonly address: string;
  private readonly nonce = newNonce();
  private state: 'hello' | 'ready' | 'closed' = 'hello';
  private agent: AgentIdentity | null = null;
  private heartbeatHours = 24;
  private current: Incoming | null = null;
  private inFlight = 0;
  private corked = false;
  private readonly work = new Set<Promise<void>>();
  private helloTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private keepalive: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: tls.TLSSocket,
    private readonly deps: InboundDeps,
  ) {
    this.address = addressOf(socket);
  }

  start(): void {
    const { socket, deps } = this;
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err) => this.drop(`connection error (${err.message})`));
    socket.on('close', () => this.closed());
    this.helloTimer = setTimeout(() => this.drop(`no hello within ${deps.limits.helloMs / 1000} s`), deps.limits.helloMs);
    this.touch();
    this.send(control('challenge', { version: RELAY_VERSION, nonce: this.nonce }));
  }

  /**
   * The service stops: reports being stored finish (a forward an agent waits for is not waited
   * out: the report is durable, the agent learns its outcome from its own retry), then the
   * connection is closed.
   */
  async shutdown(): Promise<void> {
    this.socket.pause();
    await Promise.race([Promise.all([...this.work]), new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())]);
    if (this.state !== 'closed') this.socket.end(control('bye'));
    this.state = 'closed';
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private who(): string {
    return this.agent ? `${this.address} (${this.agent.serverName}, ${this.agent.userSystemCode})` : this.address;
  }

  private drop(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.deps.log(`relay ${this.deps.method}: dropped ${this.who()}: ${reason}`);
    this.socket.destroy();
    this.closed();
  }

  private closed(): void {
    this.state = 'closed';
    for (const t of [this.helloTimer, this.idleTimer]) if (t) clearTimeout(t);
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
    if (this.current) void this.discardFiles(this.current);
    this.current = null;
  }

  private send(bytes: Buffer): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    if (this.socket.writableLength > this.deps.limits.maxWriteBacklog) {
      this.drop(`it does not read what it is sent (${this.socket.writableLength} bytes waiting)`);
      return;
    }
    // The acknowledgements of one group commit leave in one TLS write, not one record each.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(bytes);
  }

  /** Silence is dropped only while nothing is in hand (a slow forward is not the agent's silence). */
  private touch(): void {
    // Every frame touches it: the timer is moved, not made again.
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      if (this.inFlight > 0) this.touch();
      else this.drop(`idle for ${this.deps.limits.idleMs / 1000} s`);
    }, this.deps.limits.idleMs);
  }

  private onData(data: Buffer): void {
    if (this.state === 'closed') return;
    this.touch();
    let frames: Frame[];
    try {
      frames = this.reader.push(data);
    } catch (err) {
      this.drop(err instanceof FrameError ? `bad frame: ${err.message}` : `bad input: ${(err as Error).message}`);
      return;
    }
    for (const frame of frames) {
      // A frame before this one may have ended the connection.
      if (this.isClosed()) return;
      try {
        if (this.state === 'hello') this.onHello(frame).catch((err: unknown) => this.drop(`the hello could not be checked: ${(err as Error).message}`));
        else this.onFrame(frame);
      } catch (err) {
        this.drop(`bad ${frame.type} frame: ${(err as Error).message}`);
      }
    }
  }

  private async onHello(frame: Frame): Promise<void> {
    if (frame.type !== 'hello') return this.drop(`sent ${frame.type} before its hello`);
    this.socket.pause();
    const b = frame.body;
    const agent = b.agent as Partial<AgentIdentity> | undefined;
    if (b.version !== RELAY_VERSION) return this.refuse(`relay version ${String(b.version)} is not ${RELAY_VERSION}`);
    if (typeof agent?.userSystemCode !== 'string' || typeof agent.serverName !== 'string' || agent.userSystemCode.length > 64 || agent.serverName.length > 255 || !agent.serverName) {
      return this.refuse('the hello does not name the agent (user system code, server name)');
    }
    if (typeof b.nonce !== 'string' || !/^[0-9a-f]{64}$/.test(b.nonce)) return this.refuse('the hello has no nonce');
    const identity = { userSystemCode: agent.userSystemCode, serverName: agent.serverName };
    const key = await this.deps.relayKey();
    // The connection may have ended while the key was read.
    if (this.socket.destroyed) return;
    if (!sameProof(b.proof, agentProof(key, this.nonce, b.nonce, this.deps.identity.fingerprint, identity))) {
      this.agent = identity;
      return this.refuse('the relay key does not match');
    }
    this.agent = identity;
    const hours = Number(b.heartbeatHours);
    this.heartbeatHours = Number.isInteger(hours) && hours >= 1 && hours <= 168 ? hours : 24;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    this.state = 'ready';
    this.deps.authenticated();
    const forward = await this.deps.forward().catch(() => null);
    this.send(control('welcome', { proof: managerProof(key, this.nonce, b.nonce, this.deps.identity.fingerprint), forward }));
    void this.deps.agents.saw(identity, { address: this.address, method: this.deps.method, heartbeatHours: this.heartbeatHours, what: 'hello' });
    this.socket.resume();
  }

  private refuse(reason: string): void {
    this.deps.log(`relay ${this.deps.method}: refused ${this.who()}: ${reason}`);
    this.send(control('refused', { reason }));
    this.state = 'closed';
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onFrame(frame: Frame): void {
    switch (frame.type) {
      case 'report':
        return this.onReport(frame.body);
      case 'chunk':
        return this.onChunk(frame.data);
      case 'end':
        return this.onEnd(frame.body);
      case 'heartbeat': {
        const seq = Number(frame.body.seq);
        void this.deps.agents.saw(this.agent!, { address: this.address, method: this.deps.method, heartbeatHours: this.heartbeatHours, what: 'heartbeat' });
        return this.send(control('ack', { seq, heartbeat: true }));
      }
      case 'keepalive':
        return;
      case 'bye':
        this.state = 'closed';
        this.socket.end();
        return;
      default:
        return this.drop(`sent a ${frame.type} frame, which agents do not send`);
    }
  }

  private onReport(body: Record<string, unknown>): void {
    if (this.current) return this.drop('a report frame came before the end of the one before');
    const seq = body.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return this.drop('a report frame without its sequence number');
    const refuse = (reason: string) => {
      this.current = { seq, envelope: null, wait: false, parts: [], at: 0, discard: true };
      this.send(control('nack', { seq, id: typeof body.id === 'string' ? body.id.slice(0, 64) : '', retryable: false, reason }));
    };
    const parsed = checkEnvelope(body.envelope);
    if (!parsed.success) return refuse(`the envelope is invalid at ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message ?? ''}`);
    const envelope = parsed.data;
    if (body.id !== envelope.id) return refuse('the report id is not the envelope id');
    if (envelope.method !== AGENT_METHOD_OF[this.deps.method]) {
      return refuse(`a report of ${envelope.method} came to the receive port of ${this.deps.method}, which takes ${AGENT_METHOD_OF[this.deps.method]} (check the manager's port number on the agent)`);
    }
    const agent = this.agent!;
    if (envelope.contract.userSystemCode !== agent.userSystemCode || envelope.server.serverName !== agent.serverName) {
      return refuse(`the report is of ${envelope.server.serverName} (${envelope.contract.userSystemCode}), not of the agent that said hello`);
    }
    const total = envelope.attachments.reduce((n, a) => n + a.size, 0);
    if (total > this.deps.limits.maxReportBytes) return refuse(`its attachments have ${total} bytes, more than the ${this.deps.limits.maxReportBytes} this manager takes`);
    const stamp = envelope.attachments.length > 0 ? randomBytes(4).toString('hex') : '';
    const parts = envelope.attachments.map((a, i): Part => ({
      file: path.join(this.deps.tempDir, `relay-${envelope.id}-${seq}-${i}-${stamp}`),
      size: a.size,
      sha256: a.sha256,
      written: 0,
      hash: createHash('sha256'),
      stream: null,
    }));
    this.current = { seq, envelope: sealEnvelope(envelope), wait: body.wait === true, parts, at: 0, discard: false };
  }

  private onChunk(data: Buffer): void {
    const c = this.current;
    if (!c) return this.drop('a chunk frame outside a report');
    if (c.discard) return;
    while (c.at < c.parts.length && c.parts[c.at]!.written === c.parts[c.at]!.size) c.at++;
    const part = c.parts[c.at];
    if (!part || data.length > part.size - part.written) return this.drop(`report ${c.envelope!.id}: more attachment bytes than its envelope says`);
    part.written += data.length;
    part.hash.update(data);
    if (!part.stream) {
      part.stream = createWriteStream(part.file, { mode: 0o600 });
      // A write that fails (a full disk) is said when the report ends: it is not taken, the agent keeps it.
      part.stream.on('error', (err) => (part.failed ??= err));
    }
    if (!part.stream.write(data)) {
      // The disk is slower than the agent: read no more until it has caught up.
      this.socket.pause();
      part.stream.once('drain', () => {
        if (this.inFlight < this.deps.limits.maxInFlight) this.socket.resume();
      });
    }
  }

  private onEnd(body: Record<string, unknown>): void {
    const c = this.current;
    if (!c || body.seq !== c.seq) return this.drop('an end frame that ends no report');
    this.current = null;
    if (c.discard) return;
    const work = this.finish(c).catch((err: unknown) => {
      this.deps.log(`relay ${this.deps.method}: report ${c.envelope!.id} from ${this.who()} not taken: ${(err as Error).message}`);
      this.send(control('nack', { seq: c.seq, id: c.envelope!.id, retryable: true, reason: `the manager could not store it: ${(err as Error).message}` }));
    });
    this.track(work);
  }

  private track(work: Promise<void>): void {
    this.inFlight++;
    if (this.inFlight >= this.deps.limits.maxInFlight) this.socket.pause();
    this.keepalive ??= setInterval(() => this.send(control('keepalive')), this.deps.limits.keepaliveMs);
    this.work.add(work);
    void work.finally(() => {
      this.work.delete(work);
      this.inFlight--;
      if (this.inFlight < this.deps.limits.maxInFlight && this.state === 'ready') this.socket.resume();
      if (this.inFlight === 0 && this.keepalive) {
        clearInterval(this.keepalive);
        this.keepalive = null;
      }
    });
  }

  private async finish(c: Incoming): Promise<void> {
    const envelope = c.envelope!;
    const nack = (reason: string) => this.send(control('nack', { seq: c.seq, id: envelope.id, retryable: false, reason }));
    try {
      for (const p of c.parts) {
        if (p.written !== p.size) return nack(`an attachment has ${p.written} of its ${p.size} bytes`);
        if (p.failed) throw p.failed;
        if (p.stream) await new Promise<void>((resolve, reject) => {
          p.stream!.once('error', reject);
          p.stream!.end(() => resolve());
        });
        else await fsp.writeFile(p.file, Buffer.alloc(0), { mode: 0o600 });
        if (p.hash.digest('hex') !== p.sha256) return nack('an attachment does not match its sha256');
      }
      const answer = await this.deps.take({ envelope, files: c.parts.map((p) => p.file), wait: c.wait, method: this.deps.method, agent: this.agent!, address: this.address });
      if (!answer.ok) {
        this.deps.log(`relay ${this.deps.method}: report ${envelope.id} from ${this.who()} refused: ${answer.reason}`);
        this.send(control('nack', { seq: c.seq, id: envelope.id, retryable: answer.retryable, reason: answer.reason }));
        return;
      }
      // Durable in the queue: only now is it acknowledged.
      this.send(control('ack', { seq: c.seq, id: envelope.id, duplicate: answer.duplicate }));
      if (!answer.duplicate) void this.deps.agents.saw(this.agent!, { address: this.address, method: this.deps.method, heartbeatHours: this.heartbeatHours, what: 'report' });
      if (answer.forwarded) {
        const f = await answer.forwarded;
        this.send(control('result', { seq: c.seq, id: envelope.id, ...f }));
      }
    } finally {
      if (c.parts.length > 0) await this.discardFiles(c);
    }
  }

  /** Removes what is left of a report's files (the queue moved those it took). */
  private async discardFiles(c: Incoming): Promise<void> {
    await Promise.all(
      c.parts.map(async (p) => {
        p.stream?.destroy();
        await fsp.rm(p.file, { force: true }).catch(() => undefined);
      }),
    );
  }
}
