/**
 * A tiny POP3 client on node:net for tests: greeting, USER, PASS, QUIT — what a POP-before-SMTP
 * login does. Resolves with the server's replies; `ok` is whether PASS was answered +OK.
 */
import net from 'node:net';

export interface PopLogin {
  ok: boolean;
  /** every reply line, in order (the password is never in them) */
  replies: string[];
}

export function popLogin(port: number, user: string, pass: string, host = '127.0.0.1', timeoutMs = 10_000): Promise<PopLogin> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const replies: string[] = [];
    let buffer = '';
    let ok = false;
    // what the next reply answers: the greeting, USER, PASS, then QUIT
    let step: 'greeting' | 'user' | 'pass' | 'quit' | 'done' = 'greeting';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`POP server ${host}:${port} did not answer within ${timeoutMs} ms (${replies.join(' | ')})`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        replies.push(line);
        const good = line.startsWith('+OK');
        if (step === 'greeting' && good) {
          step = 'user';
          socket.write(`USER ${user}\r\n`);
        } else if (step === 'user' && good) {
          step = 'pass';
          socket.write(`PASS ${pass}\r\n`);
        } else if (step === 'quit' || step === 'done') {
          step = 'done';
          socket.end();
        } else {
          if (step === 'pass') ok = good;
          step = 'quit';
          socket.write('QUIT\r\n');
        }
      }
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ ok, replies });
    });
  });
}
