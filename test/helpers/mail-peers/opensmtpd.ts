/**
 * A real MTA for tests: Debian's OpenSMTPD 6.8 (`/usr/sbin/smtpd -d -f CONF`, in the foreground as
 * a child of the test, stopped by PID) on a loopback port, with STARTTLS required (a throwaway CA
 * and server certificate made here) and SMTP AUTH against a credentials table, relaying every
 * authenticated message to one host — the center simulator's --smtp-port.
 *
 * What OpenSMTPD needs to run here (checked on Debian 12, opensmtpd 6.8.0p2):
 * - root to start (it chroots and drops privileges itself); the users `opensmtpd` and
 *   `opensmtpq` the Debian package creates (not OpenBSD's _smtpd/_smtpq) and the empty chroot
 *   /var/lib/opensmtpd/empty — all there once `apt-get install opensmtpd` ran.
 * - The queue is compiled in: /var/spool/smtpd (made by smtpd itself), and so is the control
 *   socket /var/run/smtpd.sock: two instances cannot run at once on one machine, and a message
 *   left in the queue would be delivered by the next instance. So start() takes a machine-wide
 *   lock (/tmp/express-report-opensmtpd.lock), refuses when another smtpd answers on the control
 *   socket, and empties /var/spool/smtpd before and after. (A private mount namespace with
 *   `unshare -m` would lift that limit, but needs a shell or a wrapper between unshare and smtpd.)
 * - It cannot listen on port 0: a free port is picked first (retried when taken meanwhile).
 * - `pki NAME cert|key FILE` (the key 0600; "mta" is a keyword, not a pki name), `listen on
 *   127.0.0.1 port N tls-require pki NAME auth <creds> hostname H`, the credentials table
 *   `user $6$…` with hashes from `smtpctl encrypt` (password on stdin), `action "center" relay
 *   host smtp+notls://127.0.0.1:PORT` (or `smtp+tls://` with `ca SERVERNAME cert FILE`, below),
 *   `match auth from any for any action "center"`. AUTH is refused by the config check without
 *   tls/smtps on the listener.
 * - Its TLS SERVER DOES NOT WORK HERE: with Debian 12's libssl3 (3.0.19) every STARTTLS
 *   handshake fails ("SSL library error: … missing private key" — RSA and ECDSA alike — from the
 *   privsep key engines of 6.8, which OpenSSL 3 bypasses), so the client sees "tlsv1 alert
 *   internal error". Known upstream: OpenSMTPD issues #1171 and #1239 (the latter on exactly
 *   Debian 12's 6.8.0p2-4+b4), fixed by PR #1208 in 7.x, not in Debian 12's package. Postfix and
 *   exim4 are not installed here (and not installed by these tests); they would need CI's apt.
 *   `probeOpenSmtpdTls()` tells whether it works on this machine; the
 *   starttls-auth mode is kept for machines where it does. What works: `submission: 'plain'`.
 * - As a TLS CLIENT it works: `relayCaPem` makes the relay hop `smtp+tls://` (STARTTLS
 *   required) with the next hop's certificate verified (`mta server-cert-check
 *   result="success"` in its log). The `ca` line is keyed by smtpd's OWN server name
 *   (/etc/mailname, else the host name), not the relay's, and the file is read by the
 *   unprivileged `opensmtpd` user when it verifies: world-readable, in a 0755 folder (else
 *   "X509 verify: … system lib").
 * - It listens 0.3–0.5 s after the start and exits on SIGTERM in a few ms, its children with it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { createCenterCa, issueServerCertificate } from '../../center/certs';
import { acquireLock, freePort, stopChild, waitForPort } from './ports';

export const SMTPD = '/usr/sbin/smtpd';
export const SMTPCTL = '/usr/sbin/smtpctl';
const SPOOL = '/var/spool/smtpd';
const CONTROL_SOCKET = '/var/run/smtpd.sock';
const LOCK = path.join(os.tmpdir(), 'express-report-opensmtpd.lock');

export interface OpenSmtpdOptions {
  /** where every authenticated message is relayed (the center's SMTP port) */
  relayTo: { host: string; port: number };
  /**
   * starttls-auth (default): STARTTLS required, then SMTP AUTH against `users`, only
   * authenticated mail relayed. plain: no TLS, no AUTH, mail from 127.0.0.1 relayed (the
   * classic "local network" relay) — what works where OpenSMTPD's TLS server does not (below).
   */
  submission?: 'starttls-auth' | 'plain';
  /** SMTP AUTH accounts: name → password */
  users?: Record<string, string>;
  /**
   * The relay hop: without it plain (`smtp+notls://`); with it STARTTLS required
   * (`smtp+tls://`) and the next hop's certificate verified against this CA (PEM).
   */
  relayCaPem?: string;
  /** the greeting's host name (default mta.express-report.test) */
  hostname?: string;
}

export interface OpenSmtpd {
  /** the submission port on 127.0.0.1 (STARTTLS required, then AUTH) */
  port: number;
  pid: number;
  /** the throwaway CA that signed the server certificate (PEM) */
  caPem: string;
  /** everything smtpd printed (-d -v) */
  output(): string;
  stop(): Promise<void>;
}

