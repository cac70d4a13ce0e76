/**
 * Debian dovecot-pop3d as a real POP3 server for POP before SMTP: started in the foreground
 * (`dovecot -F -c CONF`) as a child of the test on 127.0.0.1, a passwd-file user, no TLS, and
 * stopped by its PID. Its log is what a POP-before-SMTP relay watches: `logins()` gives the
 * successful POP log-ins seen so far, with the time the log line was seen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const DOVECOT = '/usr/sbin/dovecot';

export interface Dovecot {
  port: number;
  /** successful log-ins seen in the log: user and client address, with when the line was read */
  logins(): Promise<{ user: string; ip: string; seenAt: number }[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function dovecotAvailable(): boolean {
  return existsSync(DOVECOT);
}

/** Starts dovecot with one user `user`:`password` in `dir`. */
export async function startDovecot(dir: string, user: string, password: string): Promise<Dovecot> {
  const port = await freePort();
  // dovecot's auth process runs as the dovecot user: it must reach the passwd file.
  await fsp.chmod(dir, 0o755);
  await fsp.mkdir(path.join(dir, 'run'), { recursive: true, mode: 0o755 });
  // the mail folder belongs to nobody in particular: the POP process runs as the dovecot user
  await fsp.mkdir(path.join(dir, 'mail', user), { recursive: true });
  await fsp.chmod(path.join(dir, 'mail'), 0o777);
  await fsp.chmod(path.join(dir, 'mail', user), 0o777);
  const passwd = path.join(dir, 'passwd');
  await fsp.writeFile(passwd, `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const log = path.join(dir, 'dovecot.log');
  const conf = path.join(dir, 'dovecot.conf');
  await fsp.writeFile(
    conf,
    [
      'protocols = pop3',
      'listen = 127.0.0.1',
      `base_dir = ${path.join(dir, 'run')}`,
      `state_dir = ${path.join(dir, 'state')}`,
      `log_path = ${log}`,
      `info_log_path = ${log}`,
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain',
      `mail_location = maildir:${path.join(dir, 'mail')}/%u`,
      'default_internal_user = dovecot',
      'default_login_user = dovenull',
      'service pop3-login {',
      '  inet_listener pop3 {',
      `    port = ${port}`,
      '  }',
      '  inet_listener pop3s {',
      '    port = 0',
      '  }',
      '}',
      'service anvil {',
      '  chroot =',
      '}',
      'passdb {',
      '  driver = passwd-file',
      `  args = ${passwd}`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=dovecot gid=dovecot home=${path.join(dir, 'mail')}/%u`,
      '}',
      // the dovecot user is a system user (uid < 500): allow it as the mail user here
      'first_valid_uid = 1',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // up when the port answers
  const started = Date.now();
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() - started > 10_000) {
      child.kill('SIGKILL');
      const logged = await fsp.readFile(log, 'utf8').catch(() => '');
      throw new Error(`dovecot did not start: ${stderr}${logged}`);
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  const seen = new Map<string, number>();
  return {
    port,
    async logins() {
      const text = await fsp.readFile(log, 'utf8').catch(() => '');
      const out: { user: string; ip: string; seenAt: number }[] = [];
      for (const line of text.split('\n')) {
        const m = /pop3-login: (?:Info: )?Login: user=<([^>]*)>.*rip=([0-9a-f.:]+)/.exec(line);
        if (!m) continue;
        if (!seen.has(line)) seen.set(line, Date.now());
        out.push({ user: m[1]!, ip: m[2]!, seenAt: seen.get(line)! });
      }
      return out;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
