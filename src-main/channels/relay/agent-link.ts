/**
 * The agent's end of the link to a manager (docs/formats/relay.md): TLS, the manager's
 * certificate checked (pinned fingerprint or a CA file), the hello with the relay key's proof,
 * then reports sent one after another on the connection while their acknowledgements come back
 * in any order. A link is kept open a little while for the next report (links.ts).
 *
 * The certificate check fails closed. With a CA file, Node's own verification runs (chain and
 * name) and a pinned fingerprint must match too. Without one the manager's certificate is its
 * own (self-signed): the handshake completes, and before a single byte is written the peer's
 * certificate must be the pinned one — or, when nothing is pinned yet (the first report), the
 * manager must prove the relay key over a transcript that names the certificate the agent saw.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { OutgoingReport } from '../reporter';
import { agentProof, managerProof, newNonce, sameProof, type AgentIdentity } from './auth';
import { control, encodeFrame, FrameReader, MAX_CHUNK_BYTES, RELAY_VERSION, type Frame } from './frames';
import { linkFailure, RelayError } from './relay-error';

export interface LinkConfig {
  host: string;
  port: number;
  key: string;
  /** the pinned certificate, '' when none */
  fingerprint: string;
  /** PEM text of the CA file, when one is set */
  ca: string | null;
  agent: AgentIdentity;
  heartbeatHours: number;
  /** connecting and the hello; and the longest silence while a report is in hand */
  timeoutMs: number;
}

export type SendOutcome =
  | { stored: true; duplicate: boolean; forwarded: null }
  | { stored: true; duplicate: boolean; forwarded: { delivered: boolean; retryable: boolean; destination: string; detail: string } };

interface Pending {
  id: string;
  wait: boolean;
  stored: boolean;
  duplicate: boolean;
  resolve(outcome: SendOutcome): void;
  reject(err: RelayError): void;
}

const fingerprintOfRaw = (raw: Buffer): string =>
  createHash('sha256')
    .update(raw)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');

export class AgentLink {
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: RelayError | null = null;
  private silence: NodeJS.Timeout | null = null;
  /** when the link was last used; the pool closes it after a while */
  lastUsed = Date.now();