/** `smtpctl encrypt`: the crypt(3) hash OpenSMTPD's credentials tables hold. */
export function smtpdHash(password: string): string {
  const r = spawnSync(SMTPCTL, ['encrypt'], { input: `${password}\n`, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !/^\$/.test(r.stdout.trim())) throw new Error(`smtpctl encrypt failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

function controlSocketAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(CONTROL_SOCKET);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The name smtpd goes by: the first line of /etc/mailname, else the host name. */
function serverName(): string {
  try {
    const name = readFileSync('/etc/mailname', 'utf8').split('\n')[0]!.trim();
    if (name) return name;
  } catch {
    // no /etc/mailname
  }
  return os.hostname();
}

function emptySpool(): void {
  rmSync(SPOOL, { recursive: true, force: true });
}

function config(dir: string, port: number, options: OpenSmtpdOptions): string {
  const plain = options.submission === 'plain';
  const hostname = options.hostname ?? 'mta.express-report.test';
  const to = `${options.relayTo.host}:${options.relayTo.port}`;
  const relay = options.relayCaPem ? `smtp+tls://${to}` : `smtp+notls://${to}`;
  return [
    `pki loopback cert "${dir}/server-cert.pem"`,
    `pki loopback key "${dir}/server-key.pem"`,
    // the CA is looked up by smtpd's own server name, and read (as user opensmtpd) when it verifies
    ...(options.relayCaPem ? [`ca ${serverName()} cert "${dir}/relay-ca.pem"`] : []),
    `table creds file:${dir}/creds`,
    plain ? `listen on 127.0.0.1 port ${port} hostname ${hostname}` : `listen on 127.0.0.1 port ${port} tls-require pki loopback auth <creds> hostname ${hostname}`,
    `action "center" relay host ${relay}`,
    plain ? 'match from local for any action "center"' : 'match auth from any for any action "center"',
    '',
  ].join('\n');
}

export async function startOpenSmtpd(options: OpenSmtpdOptions): Promise<OpenSmtpd> {
  const release = await acquireLock(LOCK, 120_000);
  let child: ChildProcess | null = null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-opensmtpd-'));
  try {
    if (await controlSocketAnswers()) throw new Error(`another smtpd answers on ${CONTROL_SOCKET}: stop it first (OpenSMTPD's queue and control socket are one per machine)`);
    rmSync(CONTROL_SOCKET, { force: true });
    emptySpool();

    const ca = createCenterCa();
    const server = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
    writeFileSync(path.join(dir, 'server-cert.pem'), server.certPem, { mode: 0o600 });
    writeFileSync(path.join(dir, 'server-key.pem'), server.keyPem, { mode: 0o600 });
    const creds = Object.entries(options.users ?? {}).map(([user, pass]) => `${user} ${smtpdHash(pass)}`);
    writeFileSync(path.join(dir, 'creds'), `${creds.join('\n')}\n`, { mode: 0o600 });
    // 0755: smtpd reads the relay CA as its unprivileged user; the key and creds stay 0600
    chmodSync(dir, 0o755);
    if (options.relayCaPem) writeFileSync(path.join(dir, 'relay-ca.pem'), options.relayCaPem, { mode: 0o644 });

    let output = '';
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const conf = path.join(dir, 'smtpd.conf');
      writeFileSync(conf, config(dir, port, options), { mode: 0o600 });
      output = '';
      const proc = spawn(SMTPD, ['-d', '-v', '-f', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      try {
        await waitForPort(port, 15_000, () => proc.exitCode === null && proc.signalCode === null, 'smtpd');
      } catch (err) {
        await stopChild(proc);
        child = null;
        if (attempt < 3 && /Address already in use/.test(output)) continue;
        throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
      }
      let stopped: Promise<void> | null = null;
      return {
        port,
        pid: proc.pid!,
        caPem: ca.certPem,
        output: () => output,
        stop: () => {
          stopped ??= (async () => {
            await stopChild(proc);
            emptySpool();
            rmSync(dir, { recursive: true, force: true });
            release();
          })();
          return stopped;
        },
      };
    }
  } catch (err) {
    if (child) await stopChild(child);
    emptySpool();
    rmSync(dir, { recursive: true, force: true });
    release();
    throw err;
  }
}

/**
 * Whether OpenSMTPD's STARTTLS server works on this machine: starts a starttls-auth instance and
 * tries STARTTLS + AUTH once. `reason` quotes smtpd's own error when it does not.
 */
export async function probeOpenSmtpdTls(): Promise<{ ok: boolean; reason: string }> {
  const mta = await startOpenSmtpd({ relayTo: { host: '127.0.0.1', port: 9 }, users: { probe: 'probe-pass' } });
  try {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, requireTLS: true, tls: { ca: mta.caPem }, auth: { user: 'probe', pass: 'probe-pass' }, connectionTimeout: 10_000, greetingTimeout: 10_000 });
    try {
      await transport.verify();
      return { ok: true, reason: '' };
    } catch (err) {
      await new Promise((r) => setTimeout(r, 200));
      const line = mta.output().split('\n').find((l) => /SSL library error/.test(l));
      return { ok: false, reason: line?.replace(/^debug: /, '') ?? (err as Error).message };
    } finally {
      transport.close();
    }
  } finally {
    await mta.stop();
  }
}
