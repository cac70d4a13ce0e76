/**
 * A POP-before-SMTP mail server for tests, built as real set-ups are: Debian's dovecot-pop3d
 * (`dovecot -F -c CONF`, a child of the test, stopped by PID) with a postlogin script that
 * records the address of every client that logs in, and an SMTP server (npm smtp-server, in the
 * test process) that relays only for an address that logged in to POP within the last
 * `windowMinutes` — refusing RCPT otherwise with Postfix's `554 5.7.1 … Relay access denied`.
 * `noticeDelayMs` makes a login count only that long after it happened, as log-watching set-ups
 * take a few seconds to notice one (the seed's 待ち時間 exists for them).
 *
 * Accepted mail is relayed to `relayTo` (e.g. the center's --smtp-port; the 250 is given only
 * once the next hop said 250) or, without it, kept in `messages`.
 *
 * Dovecot here (2.3.19): a passwd-file passdb (`user:{PLAIN}password`), a static userdb as
 * nobody/nogroup with homes in the temp folder, `ssl = no`, `disable_plaintext_auth = no`, the
 * pop3 service's `executable = pop3 pop3-postlogin` and `service pop3-postlogin { executable =
 * script-login SCRIPT }`. The script is a two-line /bin/sh script (run by dovecot's script-login,
 * not by us) appending "IP USER EPOCH-MS" (GNU date +%s%3N) to a file and exec'ing the rest. It cannot take port 0:
 * a free port is picked first. `stats_writer_socket_path =` (empty): otherwise a login process
 * waits 5 s for the stats handshake when dovecot stops. Up in ~50 ms, stopped in ~1.1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createCenterCa, issueServerCertificate } from '../../center/certs';
import { freePort, stopChild, waitForPort } from './ports';

export const DOVECOT = '/usr/sbin/dovecot';
const NOBODY = 65534;
const NOGROUP = 65534;

export interface PopBeforeSmtpOptions {
  /** POP accounts: name → password */
  users: Record<string, string>;
  /** how long a POP login opens relaying for its address (default 10 minutes) */
  windowMinutes?: number;
  /** a login counts only this long after it (default 0) */
  noticeDelayMs?: number;
  /** offer STARTTLS on the SMTP side (a throwaway CA and certificate; `caPem` in the result) */
  starttls?: boolean;
  /** where accepted mail goes; `ca` verifies its STARTTLS certificate when it offers STARTTLS */
  relayTo?: { host: string; port: number; ca?: string };
}

export interface RelayedMessage {
  from: string;
  to: string[];
  remoteAddress: string;
  raw: Buffer;
}

export interface PopBeforeSmtp {
  /** dovecot's POP3 port on 127.0.0.1 */
  popPort: number;
  /** the gated SMTP port on 127.0.0.1 */
  smtpPort: number;
  /** same as smtpPort */
  port: number;
  /** dovecot's PID */
  pid: number;
  /** with `starttls`: the CA (PEM) of the SMTP side's certificate, else null */
  caPem: string | null;
  /** the POP logins recorded by the postlogin script */
  logins(): { ip: string; user: string; at: Date }[];
  /** mail accepted (when there is no relayTo) */
  messages: RelayedMessage[];
  /** what the SMTP side decided, one line per RCPT / message */
  log: string[];
  /** dovecot's own log */
  output(): string;
  stop(): Promise<void>;
}

function dovecotConfig(dir: string, port: number): string {
  return `# POP-before-SMTP test peer (test/helpers/mail-peers/pop-before-smtp.ts)
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = /dev/stderr
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:~/Maildir
first_valid_uid = ${NOBODY}
# no stats writer: else a login process waits 5 s for the stats handshake at shutdown
stats_writer_socket_path =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOGROUP} home=${dir}/home/%u
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener pop3s {
    port = 0
  }
}
service pop3 {
  executable = pop3 pop3-postlogin
}
service pop3-postlogin {
  executable = script-login ${dir}/postlogin.sh
  user = $default_internal_user
  unix_listener pop3-postlogin {
  }
}
`;
}

/** uid and gid of a system user from /etc/passwd, or null. */
function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const f = line?.split(':');
  return f && f.length > 3 ? { uid: Number(f[2]), gid: Number(f[3]) } : null;
}

