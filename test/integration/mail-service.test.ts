/**
 * Express Report by e-mail through the product's service, set up only by real actions: a
 * key-file opening (the center simulator issued it, with its S/MIME certificate and the center's
 * address), the mail settings by settings:patch, a test report, the opening report, the method
 * enabled, then a fault delivered and shown as delivered in the history — all to a real
 * smtp-server over STARTTLS with SMTP AUTH, each mail S/MIME-enveloped and decrypted here by
 * openssl with the center's key. The CLI's `test --method express --result-mail` and
 * `opening-report --method express` do the same.
 */
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Params, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { defaultChannels } from '../../src-main/channels/registry';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { issueKeyFile, type IssuedKeyFile } from '../center/issue-key-file';
import { spawn } from 'node:child_process';
import { BIN } from '../helpers/cli';
import { startSmtpPeer, throwawayTls, type SmtpPeer, type Throwaway } from '../helpers/mail-smtp';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-svc-');
const CENTER = 'center@example.jp';
const SMTP_PASSWORD = 'Smtp-Svc-pw7';
const RESULT = 'result@example.co.jp';
let pair: Throwaway;
let smtp: SmtpPeer;
let n = 0;

beforeAll(async () => {
  pair = await throwawayTls(tmp.dir);
  smtp = await startSmtpPeer({ tls: pair.server, authMethods: ['CRAM-MD5', 'PLAIN'], users: { server: SMTP_PASSWORD }, authOptional: false });
});
afterAll(async () => {
  closeMailConnections();
  await smtp.close();
  tmp.remove();
});

/** The built CLI, run without blocking this process (the SMTP peer answers from here). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

type Caller = { call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>> };
async function must<M extends ApiMethod>(s: Caller, method: M, params: Params<M>): Promise<Result<M>> {
  const out = await s.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
}

/** A service opened with a key file the center issued for CENTER (certificate valid for `certDays`). */
async function opened(certDays = 398, later = 0): Promise<{ s: AlertService; dataDir: string; issued: IssuedKeyFile; centerDir: string }> {
  const dataDir = path.join(tmp.dir, `data-${++n}`);
  const centerDir = path.join(tmp.dir, `center-${n}`);
  const issued = await issueKeyFile({ out: path.join(tmp.dir, `key-${n}.key`), dataDir: centerDir, mail: CENTER, certDays });
  const s = await AlertService.open({ dataDir, osLocale: 'en_US.UTF-8', hostName: () => 'SERVER001', opening: { hostName: () => 'SERVER001' }, channels: defaultChannels({ timeoutMs: 8_000, mail: { now: () => new Date(Date.now() + later) } }) });
  const read = await must(s, 'opening:readKeyFile', { file: { path: issued.file } });
  const { customer, device, options, dealer } = read.keyFile;
  await must(s, 'opening:commit', { source: { mode: 'key-file', file: { path: issued.file }, acceptHostNameMismatch: true }, customer, device: { ...device, serverName: 'SERVER001' }, options, dealer });
  return { s, dataDir, issued, centerDir };
}

const M = 'methods.express.mail';
function mailSettings(password = SMTP_PASSWORD): Record<string, unknown> {
  return {
    'methods.express.route': 'mail',
    [`${M}.smtpHost`]: '127.0.0.1',
    [`${M}.smtpPort`]: smtp.port,
    [`${M}.security`]: 'starttls',
    [`${M}.caFile`]: pair.caFile,
    [`${M}.sender`]: 'server@example.jp',
    [`${M}.smtpAuth`]: true,
    [`${M}.smtp.account`]: 'server',
    [`${M}.smtp.password`]: password,
  };
}

