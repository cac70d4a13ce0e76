/**
 * How tests bring a method to "set up and opening-reported". Contract and workflow state
 * (opening, testedAt, openingReportedAt, …) cannot be written with settings:set / config set,
 * so every method gets there through the real actions against the center simulator:
 * - Express (HTTPS): an opening with a key file it issued, a test report and the opening report
 *   (`reportOpeningThroughCenter`, or `openedDataDir` for a data folder made that way once and
 *   copied);
 * - Express by e-mail: the same over SMTP to the center's mail side (`express-center serve
 *   --smtp-port`, test/helpers/mail-peers/center.ts), optionally with Express (HTTPS) on the
 *   same opening (`openMailMethodThroughCenter`, or `openedMailDataDir`).
 */
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiMethod, CallOutcome, Params, Result } from '../../src-shared/api';
import { AlertService, type AlertServiceOptions } from '../../src-main/core/alert-service';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { issueKeyFile, type IssueKeyFileOptions, type IssuedKeyFile } from '../center/issue-key-file';
import type { MailCenter } from './mail-peers/center';

/** Whatever carries contract calls: an AlertService, or a served backend wrapped as one. */
export interface Caller {
  call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>>;
}

/** The center simulator as the set-up needs it (test/helpers/center.ts's Center). */
export interface CenterAddress {
  url: string;
  ca: string;
  dataDir: string;
}

async function must<M extends ApiMethod>(host: Caller, method: M, params: Params<M>): Promise<Result<M>> {
  const out = await host.call(method, params);
  if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
  return out.result as Result<M>;
}

export interface OpeningThroughCenter {
  /** the contract's last day; null for none; default one year on */
  expires?: string | null;
  userSystemCode?: string;
}

/**
 * [開局] with a key file the center issued (its URL as destination 1, its CA trusted), then a
 * test report and the opening report to it: Express (HTTPS) set up and opening-reported, not
 * enabled. Returns what the center issued (its extension secret makes extension keys).
 */
export async function reportOpeningThroughCenter(host: Caller, center: CenterAddress, options: OpeningThroughCenter = {}): Promise<IssuedKeyFile> {
  return openWithIssuedKeyFile(host, { dataDir: center.dataDir, httpsUrls: [center.url], ...options }, () => sendTestAndOpeningReport(host, center));
}

/**
 * [開局] with a key file the center issues (in a temporary folder), then `reports` (the test
 * and opening reports) while the key file is still there. Returns what the center issued.
 */
