/**
 * A real MTA for tests: Debian's Postfix 3.7 as a private instance (its own config_dir,
 * queue_directory and data_directory in a temp folder — /etc/postfix and /var/spool/postfix are
 * never touched, several instances run side by side), `master -s -c CONFDIR` in the foreground
 * as a child of the test, stopped by PID. It listens on 127.0.0.1 only, offers STARTTLS with a
 * throwaway CA and certificate, accepts SMTP AUTH (PLAIN, LOGIN) only after STARTTLS through
 * Dovecot SASL (a `dovecot -F` with nothing but its auth service and a passwd-file), refuses to
 * relay for unauthenticated clients (554 Relay access denied) and relays everything else to one
 * host — the center simulator's --smtp-port — plain, or over STARTTLS with its CA verified.
 *
 * What Postfix needed here (RECIPES-style, checked on Debian 12, postfix 3.7.11, dovecot 2.3.19):
 * - Root (master binds, then the daemons run as `mail_owner = postfix`). `postfix -c DIR
 *   start-fg` is a shell script that runs `master -s` as ITS child (`exec master -i` only as
 *   PID 1), so the helper runs `/usr/lib/postfix/sbin/master -s -c CONFDIR` itself: master
 *   stays in the foreground and makes itself a session leader (its PID is its process group).
 * - Its own config_dir needs only main.cf and master.cf (every service `chroot = n`, so the
 *   Dovecot socket and certificates can live in the temp folder; the daemons find the config
 *   through MAIL_CONFIG, set by master). The queue is made by hand as `postfix -c DIR check`
 *   would (root-owned top and pid/, `postfix` 0700 queue folders, maildrop 1730 and public 0710
 *   with group `postdrop`), data_directory owned by postfix.
 * - master waits for a main.cf written a moment ago to settle (strace: it re-reads it 6 times,
 *   300 ms apart): the helper dates main.cf and master.cf back a minute, so master listens
 *   ~50 ms after the spawn instead of ~1.9 s.
 * - Logging: there is no /dev/log here, so without `maillog_file` nothing is logged at all;
 *   `maillog_file = /dev/stdout` (with `master -s`) wrote nothing through a pipe either, so the
 *   log is a file in the temp folder (`maillog_file_prefixes` must allow it), written by the
 *   postlogd service (master.cf needs `postlog unix-dgram n - n - 1 postlogd`).
 * - It cannot be given port 0 (one would not know the port): a free port is picked first and
 *   retried when it was taken meanwhile.
 * - No DNS: `smtp_dns_support_level = disabled`, `relayhost = [127.0.0.1]:PORT`,
 *   `inet_protocols = ipv4`, `mydestination =` (nothing is local), `alias_maps =`.
 * - Submission: `smtpd_tls_security_level = may`, `smtpd_tls_auth_only = yes` (no AUTH in the
 *   plain EHLO; AUTH then gets `503 5.5.1 Error: authentication not enabled`),
 *   `smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination` (`554
 *   5.7.1 <rcpt>: Relay access denied`); a wrong password gets `535 5.7.8` (Dovecot's
 *   `auth_failure_delay = 0` here; its auth penalty still delays the AUTHs from 127.0.0.1
 *   that follow a failure — seen here ~2 s, then ~4 s: keep failing logins few per instance).
 * - The hop with `relayCaPem`: `smtp_tls_security_level = secure`, `smtp_tls_CAfile`, and
 *   `smtp_tls_secure_cert_match = nexthop`: that accepts the center certificate's IP SAN
 *   127.0.0.1, the default `nexthop, dot-nexthop` does not ("num=62:hostname mismatch"), nor does
 *   a wrong literal name. The log then says `Verified TLS connection established to
 *   127.0.0.1[127.0.0.1]:PORT`, with another CA `status=deferred (Server certificate not
 *   verified)`. Retries are fast (queue_run_delay/minimal_backoff_time 1 s) so a refused hop
 *   shows in a test.
 * - Stopping: on SIGTERM master kills its process group and exits at once, so its children
 *   would outlive it as orphans (PID 1 may not reap them). stop() first SIGTERMs every child but
 *   postlogd (master reaps them; it respawns only postlogd, to log their deaths), then master,
 *   then whatever is left in its process group. Postfix stops in ~60 ms; Dovecot in ~1 s.
 *   Up in ~0.4 s (0.3 s of it the RSA keys).
 * - Dovecot for SASL: `protocols =` (no POP/IMAP), `service auth { unix_listener PATH { mode =
 *   0660, user = postfix } }`, `smtpd_sasl_type = dovecot`, `smtpd_sasl_path = PATH`
 *   (absolute, as smtpd is not chrooted); the passwd-file `user:{PLAIN}password` readable by
 *   group dovecot; `stats_writer_socket_path =` so it stops in ~1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCenterCa, issueServerCertificate } from '../../center/certs';
import { freePort, stopChild, waitForPort } from './ports';

export const POSTFIX_MASTER = '/usr/lib/postfix/sbin/master';
const DAEMON_DIR = '/usr/lib/postfix/sbin';
const DOVECOT = '/usr/sbin/dovecot';

export interface PostfixOptions {
  /** where every authenticated message is relayed (the center's SMTP port) */
  relayTo: { host: string; port: number };
  /** SMTP AUTH accounts (checked by Dovecot) */
  users: { user: string; password: string }[];
  /** the hop to relayTo: without it plain; with it STARTTLS required, the certificate verified against this CA (PEM) */
  relayCaPem?: string;
  /** the greeting's host name (default mta.express-report.test) */
  hostname?: string;
}