  private constructor(
    private readonly socket: tls.TLSSocket,
    /** the manager's certificate as presented on this link */
    readonly fingerprint: string,
    private readonly timeoutMs: number,
    /** how the manager forwards ('https', 'mail', 'dialup'), as its welcome said; null when it did not say */
    readonly forward: string | null = null,
  ) {
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err) => this.fail(linkFailure(err, 'the link to the manager broke')));
    socket.on('close', () => this.fail(new RelayError('connect', true, 'the manager closed the connection')));
  }

  /** Connects, checks the certificate and says hello; throws RelayError. */
  static async open(config: LinkConfig, signal?: AbortSignal): Promise<AgentLink> {
    if (signal?.aborted) throw new RelayError('cancelled', true, 'cancelled');
    const socket = tls.connect({
      host: config.host,
      port: config.port,
      servername: isIP(config.host) ? undefined : config.host,
      minVersion: 'TLSv1.2',
      // With a CA file Node verifies chain and name; without one the check below is the verification.
      ...(config.ca ? { ca: config.ca, rejectUnauthorized: true } : { rejectUnauthorized: false }),
    });
    // Errors are read where they matter; none may go unhandled once the link has given up.
    socket.on('error', () => undefined);
    const deadline = setTimeout(() => socket.destroy(new RelayError('timeout', true, `no hello from the manager within ${config.timeoutMs / 1000} s`)), config.timeoutMs);
    const cancel = () => socket.destroy(new RelayError('cancelled', true, 'cancelled'));
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.on('error', reject);
      });
      const peer = socket.getPeerCertificate(false);
      if (!peer?.raw) throw new RelayError('tls', true, 'the manager presented no certificate');
      const presented = fingerprintOfRaw(peer.raw);
      if (config.fingerprint && presented !== config.fingerprint) {
        throw new RelayError('manager-cert', true, `the manager's certificate changed: ${presented} is presented, ${config.fingerprint} is pinned; if the manager made a new certificate, accept it (manager trust)`, presented);
      }
      const reader = new FrameReader();
      const next = nextFrame(socket, reader);
      const challenge = await next();
      if (challenge.type === 'refused') throw new RelayError('manager-refused', true, `the manager refused the connection: ${String(challenge.body.reason ?? '')}`);
      if (challenge.type !== 'challenge' || typeof challenge.body.nonce !== 'string') throw new RelayError('protocol', true, `the manager sent ${challenge.type} instead of its challenge`);
      if (challenge.body.version !== RELAY_VERSION) throw new RelayError('protocol', true, `the manager speaks relay version ${String(challenge.body.version)}, this agent ${RELAY_VERSION}`);
      const managerNonce = challenge.body.nonce;
      const agentNonce = newNonce();
      socket.write(
        control('hello', {
          version: RELAY_VERSION,
          agent: config.agent,
          nonce: agentNonce,
          proof: agentProof(config.key, managerNonce, agentNonce, presented, config.agent),
          heartbeatHours: config.heartbeatHours,
        }),
      );
      const answer = await next();
      if (answer.type === 'refused') throw new RelayError('manager-auth', true, `the manager refused this agent: ${String(answer.body.reason ?? '')}`);
      if (answer.type !== 'welcome') throw new RelayError('protocol', true, `the manager sent ${answer.type} instead of its welcome`);
      if (!sameProof(answer.body.proof, managerProof(config.key, managerNonce, agentNonce, presented))) {
        throw new RelayError('manager-auth', true, 'the manager did not prove the relay key (another machine answers at this address, or the keys differ)');
      }
      // The manager says nothing after its welcome until a report comes: the link reads from here on.
      socket.removeAllListeners('data');
      const forward = typeof answer.body.forward === 'string' && /^[a-z-]{1,20}$/.test(answer.body.forward) ? answer.body.forward : null;
      return new AgentLink(socket, presented, config.timeoutMs, forward);
    } catch (err) {
      socket.destroy();
      throw err instanceof RelayError ? err : linkFailure(err, 'the connection to the manager failed');
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', cancel);
    }
  }

  get usable(): boolean {
    return this.failure === null && !this.socket.destroyed;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends one report: resolves once the manager has it durably (and, with `wait`, with its
   * forward's outcome); rejects with RelayError otherwise.
   */
  send(report: OutgoingReport, wait: boolean, signal?: AbortSignal): Promise<SendOutcome> {
    this.lastUsed = Date.now();
    const seq = ++this.seq;
    const envelope = report.envelope;
    const done = new Promise<SendOutcome>((resolve, reject) => {
      this.pending.set(seq, { id: envelope.id, wait, stored: false, duplicate: false, resolve, reject });
    });
    const abort = () => this.settle(seq, new RelayError('cancelled', true, 'cancelled'));
    signal?.addEventListener('abort', abort, { once: true });
    this.arm();
    this.enqueue(async () => {
      await this.write(control('report', { seq, id: envelope.id, wait, envelope }));
      for (const attachment of report.attachments) {
        for await (const chunk of attachment.open()) {
          const bytes = chunk as Buffer;
          for (let at = 0; at < bytes.length; at += MAX_CHUNK_BYTES) await this.write(encodeFrame({ type: 'chunk', data: bytes.subarray(at, at + MAX_CHUNK_BYTES) }));
        }
      }
      await this.write(control('end', { seq }));
    });
    return done.finally(() => {
      signal?.removeEventListener('abort', abort);
      this.lastUsed = Date.now();
    });
  }

  /** The small heartbeat: resolves when the manager has noted it. */
  heartbeat(): Promise<void> {
    const seq = ++this.seq;
    const done = new Promise<SendOutcome>((resolve, reject) => this.pending.set(seq, { id: '', wait: false, stored: false, duplicate: false, resolve, reject }));
    this.arm();
    this.enqueue(() => this.write(control('heartbeat', { seq })));
    return done.then(() => undefined);
  }

  close(): void {
    if (this.usable) this.socket.end(control('bye'));
    this.fail(new RelayError('connect', true, 'the link was closed'));
  }

  private enqueue(work: () => Promise<void>): void {
    this.writing = this.writing.then(work).catch((err: unknown) => this.fail(err instanceof RelayError ? err : linkFailure(err, 'sending to the manager failed')));
  }

  private write(bytes: Buffer): Promise<void> {
    if (!this.usable) return Promise.reject(this.failure ?? new RelayError('connect', true, 'the link is closed'));
    if (this.socket.write(bytes)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.socket.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        this.socket.off('drain', onDrain);
        reject(this.failure ?? new RelayError('connect', true, 'the manager closed the connection'));
      };
      this.socket.once('drain', onDrain);
      this.socket.once('close', onClose);
    });
  }

  /** The silence timer: while a report is in hand, the manager answers or sends a keep-alive in time. */
  private arm(): void {
    // An idle link does not keep the process alive (a CLI command ends while its link lingers).
    if (this.pending.size === 0) this.socket.unref();
    else this.socket.ref();
    if (this.silence) clearTimeout(this.silence);
    this.silence = this.pending.size === 0 ? null : setTimeout(() => this.fail(new RelayError('timeout', true, `the manager said nothing for ${this.timeoutMs / 1000} s`)), this.timeoutMs);
  }

  private onData(data: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(data);
    } catch (err) {
      this.fail(new RelayError('protocol', true, `the manager sent a bad frame: ${(err as Error).message}`));
      return;
    }
    for (const frame of frames) this.onFrame(frame);
    this.arm();
  }

  private onFrame(frame: Frame): void {
    if (frame.type === 'chunk' || frame.type === 'keepalive') return;
    if (frame.type === 'bye') {
      this.fail(new RelayError('connect', true, 'the manager closed the link'));
      return;
    }
    const seq = typeof frame.body.seq === 'number' ? frame.body.seq : -1;
    const p = this.pending.get(seq);
    if (!p) return;
    const body = frame.body;
    if (frame.type === 'ack') {
      p.stored = true;
      p.duplicate = body.duplicate === true;
      if (!p.wait) this.settle(seq, { stored: true, duplicate: p.duplicate, forwarded: null });
    } else if (frame.type === 'result') {
      const forwarded = { delivered: body.delivered === true, retryable: body.retryable === true, destination: String(body.destination ?? ''), detail: String(body.detail ?? '') };
      this.settle(seq, { stored: true, duplicate: p.duplicate, forwarded });
    } else if (frame.type === 'nack') {
      this.settle(seq, new RelayError('manager-refused', body.retryable !== false, `the manager refused report ${p.id}: ${String(body.reason ?? '')}`));
    }
  }

  private settle(seq: number, outcome: SendOutcome | RelayError): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    if (outcome instanceof RelayError) p.reject(outcome);
    else p.resolve(outcome);
    this.arm();
  }

  private fail(err: RelayError): void {
    this.failure ??= err;
    if (this.silence) clearTimeout(this.silence);
    this.silence = null;
    for (const seq of [...this.pending.keys()]) {
      const p = this.pending.get(seq)!;
      // Stored but the link broke before the forward's outcome: the manager has it, the outcome is unknown.
      this.settle(seq, p.stored && p.wait ? new RelayError('timeout', true, `the manager has report ${p.id}, but the link broke before its forward's outcome came`) : err);
    }
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

/** Reads the next frame during the hello (before the link takes the socket over). */
function nextFrame(socket: tls.TLSSocket, reader: FrameReader): () => Promise<Frame> {
  const queued: Frame[] = [];
  let waiter: { resolve(f: Frame): void; reject(e: unknown): void } | null = null;
  let broken: unknown = null;
  const onData = (data: Buffer) => {
    try {
      queued.push(...reader.push(data));
    } catch (err) {
      broken = new RelayError('protocol', true, `the manager sent a bad frame: ${(err as Error).message}`);
    }
    flush();
  };
  const onEnd = () => {
    broken ??= new RelayError('connect', true, 'the manager closed the connection during the hello');
    flush();
  };
  const flush = () => {
    if (!waiter) return;
    const w = waiter;
    if (queued.length > 0) {
      waiter = null;
      w.resolve(queued.shift()!);
    } else if (broken) {
      waiter = null;
      w.reject(broken);
    }
  };
  socket.on('data', onData);
  socket.on('close', onEnd);
  socket.on('error', (err) => {
    broken ??= err;
    flush();
  });
  return () =>
    new Promise<Frame>((resolve, reject) => {
      waiter = { resolve, reject };
      flush();
    });
}
