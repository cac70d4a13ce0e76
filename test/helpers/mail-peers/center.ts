/**
 * The center simulator's mail side for tests: the real built CLI, `node bin/express-center.cjs
 * serve --smtp-port 0 …`, started as a child of the test (stop() sends SIGTERM and waits, then
 * SIGKILL after 10 s), its head lines (`smtp:`, `smime-cert:`, `ca:`, `admin:`, `url:` when HTTPS
 * runs too, `data-dir:` last) read from stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { ReportListing } from '../../center/reports';
import { CENTER_BIN, centerReports, ensureCenterBuilt, stopServe } from '../center';

export interface MailCenter {
  /** the SMTP port on 127.0.0.1 */
  smtpPort: number;
  /** smime/center-cert.pem */
  smimeCertFile: string;
  smimeCertPem(): string;
  /** the center CA (PEM text): it signs the STARTTLS certificate */
  caPem: string;
  /** https://…/Scripts/trsRecvAlert.cgi when HTTPS runs too */
  url: string | null;
  admin: string;
  dataDir: string;
  pid: number;
  output(): string;
  /** resolves when a printed line matches (or rejects after timeoutMs) */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  reports(): ReportListing[];
  stop(): Promise<number | null>;
}

export async function startMailCenter(options: { dataDir?: string; args?: string[]; https?: boolean } = {}): Promise<MailCenter> {
  ensureCenterBuilt();
  const temp = options.dataDir ? null : mkdtempSync(path.join(os.tmpdir(), 'er-mailcenter-'));
  const dataDir = options.dataDir ?? path.join(temp!, 'data');
  const args = ['serve', '--data-dir', dataDir, '--smtp-port', '0', ...(options.https ? ['--https-port', '0'] : []), ...(options.args ?? [])];
  const child = spawn(process.execPath, [CENTER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<(line: string) => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const lines = readline.createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    output += `${line}\n`;
    for (const l of listeners) l(line);
  });
  const head: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`express-center serve printed no data-dir within 30 s: ${output}`)), 30_000);
    const onLine = (line: string) => {
      const m = /^(url|ca|admin|smtp|smime-cert|data-dir): (.+)$/.exec(line);
      if (!m || head['data-dir']) return;
      head[m[1]!] = m[2]!;
      if (m[1] === 'data-dir') {
        clearTimeout(timer);
        listeners.delete(onLine);
        resolve();
      }
    };
    listeners.add(onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`express-center serve exited with ${code}: ${output}`));
    });
  });
  if (!head.smtp) throw new Error(`express-center serve printed no smtp: line: ${output}`);
  return {
    smtpPort: Number(/:(\d+)$/.exec(head.smtp)![1]),
    smimeCertFile: head['smime-cert']!,
    smimeCertPem: () => readFileSync(head['smime-cert']!, 'utf8'),
    caPem: readFileSync(head.ca!, 'utf8'),
    url: head.url ?? null,
    admin: head.admin!,
    dataDir,
    pid: child.pid!,
    output: () => output,
    waitForLine(pattern, timeoutMs = 20_000) {
      const already = output.split('\n').find((l) => pattern.test(l));
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(onLine);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms: ${output}`));
        }, timeoutMs);
        const onLine = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(onLine);
          resolve(line);
        };
        listeners.add(onLine);
      });
    },
    reports: () => centerReports(dataDir),
    stop: stopServe(child, exited, temp),
  };
}