export interface Postfix {
  /** the submission port on 127.0.0.1 (STARTTLS offered; AUTH only after it) */
  port: number;
  /** master's PID */
  pid: number;
  /** the throwaway CA that signed the server certificate (PEM) */
  caPem: string;
  /** master's own output, Postfix's log (maillog_file) and Dovecot's log */
  output(): string;
  stop(): Promise<void>;
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const f = line?.split(':');
  if (!f || f.length < 4) throw new Error(`no system user ${name} (is the postfix / dovecot-core package installed?)`);
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

function systemGroup(name: string): number {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no system group ${name}`);
  return Number(line.split(':')[2]);
}

function dovecotConfig(dir: string): string {
  return `# SASL for the Postfix test peer (test/helpers/mail-peers/postfix.ts)
base_dir = ${dir}/dovecot-run
state_dir = ${dir}/dovecot-state
log_path = /dev/stderr
protocols =
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# answer a wrong password at once (default 2 s) so the tests stay quick
auth_failure_delay = 0
stats_writer_socket_path =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/sasl-users
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=/nonexistent
}
service auth {
  unix_listener ${dir}/sasl/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
`;
}

function mainCf(dir: string, options: PostfixOptions): string {
  const hostname = options.hostname ?? 'mta.express-report.test';
  const relay = options.relayCaPem
    ? ['smtp_tls_security_level = secure', `smtp_tls_CAfile = ${dir}/relay-ca.pem`, 'smtp_tls_secure_cert_match = nexthop']
    : ['smtp_tls_security_level = none'];
  return [
    '# a private Postfix instance for tests (test/helpers/mail-peers/postfix.ts)',
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/queue`,
    `data_directory = ${dir}/data`,
    `daemon_directory = ${DAEMON_DIR}`,
    'command_directory = /usr/sbin',
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `myhostname = ${hostname}`,
    'mydomain = express-report.test',
    'myorigin = $myhostname',
    'mydestination =',
    'mynetworks = 127.0.0.1/32',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'smtp_dns_support_level = disabled',
    `relayhost = [${options.relayTo.host}]:${options.relayTo.port}`,
    'default_transport = smtp',
    'relay_transport = smtp',
    `maillog_file = ${dir}/maillog`,
    `maillog_file_prefixes = ${dir}`,
    'biff = no',
    'notify_classes =',
    'queue_run_delay = 1s',
    'minimal_backoff_time = 1s',
    'maximal_backoff_time = 2s',
    'smtp_connect_timeout = 10s',
    '# submission: STARTTLS offered, AUTH only after it, relaying only for authenticated clients',
    'smtpd_tls_security_level = may',
    `smtpd_tls_cert_file = ${dir}/server-cert.pem`,
    `smtpd_tls_key_file = ${dir}/server-key.pem`,
    'smtpd_tls_loglevel = 1',
    'smtpd_tls_auth_only = yes',
    'smtpd_sasl_auth_enable = yes',
    'smtpd_sasl_type = dovecot',
    `smtpd_sasl_path = ${dir}/sasl/auth`,
    'smtpd_sasl_security_options = noanonymous',
    'smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination',
    'smtpd_recipient_restrictions =',
    '# the hop to the center',
    ...relay,
    'smtp_tls_loglevel = 1',
    '',
  ].join('\n');
}

function masterCf(port: number): string {
  // service type private unpriv chroot wakeup maxproc command
  return [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
    '',
  ].join('\n');
}

/** The queue as `postfix check` makes it. */
function makeQueue(dir: string): void {
  const postfix = systemUser('postfix');
  const postdrop = systemGroup('postdrop');
  const queue = path.join(dir, 'queue');
  mkdirSync(queue, { mode: 0o755 });
  for (const name of ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'private', 'saved', 'trace']) {
    mkdirSync(path.join(queue, name), { mode: 0o700 });
    chownSync(path.join(queue, name), postfix.uid, 0);
  }
  for (const [name, mode] of [['maildrop', 0o1730], ['public', 0o710]] as const) {
    mkdirSync(path.join(queue, name));
    chownSync(path.join(queue, name), postfix.uid, postdrop);
    chmodSync(path.join(queue, name), mode);
  }
  mkdirSync(path.join(queue, 'pid'), { mode: 0o755 });
  mkdirSync(path.join(dir, 'data'), { mode: 0o700 });
  chownSync(path.join(dir, 'data'), postfix.uid, postfix.gid);
}

