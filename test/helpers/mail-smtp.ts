/**
 * Real SMTP peers for the mail channel's tests: npm smtp-server on 127.0.0.1 (port 0), with the
 * AUTH mechanisms, TLS (a throwaway CA from test/center/certs.ts) and hooks a test asks for, and
 * raw node:net servers that answer wrongly on purpose. Every message received is kept raw.
 */
import net from 'node:net';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { createCenterCa, issueServerCertificate, type PemPair } from '../center/certs';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  /** the AUTH mechanism the client logged in with, if any */
  method: string | null;
  user: string | null;
  secure: boolean;
}

export interface SmtpPeer {
  port: number;
  received: Received[];
  /** every AUTH the server was asked for, in order: mechanism and whether it accepted */
  auths: { method: string; ok: boolean }[];
  close(): Promise<void>;
}

export interface Throwaway {
  ca: PemPair;
  server: PemPair;
  caFile: string;
}

/** A CA and a server certificate for 127.0.0.1 and localhost; the CA's PEM written to `dir`. */
export async function throwawayTls(dir: string): Promise<Throwaway> {
  const ca = createCenterCa();
  const server = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
  const caFile = path.join(dir, `ca-${Date.now()}-${Math.random().toString(16).slice(2)}.pem`);
  await fsp.writeFile(caFile, ca.certPem);
  return { ca, server, caFile };
}

export interface PeerOptions extends Omit<SMTPServerOptions, 'onAuth' | 'onData'> {
  /** account → password accepted (any mechanism unless `refuse` lists it) */
  users?: Record<string, string>;
  /** mechanisms answered 535 whatever the credentials */
  refuse?: string[];
  /** the access tokens XOAUTH2 accepts */
  tokens?: string[];
  tls?: PemPair;
  onData?: (raw: Buffer, session: SMTPServerSession) => Error | null | 'drop';
}

/** An smtp-server on 127.0.0.1 with the given options. */
export async function startSmtpPeer(options: PeerOptions = {}): Promise<SmtpPeer> {
  const received: Received[] = [];
  const auths: { method: string; ok: boolean }[] = [];
  const { users = {}, refuse = [], tokens = [], tls, onData, ...rest } = options;
  const methods = new Map<string, { method: string; user: string }>();
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: tls ? [] : ['STARTTLS'],
    ...(tls ? { key: tls.keyPem, cert: tls.certPem } : {}),
    ...rest,
    onAuth(auth: SMTPServerAuthentication, session, done) {
      const method = auth.method.toUpperCase();
      const pass = users[auth.username ?? ''];
      let ok = false;
      if (!refuse.includes(method)) {
        if (method === 'XOAUTH2') ok = tokens.includes(auth.accessToken ?? '');
        else if (method === 'CRAM-MD5') ok = pass !== undefined && auth.validatePassword(pass);
        else ok = pass !== undefined && auth.password === pass;
      }
      auths.push({ method, ok });
      if (!ok) {
        if (method === 'XOAUTH2') return done(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.example/' } });
        return done(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      }
      methods.set(session.id, { method, user: auth.username ?? '' });
      done(null, { user: auth.username });
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const verdict = onData?.(raw, session) ?? null;
        if (verdict === 'drop') {
          // the connection dies before the server answers the DATA
          (session as unknown as { _socket?: net.Socket })._socket?.destroy();
          return;
        }
        if (verdict) return done(verdict);
        const auth = methods.get(session.id);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          method: auth?.method ?? null,
          user: auth?.user ?? null,
          secure: session.secure,
        });
        done();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return { port, received, auths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A raw TCP server that answers each connection with `script` (say the lines, or say nothing). */
export async function startRawServer(script: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 nobody listens on (taken, then freed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