export async function startPopBeforeSmtp(options: PopBeforeSmtpOptions): Promise<PopBeforeSmtp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-popsmtp-'));
  chmodSync(dir, 0o755);
  const loginsFile = path.join(dir, 'logins');
  writeFileSync(loginsFile, '', { mode: 0o666 });
  chmodSync(loginsFile, 0o666);
  const usersFile = path.join(dir, 'users');
  writeFileSync(usersFile, `${Object.entries(options.users).map(([u, p]) => `${u}:{PLAIN}${p}`).join('\n')}\n`, { mode: 0o640 });
  // dovecot's auth process runs as the dovecot user and reads the passwd-file itself
  const auth = systemUser('dovecot');
  if (auth) chownSync(usersFile, 0, auth.gid);
  else chmodSync(usersFile, 0o644);
  writeFileSync(path.join(dir, 'postlogin.sh'), `#!/bin/sh\necho "$IP $USER $(date +%s%3N)" >> ${loginsFile}\nexec "$@"\n`, { mode: 0o755 });
  mkdirSync(path.join(dir, 'home'), { mode: 0o755 });
  for (const user of Object.keys(options.users)) {
    mkdirSync(path.join(dir, 'home', user), { mode: 0o700 });
    chownSync(path.join(dir, 'home', user), NOBODY, NOGROUP);
  }
  const windowMs = (options.windowMinutes ?? 10) * 60_000;
  const delayMs = options.noticeDelayMs ?? 0;

  let dovecot: ChildProcess | null = null;
  let smtp: SMTPServer | null = null;
  let output = '';
  const cleanup = async () => {
    if (dovecot) await stopChild(dovecot);
    if (smtp) await new Promise<void>((resolve) => smtp!.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let popPort = 0;
    for (let attempt = 1; ; attempt += 1) {
      popPort = await freePort();
      const conf = path.join(dir, 'dovecot.conf');
      writeFileSync(conf, dovecotConfig(dir, popPort), { mode: 0o644 });
      output = '';
      const proc = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      dovecot = proc;
      proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      try {
        await waitForPort(popPort, 15_000, () => proc.exitCode === null && proc.signalCode === null, 'dovecot');
        break;
      } catch (err) {
        await stopChild(proc);
        dovecot = null;
        if (attempt < 3 && /Address already in use/.test(output)) continue;
        throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
      }
    }

    const logins = (): { ip: string; user: string; at: Date }[] =>
      readFileSync(loginsFile, 'utf8')
        .split('\n')
        .map((l) => /^(\S+) (\S+) (\d+)$/.exec(l.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ ip: m[1]!, user: m[2]!, at: new Date(Number(m[3])) }));
    const normal = (ip: string) => ip.replace(/^::ffff:/, '');
    const mayRelay = (ip: string): boolean => {
      const now = Date.now();
      return logins().some((l) => normal(l.ip) === normal(ip) && now - l.at.getTime() >= delayMs && now - l.at.getTime() <= windowMs);
    };

    const messages: RelayedMessage[] = [];
    const log: string[] = [];
    const relay = options.relayTo
      ? nodemailer.createTransport({ host: options.relayTo.host, port: options.relayTo.port, secure: false, tls: options.relayTo.ca ? { ca: options.relayTo.ca } : undefined, connectionTimeout: 10_000, greetingTimeout: 10_000 })
      : null;
    const ca = options.starttls ? createCenterCa() : null;
    const cert = ca ? issueServerCertificate(ca, ['127.0.0.1', 'localhost']) : null;
    smtp = new SMTPServer({
      name: 'pop-before-smtp.express-report.test',
      banner: 'POP before SMTP test relay',
      ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}),
      disabledCommands: cert ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      authOptional: true,
      logger: false,
      onRcptTo(address, session, callback) {
        if (mayRelay(session.remoteAddress)) {
          log.push(`RCPT ${address.address} from ${session.remoteAddress}: relaying (POP login seen)`);
          return callback();
        }
        log.push(`RCPT ${address.address} from ${session.remoteAddress}: 554 relay access denied`);
        callback(Object.assign(new Error(`5.7.1 <${address.address}>: Relay access denied (log in to POP first)`), { responseCode: 554 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const message: RelayedMessage = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            remoteAddress: session.remoteAddress,
            raw: Buffer.concat(chunks),
          };
          if (!relay) {
            messages.push(message);
            log.push(`DATA from ${message.remoteAddress}: kept`);
            return callback(null, 'OK: kept');
          }
          relay.sendMail({ envelope: { from: message.from, to: message.to }, raw: message.raw }).then(
            (info) => {
              log.push(`DATA from ${message.remoteAddress}: relayed, next hop said ${info.response}`);
              callback(null, `relayed: ${info.response}`);
            },
            (err: Error & { responseCode?: number }) => {
              log.push(`DATA from ${message.remoteAddress}: next hop refused: ${err.message}`);
              callback(Object.assign(new Error(`next hop: ${err.message.replace(/[\r\n]+/g, ' ')}`), { responseCode: err.responseCode && err.responseCode >= 400 ? err.responseCode : 451 }));
            },
          );
        });
      },
    });
    const server = smtp;
    const smtpPort = await new Promise<number>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
    let stopped: Promise<void> | null = null;
    return {
      popPort,
      smtpPort,
      port: smtpPort,
      pid: dovecot!.pid!,
      caPem: ca?.certPem ?? null,
      logins,
      messages,
      log,
      output: () => output,
      stop: () => {
        stopped ??= (async () => {
          relay?.close();
          await cleanup();
        })();
        return stopped;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