/** The newest mail, decrypted with the center's key for the contract, parsed; its report.json. */
async function lastReport(centerDir: string, issued: IssuedKeyFile): Promise<Record<string, unknown>> {
  const got = smtp.received.at(-1)!;
  const dir = path.join(centerDir, 'contracts', issued.userSystemCode);
  const mailFile = path.join(tmp.dir, `got-${n}.eml`);
  await fsp.writeFile(mailFile, got.raw);
  const inner = execFileSync('openssl', [
    'cms', '-decrypt', '-in', mailFile,
    '-recip', path.join(dir, `smime-${issued.certificateSerial}.pem`),
    '-inkey', path.join(dir, `smime-${issued.certificateSerial}.key.pem`),
  ]);
  const text = inner.toString('latin1');
  const begin = text.indexOf('begin 644 report.json');
  const uu = text.slice(begin, text.indexOf('\r\nend\r\n', begin) + 7);
  const json = execFileSync('uudecode', ['-o', '/dev/stdout'], { input: uu }).toString('utf8');
  const parsed = await simpleParser(inner);
  expect(parsed.text).toContain('SERVER001');
  return JSON.parse(json) as Record<string, unknown>;
}

describe('Express Report by e-mail through the service', () => {
  it('key-file opening → mail settings → test report → opening report → enabled → a fault delivered, shown as delivered', async () => {
    const { s, issued, centerDir } = await opened();
    const settings = await must(s, 'settings:get', {});
    expect(settings.methods.express.mail.destination).toBe(CENTER); // preset from the opening
    await must(s, 'settings:patch', { changes: mailSettings() });

    const early = await s.call('report:opening', { method: 'express', destination: 1, ignoreSyntaxErrors: true });
    expect(!early.ok && early.error.field).toBe('methods.express.testedAt');

    const tested = await must(s, 'report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: RESULT } });
    expect(tested).toMatchObject({ delivered: true, destination: CENTER });
    expect(smtp.received.at(-1)).toMatchObject({ from: 'server@example.jp', to: [CENTER], method: 'CRAM-MD5', secure: true });
    expect(await lastReport(centerDir, issued)).toMatchObject({ kind: 'test', method: 'express', resultDestination: { kind: 'mail', address: RESULT } });

    const opening = await must(s, 'report:opening', { method: 'express', destination: 1, ignoreSyntaxErrors: true });
    expect(opening).toMatchObject({ stage: 'done', outcome: { delivered: true } });
    expect(await lastReport(centerDir, issued)).toMatchObject({ kind: 'opening', contract: { userSystemCode: issued.userSystemCode } });

    await must(s, 'methods:setEnabled', { name: 'express', enabled: true });
    const alert = await must(s, 'report:event', { source: 'disk', eventId: '0xc0040007', message: 'disk error', wait: true });
    expect(alert.items.map((i) => [i.method, i.state])).toEqual([['express', 'delivered']]);
    expect(await lastReport(centerDir, issued)).toMatchObject({ kind: 'alert', event: { eventId: '0xc0040007' } });
    const history = await must(s, 'history:list', {});
    const row = history.find((h) => h.id === alert.items[0]!.id)!;
    expect(row).toMatchObject({ state: 'delivered', destination: CENTER });

    // the password is stored, but never shown or kept in the history
    const shown = await must(s, 'settings:get', {});
    expect(shown.methods.express.mail.smtp.password).not.toBe(SMTP_PASSWORD);
    expect(JSON.stringify(history)).not.toContain(SMTP_PASSWORD);
    await s.close();
  });

  it('a wrong SMTP password: the test report fails at the auth step, says what to check, and keeps no password', async () => {
    const { s, dataDir } = await opened();
    await must(s, 'settings:patch', { changes: mailSettings('Wrong-pw-000') });
    const out = await must(s, 'report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: RESULT } });
    expect(out.delivered).toBe(false);
    expect(out.step).toBe('auth');
    expect(out.message).toContain('check the account name, password and method of SMTP authentication');
    expect(out.message).toContain('CRAM-MD5: 535');
    const history = await must(s, 'history:list', {});
    expect(JSON.stringify(history)).not.toContain('Wrong-pw-000');
    await s.close();
    // nothing under the data folder holds it in clear either (queue, history, logs)
    const files = await fsp.readdir(dataDir, { recursive: true });
    for (const f of files) {
      const file = path.join(dataDir, String(f));
      if (!(await fsp.stat(file)).isFile()) continue;
      expect((await fsp.readFile(file)).toString('latin1')).not.toContain('Wrong-pw-000');
    }
  });

  it('a center certificate that has expired since the opening is refused at test time with the reason, naming the S/MIME field', async () => {
    // the certificate is valid for one day; the channel's clock is two days on
    const { s } = await opened(1, 2 * 86_400_000);
    await must(s, 'settings:patch', { changes: mailSettings() });
    const out = await s.call('report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: RESULT } });
    expect(!out.ok && out.error).toMatchObject({ code: 'invalid-value', field: 'methods.express.smime' });
    expect(!out.ok && out.error.message).toContain("S/MIME certificate expired");
    await s.close();
  });

  it('the CLI: express-report test --method express --result-mail, then opening-report --method express', async () => {
    const { s, dataDir, issued, centerDir } = await opened();
    await must(s, 'settings:patch', { changes: mailSettings() });
    await s.close();
    const test = await cli(['test', '--method', 'express', '--result-mail', RESULT, '--data-dir', dataDir], { LANG: 'en_US.UTF-8' });
    expect(test.stderr).toBe('');
    expect(test.status).toBe(0);
    expect(await lastReport(centerDir, issued)).toMatchObject({ kind: 'test', resultDestination: { kind: 'mail', address: RESULT } });
    const opening = await cli(['opening-report', '--method', 'express', '--data-dir', dataDir], { LANG: 'en_US.UTF-8' });
    expect(opening.status).toBe(0);
    expect(opening.stdout).toContain('express: enabled');
    expect(await lastReport(centerDir, issued)).toMatchObject({ kind: 'opening' });
  });
});

describe('the mail settings are checked like the window', () => {
  it('refuses a mail CA file that is not one, naming the key', async () => {
    const { s } = await opened();
    const notCa = path.join(tmp.dir, 'not-a-ca.pem');
    await fsp.writeFile(notCa, 'hello');
    const out = await s.call('settings:set', { key: `${M}.caFile`, value: notCa });
    expect(!out.ok && out.error.field).toBe(`${M}.caFile`);
    expect(!out.ok && out.error.message).toContain('no PEM certificate');
    const bad = await s.call('settings:set', { key: `${M}.security`, value: 'ssl' });
    expect(!bad.ok && bad.error.field).toBe(`${M}.security`);
    await s.close();
  });

  it('a missing SMTP server or sender refuses the test report naming the field', async () => {
    const { s } = await opened();
    await must(s, 'settings:set', { key: 'methods.express.route', value: 'mail' });
    const out = await s.call('report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: RESULT } });
    expect(!out.ok && out.error).toMatchObject({ code: 'invalid-value', field: `${M}.smtpHost`, message: 'No SMTP server has been set.' });
    await must(s, 'settings:set', { key: `${M}.smtpHost`, value: '127.0.0.1' });
    const sender = await s.call('report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: RESULT } });
    expect(!sender.ok && sender.error.field).toBe(`${M}.sender`);
    await s.close();
  });

  it('マネージャからのエクスプレス通報 forwarding by mail reads its own mail settings', async () => {
    const { mailChannel } = await import('../../src-main/channels/mail/channel');
    const { defaultSettings } = await import('../../src-shared/settings');
    const settings = defaultSettings();
    settings.methods['manager-express'].forward = 'mail';
    settings.methods['manager-express'].mail.destination = 'forward@example.jp';
    settings.methods.express.mail.destination = 'other@example.jp';
    expect(mailChannel().destinations(settings, 'manager-express', null)).toEqual([{ index: 1, label: 'forward@example.jp' }]);
    expect(mailChannel().destinations(settings, 'manager-express', 2)).toEqual([]);
  });
});