/** The live (not zombie) processes in process group `pgid` (from /proc), but `except`. */
export function groupMembers(pgid: number, except = 0): { pid: number; name: string }[] {
  const out: { pid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === except) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'maillog'), 'utf8');
  } catch {
    return '';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Children first (master reaps them), postlogd last with master, then whatever is left. */
async function stopMaster(master: ChildProcess): Promise<void> {
  const pid = master.pid!;
  if (master.exitCode === null && master.signalCode === null) {
    for (let round = 0; round < 20; round += 1) {
      const children = groupMembers(pid, pid).filter((p) => p.name !== 'postlogd');
      if (children.length === 0) break;
      for (const child of children) signal(child.pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopChild(master);
  }
  for (let round = 0; round < 40; round += 1) {
    const left = groupMembers(pid, pid);
    if (left.length === 0) return;
    for (const p of left) signal(p.pid, round < 10 ? 'SIGTERM' : 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Postfix processes of master ${pid} did not exit: ${JSON.stringify(groupMembers(pid, pid))}`);
}

export async function startPostfix(options: PostfixOptions): Promise<Postfix> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-postfix-'));
  // 0755: smtpd (user postfix) reaches the SASL socket, dovecot (user dovecot) its passwd-file
  chmodSync(dir, 0o755);
  let dovecot: ChildProcess | null = null;
  let master: ChildProcess | null = null;
  let postfixLog = '';
  let dovecotLog = '';
  const cleanup = async () => {
    if (master) await stopMaster(master);
    if (dovecot) await stopChild(dovecot);
    postfixLog += readLog(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ca = createCenterCa();
    const server = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
    // read by smtpd while still root
    writeFileSync(path.join(dir, 'server-cert.pem'), server.certPem, { mode: 0o644 });
    writeFileSync(path.join(dir, 'server-key.pem'), server.keyPem, { mode: 0o600 });
    if (options.relayCaPem) writeFileSync(path.join(dir, 'relay-ca.pem'), options.relayCaPem, { mode: 0o644 });
    const users = path.join(dir, 'sasl-users');
    for (const u of options.users) if (/[:\n]/.test(u.user + u.password)) throw new Error(`SASL user ${u.user}: no ':' or line breaks in names and passwords`);
    writeFileSync(users, options.users.map((u) => `${u.user}:{PLAIN}${u.password}\n`).join(''), { mode: 0o640 });
    chownSync(users, 0, systemUser('dovecot').gid);
    mkdirSync(path.join(dir, 'sasl'), { mode: 0o755 });
    makeQueue(dir);
    mkdirSync(path.join(dir, 'conf'), { mode: 0o755 });

    writeFileSync(path.join(dir, 'dovecot.conf'), dovecotConfig(dir), { mode: 0o644 });
    const auth = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    dovecot = auth;
    auth.stdout!.on('data', (c: Buffer) => (dovecotLog += c.toString()));
    auth.stderr!.on('data', (c: Buffer) => (dovecotLog += c.toString()));
    const socket = path.join(dir, 'sasl', 'auth');
    for (let waited = 0; ; waited += 20) {
      if (readdirSync(path.join(dir, 'sasl')).includes('auth')) break;
      if (auth.exitCode !== null || auth.signalCode !== null || waited > 15_000) throw new Error(`dovecot made no SASL socket ${socket}: ${dovecotLog}`);
      await new Promise((r) => setTimeout(r, 20));
    }

    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      writeFileSync(path.join(dir, 'conf', 'main.cf'), mainCf(dir, options), { mode: 0o644 });
      writeFileSync(path.join(dir, 'conf', 'master.cf'), masterCf(port), { mode: 0o644 });
      // master waits ~1.9 s for a main.cf written a moment ago: date both back
      const past = new Date(Date.now() - 60_000);
      for (const file of ['main.cf', 'master.cf']) utimesSync(path.join(dir, 'conf', file), past, past);
      postfixLog = '';
      const proc = spawn(POSTFIX_MASTER, ['-s', '-c', path.join(dir, 'conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
      master = proc;
      proc.stdout!.on('data', (c: Buffer) => (postfixLog += c.toString()));
      proc.stderr!.on('data', (c: Buffer) => (postfixLog += c.toString()));
      try {
        await waitForPort(port, 15_000, () => proc.exitCode === null && proc.signalCode === null, 'postfix master');
      } catch (err) {
        await stopMaster(proc);
        master = null;
        const log = `${postfixLog}${readLog(dir)}`;
        rmSync(path.join(dir, 'maillog'), { force: true });
        if (attempt < 3 && /Address already in use/.test(log)) continue;
        throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
      }
      let stopped: Promise<void> | null = null;
      return {
        port,
        pid: proc.pid!,
        caPem: ca.certPem,
        output: () => `${postfixLog}${stopped ? '' : readLog(dir)}${dovecotLog}`,
        stop: () => {
          stopped ??= cleanup();
          return stopped;
        },
      };
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}
