/**
 * POP before SMTP (the seed's [このサーバは POP Before SMTP が必要]): a log-in to the POP3
 * server — USER, PASS, QUIT on node:net, nothing read — which opens relaying for this address on
 * servers set up that way. TLS is not used (POP before SMTP servers are the classic port 110
 * kind); the password goes only to the POP server, and is never in a reason.
 */
import net from 'node:net';

export interface PopConfig {
  host: string;
  port: number;
  account: string;
  password: string;
  timeoutMs: number;
}

/** How a POP log-in failed: the server could not be reached, or it answered -ERR. */
export class PopError extends Error {
  constructor(
    message: string,
    readonly kind: 'dns' | 'connect' | 'timeout' | 'greeting' | 'user' | 'pass' | 'protocol' | 'cancelled',
    /** -ERR to USER or PASS that says to try later ([IN-USE], [SYS/TEMP]) */
    readonly transient: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PopError';
  }
}

const MAX_LINE = 4096;

/** The POP3 log-in; resolves when the server has accepted PASS and QUIT was sent. */
export function popLogin(config: PopConfig, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const where = `${config.host}:${config.port}`;
    const socket = net.connect({ host: config.host, port: config.port });
    let buffer = '';
    let stage: 'greeting' | 'user' | 'pass' | 'quit' = 'greeting';
    let settled = false;
    const finish = (err: PopError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        socket.end();
        socket.setTimeout(2_000, () => socket.destroy());
        resolve();
      }
    };
    const onAbort = (): void => finish(new PopError(`the POP log-in to ${where} was cancelled`, 'cancelled', true));
    const timer = setTimeout(() => finish(new PopError(`no answer from the POP server ${where} within ${config.timeoutMs / 1000} s (at ${stage})`, 'timeout', true)), config.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();

    const reply = (line: string): void => {
      const ok = line.startsWith('+OK');
      const said = line.replace(/^[+-]\S*\s?/, '').slice(0, 200);
      if (!ok && !line.startsWith('-ERR')) return finish(new PopError(`the server ${where} does not answer as a POP3 server ("${line.slice(0, 80)}")`, 'protocol', false));
      switch (stage) {
        case 'greeting':
          if (!ok) return finish(new PopError(`the POP server ${where} refused the connection (-ERR ${said})`, 'greeting', true));
          stage = 'user';
          socket.write(`USER ${config.account}\r\n`);
          return;
        case 'user':
          if (!ok) return finish(new PopError(`the POP server ${where} refused the account name (-ERR ${said})`, 'user', /\[(IN-USE|SYS\/TEMP)\]/i.test(said)));
          stage = 'pass';
          socket.write(`PASS ${config.password}\r\n`);
          return;
        case 'pass':
          if (!ok) return finish(new PopError(`the POP server ${where} refused the log-in of ${config.account} (-ERR ${said})`, 'pass', /\[(IN-USE|SYS\/TEMP)\]/i.test(said)));
          stage = 'quit';
          socket.write('QUIT\r\n');
          return finish(null);
        case 'quit':
          return;
      }
    };

    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        reply(line);
        if (settled) return;
      }
      if (buffer.length > MAX_LINE) finish(new PopError(`the POP server ${where} sent a line longer than ${MAX_LINE} bytes`, 'protocol', false));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'error';
      const dns = code === 'ENOTFOUND' || code.startsWith('EAI_');
      finish(
        dns
          ? new PopError(`the POP server's host name ${config.host} could not be resolved (${code})`, 'dns', true, code)
          : new PopError(`could not connect to the POP server ${where} (${code})`, 'connect', true, code),
      );
    });
    socket.on('close', () => {
      if (stage !== 'quit') finish(new PopError(`the POP server ${where} closed the connection (at ${stage})`, 'connect', true));
    });
  });
}

/** Waits `ms` (the seed's 待ち時間 after the POP log-in); an abort ends the wait at once. */
export function waitAfterPop(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new PopError('the wait after the POP log-in was cancelled', 'cancelled', true));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
  });
}
