/**
 * How tests bring a method to "set up and opening-reported". Contract and workflow state
 * (opening, testedAt, openingReportedAt, …) cannot be written with settings:set / config set,
 * so:
 * - Express (HTTPS) gets there through the real actions against the center simulator: an
 *   opening with a key file it issued, a test report and the opening report
 *   (`reportOpeningThroughCenter`, or `openedDataDir` for a data folder made that way once and
 *   copied);
 * - Express by e-mail has no reporter yet, so no action can send its opening report: its state
 *   is a settings file written on disk before the service opens (`writeSettingsFixture`).
 */
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiMethod, CallOutcome, Params, Result } from '../../src-shared/api';
import { defaultSettings, settingsSchema } from '../../src-shared/settings';
import { AlertService, type AlertServiceOptions } from '../../src-main/core/alert-service';
import { issueKeyFile, type IssuedKeyFile } from '../center/issue-key-file';

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
  const dir = mkdtempSync(path.join(os.tmpdir(), 'er-setup-key-'));
  try {
    const issued = await issueKeyFile({ out: path.join(dir, 'server.key'), dataDir: center.dataDir, httpsUrls: [center.url], ...options });
    const read = await must(host, 'opening:readKeyFile', { file: { path: issued.file } });
    const { customer, device, options: optionDevices, dealer } = read.keyFile;
    await must(host, 'opening:commit', {
      source: { mode: 'key-file', file: { path: issued.file }, acceptHostNameMismatch: true },
      customer,
      device: { ...device, serverName: read.hostName },
      options: optionDevices,
      dealer,
    });
    await sendTestAndOpeningReport(host, center);
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
  const service = await AlertService.open({ dataDir, osLocale: 'en_US.UTF-8', now, hostName, opening: { hostName: hostName ?? (() => 'SERVER001') } });
  try {
    return await reportOpeningThroughCenter(service, center, opening);
  } finally {
    await service.close();
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

type Patch = { [key: string]: unknown };

function merge(base: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Patch = typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...(base as Patch) } : {};
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}

/**
 * A FIXTURE: writes `patch` into the settings file on disk (over what is there, else the
 * defaults) for a service that has not opened it yet. Only for states no action can reach here
 * (Express by e-mail's opening report); the result must be valid settings.
 */
export async function writeSettingsFixture(dataDir: string, patch: Patch): Promise<void> {
  const file = path.join(dataDir, 'settings.json');
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  const next = merge(text === null ? defaultSettings() : (JSON.parse(text) as unknown), patch);
  const checked = settingsSchema.safeParse(next);
  if (!checked.success) throw new Error(`settings fixture is not valid settings: ${checked.error.message}`);
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
}

/** A key-code opening, as a fixture (for a mail set-up with no HTTPS opening under it). */
export const KEY_CODE_OPENING_FIXTURE = { opening: { mode: 'key-code', openedAt: '2026-01-01T00:00:00Z', userSystemCode: 'OPFILELESS', keyCode: '01239' } };

/** Express by e-mail set up and "opening-reported" (no reporter can send that report yet): a fixture. */
export const MAIL_OPENING_REPORTED_FIXTURE = {
  methods: {
    express: {
      route: 'mail',
      mail: { smtpHost: 'mail.example.jp', sender: 'server@example.jp', destination: 'center@example.jp' },
      openingReportedAt: '2026-01-01T00:10:00Z',
    },
  },
};