async function openWithIssuedKeyFile(host: Caller, issue: Omit<IssueKeyFileOptions, 'out'>, reports: () => Promise<void>): Promise<IssuedKeyFile> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-setup-key-'));
  try {
    const issued = await issueKeyFile({ out: path.join(dir, 'server.key'), ...issue });
    const read = await must(host, 'opening:readKeyFile', { file: { path: issued.file } });
    const { customer, device, options: optionDevices, dealer } = read.keyFile;
    await must(host, 'opening:commit', {
      source: { mode: 'key-file', file: { path: issued.file }, acceptHostNameMismatch: true },
      customer,
      device: { ...device, serverName: read.hostName },
      options: optionDevices,
      dealer,
    });
    await reports();
    return issued;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** After an opening: the center's CA trusted, a test report and the opening report to destination 1. */
export async function sendTestAndOpeningReport(host: Caller, center: Pick<CenterAddress, 'url' | 'ca'>): Promise<void> {
  const settings = await must(host, 'settings:get', {});
  if (settings.methods['express-https'].url1 !== center.url) await must(host, 'settings:set', { key: 'methods.express-https.url1', value: center.url });
  await must(host, 'settings:set', { key: 'methods.express-https.caFile', value: center.ca });
  const tested = await must(host, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
  if (!tested.delivered) throw new Error(`test report: ${tested.message}`);
  const opening = await must(host, 'report:opening', { method: 'express-https', destination: 1, ignoreSyntaxErrors: true });
  if (opening.stage !== 'done') throw new Error(`opening report: ${opening.stage === 'failed' ? opening.outcome.message : 'syntax errors'}`);
}

/**
 * A data folder opened and opening-reported through the center by the real actions (see
 * reportOpeningThroughCenter), made by a service that is closed again before this resolves.
 */
export async function openedDataDir(
  dataDir: string,
  center: CenterAddress,
  options: OpeningThroughCenter & Pick<AlertServiceOptions, 'now' | 'hostName'> = {},
): Promise<IssuedKeyFile> {
  const { now, hostName, ...opening } = options;
  return withTemporaryService(dataDir, { now, hostName }, (service) => reportOpeningThroughCenter(service, center, opening));
}

/**
 * Opens an AlertService on a data folder (English, the host name SERVER001 unless `hostName`
 * says otherwise), runs `setUp` with it and closes it again, whatever happened; `afterClose`
 * then releases what outlives the service (the kept SMTP sessions).
 */
async function withTemporaryService<T>(
  dataDir: string,
  options: Pick<AlertServiceOptions, 'now' | 'hostName'> & { afterClose?: () => void },
  setUp: (service: AlertService) => Promise<T>,
): Promise<T> {
  const { now, hostName, afterClose } = options;
  const service = await AlertService.open({ dataDir, osLocale: 'en_US.UTF-8', now, hostName, opening: { hostName: hostName ?? (() => 'SERVER001') } });
  try {
    return await setUp(service);
  } finally {
    await service.close();
    afterClose?.();
  }
}

/** Copies a data folder's settings (and the key that decrypts its passwords) into another one. */
export async function copySettings(fromDir: string, toDir: string): Promise<void> {
  await fs.mkdir(toDir, { recursive: true });
  for (const name of ['settings.json', 'secret.key']) {
    await fs.copyFile(path.join(fromDir, name), path.join(toDir, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

/** The center's mail address in the key files the mail set-up issues. */
export const MAIL_CENTER_ADDRESS = 'express-center@center.example.jp';

export interface MailOpeningThroughCenter extends OpeningThroughCenter {
  /**
   * Also Express (HTTPS) on the same opening: the key file names the center's HTTPS URL, and the
   * HTTPS test and opening reports go there too (the center must run HTTPS: startMailCenter({ https: true })).
   */
  https?: boolean;
}

/** The center CA's PEM file, as `serve` printed it (`ca: …`). */
function centerCaFile(center: MailCenter): string {
  const ca = /^ca: (.+)$/m.exec(center.output())?.[1];
  if (!ca) throw new Error(`express-center serve printed no ca: line: ${center.output()}`);
  return ca;
}

/**
 * [開局] with a key file the center issued (its mail address as 宛先, its S/MIME certificate),
 * the mail route to the center's SMTP port by settings:patch (STARTTLS, the center CA trusted),
 * then a test report with a result destination and the opening report, each stored by the
 * center: Express by e-mail set up and opening-reported, not enabled. With `https`, Express
 * (HTTPS) is tested and opening-reported to the same center first. Returns what the center issued.
 */
export async function openMailMethodThroughCenter(host: Caller, center: MailCenter, options: MailOpeningThroughCenter = {}): Promise<IssuedKeyFile> {
  const { https = false, ...opening } = options;
  if (https && !center.url) throw new Error('openMailMethodThroughCenter: the center runs no HTTPS (startMailCenter({ https: true }))');
  const ca = centerCaFile(center);
  const issue = { dataDir: center.dataDir, mail: MAIL_CENTER_ADDRESS, httpsUrls: https ? [center.url!] : [], ...opening };
  return openWithIssuedKeyFile(host, issue, async () => {
    if (https) await sendTestAndOpeningReport(host, { url: center.url!, ca });
    await must(host, 'settings:patch', {
      changes: {
        'methods.express.route': 'mail',
        'methods.express.mail.smtpHost': '127.0.0.1',
        'methods.express.mail.smtpPort': center.smtpPort,
        'methods.express.mail.security': 'starttls',
        'methods.express.mail.caFile': ca,
        'methods.express.mail.sender': 'server@example.jp',
      },
    });
    const tested = await must(host, 'report:test', { method: 'express', destination: 1, result: { kind: 'mail', address: 'result@example.co.jp' } });
    if (!tested.delivered) throw new Error(`mail test report: ${tested.message}`);
    const reported = await must(host, 'report:opening', { method: 'express', destination: 1, ignoreSyntaxErrors: true });
    if (reported.stage !== 'done') throw new Error(`mail opening report: ${reported.stage === 'failed' ? reported.outcome.message : 'syntax errors'}`);
    await center.waitForLine(/^mail report \S+ opening stored/);
  });
}

/**
 * A data folder with Express by e-mail opened and opening-reported through the center by the
 * real actions (see openMailMethodThroughCenter), made by a service that is closed again (and
 * its kept SMTP sessions with it) before this resolves.
 */
export async function openedMailDataDir(
  dataDir: string,
  center: MailCenter,
  options: MailOpeningThroughCenter & Pick<AlertServiceOptions, 'now' | 'hostName'> = {},
): Promise<IssuedKeyFile> {
  const { now, hostName, ...opening } = options;
  return withTemporaryService(dataDir, { now, hostName, afterClose: closeMailConnections }, (service) => openMailMethodThroughCenter(service, center, opening));
}
