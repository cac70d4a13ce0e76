/**
 * The product's mail channel to the center simulator's mail side (`express-center serve
 * --smtp-port`, the real built CLI): a key-file opening the center issued, settings by
 * settings:patch, the test report over STARTTLS (the center CA trusted), S/MIME to the center's
 * certificate and uuencode (the seed's defaults) — stored once by id with channel mail, and the
 * test result mailed back (--result-smtp) to a real smtp-server; then the opening report, the
 * method enabled and a fault delivered, each stored by the center; a resend of a stored id is
 * stored once.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Params, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { defaultChannels } from '../../src-main/channels/registry';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { issueKeyFile } from '../center/issue-key-file';
import { startMailCenter, type MailCenter } from '../helpers/mail-peers/center';
import { startSmtpPeer, type SmtpPeer } from '../helpers/mail-smtp';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { createMailReporter } from '../../src-main/channels/mail/mail-reporter';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-center-');
const CENTER = 'express-center@center.example.jp';
const RESULT = 'result@example.co.jp';
let center: MailCenter;
let results: SmtpPeer;
let service: AlertService;

async function must<M extends ApiMethod>(method: M, params: Params<M>): Promise<Result<M>> {
  const out: CallOutcome<ApiMethod> = await service.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
}

beforeAll(async () => {
  results = await startSmtpPeer();
  const centerDir = path.join(tmp.dir, 'center');
  const issued = await issueKeyFile({ out: path.join(tmp.dir, 'server.key'), dataDir: centerDir, mail: CENTER });
  center = await startMailCenter({ dataDir: centerDir, args: ['--result-smtp', `127.0.0.1:${results.port}`] });
  const caFile = path.join(tmp.dir, 'center-ca.pem');
  await fsp.writeFile(caFile, center.caPem);
  service = await AlertService.open({
    dataDir: path.join(tmp.dir, 'data'),
    osLocale: 'ja_JP.UTF-8',
    hostName: () => 'SERVER001',
    opening: { hostName: () => 'SERVER001' },
    channels: defaultChannels({ timeoutMs: 15_000 }),
  });
  const read = await must('opening:readKeyFile', { file: { path: issued.file } });
  const { customer, device, options, dealer } = read.keyFile;
  await must('opening:commit', { source: { mode: 'key-file', file: { path: issued.file }, acceptHostNameMismatch: true }, customer, device: { ...device, serverName: 'SERVER001' }, options, dealer });
  await must('settings:patch', {
    changes: {
      'methods.express.route': 'mail',
      'methods.express.mail.smtpHost': '127.0.0.1',
      'methods.express.mail.smtpPort': center.smtpPort,
      'methods.express.mail.security': 'starttls',
      'methods.express.mail.caFile': caFile,
      'methods.express.mail.sender': 'sousin@foo.co.jp',
    },
  });
}, 60_000);
afterAll(async () => {
  await service?.close();
  closeMailConnections();
  await center?.stop();
  await results?.close();
  tmp.remove();
});

describe('the mail channel to the center simulator', () => {
  it('test report → stored by the center as mail (S/MIME, uuencode) → the result mail comes back; opening report; a fault', async () => {
    const settings = await must('settings:get', {});
    expect(settings.methods.express).toMatchObject({ smime: true, mail: { destination: CENTER, encoding: 'uuencode' } });

    const tested = await must('report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: RESULT } });
    expect(tested).toMatchObject({ delivered: true, destination: CENTER });
    const stored = await center.waitForLine(/^mail report \S+ test stored/);
    expect(stored).toMatch(/S\/MIME .*uuencode/);
    expect(center.reports().find((r) => r.kind === 'test')).toMatchObject({ channel: 'mail', method: 'express', resultDestination: { kind: 'mail', address: RESULT } });
    await center.waitForLine(/^result mail for \S+ sent to result@example\.co\.jp/);
    const deadline = Date.now() + 10_000;
    while (results.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(results.received.map((m) => m.to)).toEqual([[RESULT]]);
    expect((await simpleParser(results.received[0]!.raw)).text).toBeTruthy();

    const opening = await must('report:opening', { method: 'express', destination: 1, ignoreSyntaxErrors: true });
    expect(opening).toMatchObject({ stage: 'done', outcome: { delivered: true } });
    await center.waitForLine(/^mail report \S+ opening stored/);

    await must('methods:setEnabled', { name: 'express', enabled: true });
    const alert = await must('report:event', { source: 'disk', eventId: '0xc0040007', message: 'ディスク障害', wait: true });
    expect(alert.items.map((i) => i.state)).toEqual(['delivered']);
    await center.waitForLine(/^mail report \S+ alert stored/);
    const kinds = center.reports().map((r) => [r.kind, r.channel]);
    expect(kinds).toEqual(expect.arrayContaining([['test', 'mail'], ['opening', 'mail'], ['alert', 'mail']]));

    const history = await must('history:list', {});
    expect(history.find((h) => h.id === alert.items[0]!.id)).toMatchObject({ state: 'delivered', destination: CENTER });
  }, 90_000);

  it('a resend of the same report (the same id, after a lost answer) is stored once', async () => {
    const report = outgoing('alert');
    const caFile = path.join(tmp.dir, 'center-ca.pem');
    const reporter = () => createMailReporter(baseConfig(center.smtpPort, { security: 'starttls', caFile, destination: CENTER, smimeCertificatePem: center.smimeCertPem(), timeoutMs: 15_000 }));
    expect(await reporter().send(report, {})).toMatchObject({ ok: true });
    await center.waitForLine(new RegExp(`^mail report ${report.envelope.id} alert stored`));
    closeMailConnections();
    expect(await reporter().send(report, {})).toMatchObject({ ok: true });
    await center.waitForLine(new RegExp(`^mail report ${report.envelope.id} alert duplicate`));
    expect(center.reports().filter((r) => r.id === report.envelope.id)).toHaveLength(1);
  });
});
