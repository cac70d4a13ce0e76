/**
 * The report pipeline inside the service, against the real center simulator over TLS: the
 * pseudo-failure test with its AMHTPLOG.INF logs, retries on the method's schedule (a manual
 * clock runs hours in milliseconds; the network is real), failure for good made visible,
 * suppression, the service's end and extension, and a restart with reports pending.
 */
import { defaultChannels } from '../../src-main/channels/registry';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import type { HistoryItem, HistoryState } from '../../src-shared/history';
import { encodeExtensionKey } from '../../src-main/contract/extension-key';
import { AlertService } from '../../src-main/core/alert-service';
import { JournalSource } from '../../src-main/events/journal';
import { parseJournalLine } from '../../src-main/events/journal-parse';
import type { EventSource, FaultEvent } from '../../src-main/events/fault-event';
import { ManualClock } from '../../src-main/queue';
import { startCenter, type Center } from '../helpers/center';
import { copySettings, openedDataDir } from '../helpers/setup-methods';
import type { IssuedKeyFile } from '../center/issue-key-file';
import { holdQueue } from '../helpers/queue-owner';
import { tempDir } from '../helpers/temp';

const MIN = 60_000;

let center: Center;
const tmp = tempDir('er-pipeline-');
let n = 0;
const open: AlertService[] = [];

beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await center.stop();
  tmp.remove();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await center.clearFaults();
});

async function call<M extends ApiMethod>(s: AlertService, method: M, params: unknown): Promise<Result<M>> {
  const out = (await s.call(method, params)) as CallOutcome<M>;
  if (!out.ok) throw new Error(`${method}: ${out.error.code}: ${out.error.message}`);
  return out.result;
}

async function refused(s: AlertService, method: ApiMethod, params: unknown) {
  const out = await s.call(method, params);
  if (out.ok) throw new Error(`${method} was accepted`);
  return out.error;
}

interface Started {
  s: AlertService;
  dataDir: string;
  logs: string[];
  events: ApiEvent[];
  /** the key file the center issued for the opening (its extension secret makes extension keys) */
  issued: IssuedKeyFile | null;
}

/**
 * Data folders opened, tested and opening-reported through the center by the real actions,
 * once per contract; each test starts from a copy of one (its settings, not its queue).
 */
const templates = new Map<string, Promise<{ dir: string; issued: IssuedKeyFile }>>();
function template(expires?: string): Promise<{ dir: string; issued: IssuedKeyFile }> {
  const key = expires ?? 'default';
  let made = templates.get(key);
  if (!made) {
    const dir = path.join(tmp.dir, `template-${templates.size + 1}`);
    // made on the day before the manual clocks below start, so a contract ending 2026-03-31 is still running
    made = openedDataDir(dir, center, { userSystemCode: 'U2026-0042', expires, now: () => new Date(2026, 2, 1, 10, 0) }).then((issued) => ({ dir, issued }));
    templates.set(key, made);
  }
  return made;
}

/** A service with Express (HTTPS) enabled and delivering to the center, running in the background. */
async function started(
  options: { clock?: ManualClock; dataDir?: string; expires?: string; setUp?: boolean; eventSources?: (dataDir: string, log: (line: string) => void) => EventSource[] } = {},
): Promise<Started> {
  const dataDir = options.dataDir ?? path.join(tmp.dir, `data-${++n}`);
  const { clock } = options;
  const made = options.setUp !== false ? await template(options.expires) : null;
  if (made) await copySettings(made.dir, dataDir);
  const s = await AlertService.open({
    dataDir,
    osLocale: 'en_US.UTF-8',
    opening: { hostName: () => 'SERVER001' },
    hostName: () => 'SERVER001',
    channels: defaultChannels({ timeoutMs: 3_000 }),
    now: clock?.now,
    eventSources: options.eventSources,
    setTimer: clock?.setTimer,
    clearTimer: clock?.clearTimer,
  });
  open.push(s);
  const events: ApiEvent[] = [];
  s.subscribe((e) => events.push(e));
  if (made) await call(s, 'methods:setEnabled', { name: 'express-https', enabled: true });
  const logs: string[] = [];
  await s.startBackground((line) => logs.push(line));
  return { s, dataDir, logs, events, issued: made?.issued ?? null };
}

/** Waits (real time) until the report is in one of the states; the attempts run over the real network. */
async function until(s: AlertService, id: string, states: HistoryState[], timeoutMs = 15_000): Promise<HistoryItem> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const item = (await call(s, 'history:list', {})).find((i) => i.id === id);
    if (item && states.includes(item.state)) return item;
    if (Date.now() > end) throw new Error(`report ${id} is ${item?.state ?? 'missing'}, not ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Nothing in flight: no report is being collected or tried. */
const quiet = (s: AlertService) => s.idle();

function writeLogInf(dataDir: string, logDir: string): void {
  const inf = ['[Configuration]', 'TimeOut=60', 'MaxSize=0', '', '[Tool001]', 'SourceName01=atapi', 'EventID01=0xC0040006', `LogFile=${logDir}`, ''].join('\r\n');
  writeFileSync(path.join(dataDir, 'WebReprt', 'AMHTPLOG.INF'), inf);
}

describe('通報テスト (pseudo-failure test) through the whole pipeline', () => {
  it('collects the logs AMHTPLOG.INF names, queues the alert and delivers it; the history shows it delivered', async () => {
    const { s, dataDir } = await started();
    const logDir = path.join(tmp.dir, `logs-${n}`);
    mkdirSync(logDir, { recursive: true });
    writeFileSync(path.join(logDir, 'controller.log'), 'atapi: controller error at LBA 1234\n'.repeat(200));
    writeLogInf(dataDir, logDir);

    const accepted = await call(s, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xC0040006' });
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ kind: 'alert', method: 'express-https', event: { source: 'atapi', eventId: '0xc0040006' } });
    const delivered = await until(s, accepted[0]!.id, ['delivered']);
    expect(delivered).toMatchObject({ attempts: 1, destination: center.url, errorText: null });

    const atCenter = center.reports().find((r) => r.id === accepted[0]!.id)!;
    expect(atCenter.kind).toBe('alert');
    expect(atCenter.event).toMatchObject({ log: 'System', source: 'atapi', eventId: '0xc0040006', pseudo: true, suppressedCount: 0 });
    expect(atCenter.attachments.map((a) => a.name)).toEqual(['log.zip']);
    expect(atCenter.attachments[0]!.size).toBeGreaterThan(100);
    // The archive was moved into the queue and deleted once delivered; the work folder is gone.
    expect(readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
    // (the queue removes a delivered report's files just after recording the delivery)
    await expect.poll(() => readdirSync(path.join(dataDir, 'queue', 'attachments'))).toEqual([]);
  });

  it('an event AMHTPLOG.INF does not collect for is reported without an archive', async () => {
    const { s } = await started();
    const [item] = await call(s, 'report:pseudoFault', { log: 'System', source: 'disk', eventId: '0xc0040007' });
    await until(s, item!.id, ['delivered']);
    expect(center.reports().find((r) => r.id === item!.id)!.attachments).toEqual([]);
  });

  it('is refused with the reason when no method is enabled, and for an event id that is not one', async () => {
    const { s } = await started({ setUp: false });
    expect(await refused(s, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xc0040006' })).toMatchObject({
      code: 'not-ready',
      message: expect.stringMatching(/No report method is enabled/),
    });
    const { s: s2 } = await started();
    expect(await refused(s2, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: 'atapi' })).toMatchObject({ code: 'invalid-value', field: 'eventId' });
  });
});

describe('event sources: faults are reported with nobody at the window', () => {
  it('the journal source (journalctl replaced by a script printing recorded entries) feeds the pipeline; repeats are suppressed', async () => {
    const fixtures = path.join(__dirname, '..', 'fixtures', 'journal');
    const recorded = path.join(fixtures, 'hardware.jsonl');
    const expected = new Map<string, FaultEvent>();
    for (const line of readFileSync(recorded, 'utf8').split('\n')) {
      const event = line ? parseJournalLine(line) : null;
      if (event && !('error' in event) && !expected.has(`${event.source} ${event.eventId}`)) expected.set(`${event.source} ${event.eventId}`, event);
    }
    expect(expected.size).toBeGreaterThan(3);
    const { s, logs } = await started({
      eventSources: (dataDir, log) => [
        new JournalSource({
          cursorFile: path.join(dataDir, 'journal-cursor.json'),
          journalctl: path.join(fixtures, 'fake-journalctl.mjs'),
          env: { ...process.env, FAKE_JOURNAL_FILE: recorded },
          log,
        }),
      ],
    });
    const end = Date.now() + 15_000;
    let delivered: HistoryItem[] = [];
    while (Date.now() < end) {
      delivered = await call(s, 'history:list', { states: ['delivered'] });
      if (delivered.length >= expected.size) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // One report per distinct source + event id: the repeats fell within 通報の抑制's period.
    expect(delivered.map((i) => `${i.event!.source} ${i.event!.eventId}`).sort()).toEqual([...expected.keys()].sort());
    const atCenter = center.reports().filter((r) => delivered.some((i) => i.id === r.id));
    expect(atCenter.map((r) => r.event!.message).sort()).toEqual([...expected.values()].map((e) => e.message).sort());
    expect(logs.join('\n')).toMatch(/suppressed/);
  });
});

describe('retries on the method schedule (W5) with the real reporter', () => {
  it('center down for a while: retrying with the next time in the history, then delivered', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const { s } = await started({ clock });
    await center.fault({ mode: 'status', status: 503, count: 1 });
    const out = await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007', message: 'bad block' });
    const retrying = await until(s, out.items[0]!.id, ['retrying']);
    expect(retrying.nextAttemptAt).toBe(new Date(clock.now().getTime() + 5 * MIN).toISOString());
    expect(retrying.errorText).toMatch(/HTTP 503|503/);
    await clock.advance(5 * MIN, () => quiet(s));
    expect(await until(s, retrying.id, ['delivered'])).toMatchObject({ attempts: 2 });
  });

  it('down past the retry limit: failed for good — in the history, as a notice and in the log', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const { s, logs } = await started({ clock });
    await call(s, 'schedule:set', { method: 'express-https', schedule: { retryIntervalMinutes: 10, retryUntilHours: 1, window: '00:00-24:00' } });
    await center.fault({ mode: 'status', status: 503, count: 100 });
    const out = await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007' });
    const id = out.items[0]!.id;
    await until(s, id, ['retrying']);
    await clock.advance(61 * MIN, () => quiet(s));
    const failed = await until(s, id, ['failed']);
    expect(failed).toMatchObject({ failure: 'retry-limit', attempts: 7 });
    expect(failed.errorText).toMatch(/retry limit passed/);
    const info = await call(s, 'app:info', {});
    // the notice names the report as the history does (time, kind, event): no id, no internal word
    const notice = info.notices.map((x) => x.message).join('\n');
    expect(notice).toContain('The Fault (disk 0xc0040007) report accepted at 03/02/2026 10:00:00 could not be sent.');
    expect(notice).not.toContain(id);
    await call(s, 'settings:set', { key: 'ui.language', value: 'ja' });
    const ja = (await call(s, 'app:info', {})).notices.map((x) => x.message).join('\n');
    expect(ja).toContain('2026/03/02 10:00:00 に受け付けた障害(disk 0xc0040007)の通報を送信できませんでした。リトライ期限を過ぎたため');
    expect(ja).not.toMatch(/alert|[0-9a-f]{8}-[0-9a-f]{4}|[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}/);
    await call(s, 'settings:set', { key: 'ui.language', value: 'en' });
    expect(logs.join('\n')).toMatch(new RegExp(`report ${id} .*failed for good`));

    // Resend: the same id goes again and arrives once.
    await center.clearFaults();
    expect((await call(s, 'history:resend', { id })).state).toMatch(/queued|sending/);
    await until(s, id, ['delivered']);
    expect(center.reports().filter((r) => r.id === id)).toHaveLength(1);
    expect(await refused(s, 'history:resend', { id })).toMatchObject({ code: 'invalid-value', field: 'id' });
  });

  it('outside the time window a report waits for the opening', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 6, 0));
    const { s } = await started({ clock });
    await call(s, 'schedule:set', { method: 'express-https', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: '09:00-17:00' } });
    // --wait does not wait for the window: the report comes back queued with its time.
    const out = await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007', wait: true });
    const item = out.items[0]!;
    expect(item).toMatchObject({ state: 'queued', nextAttemptAt: new Date(2026, 2, 2, 9, 0).toISOString() });
    await new Promise((r) => setTimeout(r, 200));
    expect(center.reports().some((r) => r.id === item.id)).toBe(false);
    await clock.advanceTo(new Date(2026, 2, 2, 9, 0), () => quiet(s));
    await until(s, item.id, ['delivered']);
  });
});

describe('a schedule change re-plans the reports held for the time window', () => {
  it('the window widened: the report held for the old one goes at once, before a newer one', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 6, 0));
    const { s } = await started({ clock });
    await call(s, 'schedule:set', { method: 'express-https', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: '09:00-17:00' } });
    const held = (await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).items[0]!;
    expect(held).toMatchObject({ state: 'queued', nextAttemptAt: new Date(2026, 2, 2, 9, 0).toISOString() });
    await quiet(s);
    await call(s, 'schedule:set', { method: 'express-https', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: '05:00-17:00' } });
    await quiet(s);
    const newer = (await call(s, 'report:event', { source: 'disk', eventId: '0xc0040008' })).items[0]!;
    const delivered = await until(s, held.id, ['delivered']);
    await until(s, newer.id, ['delivered']);
    // Delivered now (06:00 on the manual clock), not at the old window's opening; and first.
    expect(Date.parse(delivered.settledAt!)).toBe(new Date(2026, 2, 2, 6, 0).getTime());
    const order = center.reports().map((r) => r.id).filter((id) => id === held.id || id === newer.id);
    expect(order).toEqual([held.id, newer.id]);
  });
});

describe('the window\'s test and opening reports outside the time window', () => {
  it('the test and opening reports go at once (someone waits); the configuration report waits for the window, saying when', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 20, 0));
    const { s } = await started({ clock });
    await call(s, 'schedule:set', { method: 'express-https', schedule: { retryIntervalMinutes: 5, retryUntilHours: 72, window: '09:00-17:00' } });
    const tested = await call(s, 'report:test', { method: 'express-https', destination: 1, result: { kind: 'mail', address: 'admin@example.jp' } });
    expect(tested.delivered).toBe(true);
    const opened = await call(s, 'report:opening', { method: 'express-https', destination: 1, ignoreSyntaxErrors: true });
    expect(opened.stage).toBe('done');
    if (opened.stage !== 'done') return;
    expect(opened.outcome.delivered).toBe(true);
    expect(opened.configuration).toMatchObject({ delivered: false, step: null, message: expect.stringMatching(/when the reporting time window opens/) });
    const [configuration] = await call(s, 'history:list', { states: ['queued'] });
    expect(configuration).toMatchObject({ kind: 'heartbeat', nextAttemptAt: new Date(2026, 2, 3, 9, 0).toISOString() });
    await clock.advanceTo(new Date(2026, 2, 3, 9, 0), () => quiet(s));
    await until(s, configuration!.id, ['delivered']);
  });
});

describe('通報の抑制 (suppression)', () => {
  it('the same source and id within the period is reported once; the count goes with the next report', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const { s } = await started({ clock });
    expect((await call(s, 'settings:get', {})).methods['express-https'].suppression).toEqual({ enabled: true, periodMinutes: 60 });
    const first = await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007', wait: true });
    expect(first).toMatchObject({ suppressed: false, items: [{ state: 'delivered' }] });
    await clock.advance(10 * MIN);
    expect(await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).toEqual({ suppressed: true, items: [] });
    await clock.advance(10 * MIN);
    expect(await call(s, 'report:event', { source: 'disk', eventId: '0xC0040007' })).toEqual({ suppressed: true, items: [] });
    // Another event is not held back by this one.
    expect((await call(s, 'report:event', { source: 'atapi', eventId: '0xc0040006', wait: true })).suppressed).toBe(false);
    await clock.advance(41 * MIN);
    const after = await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007', wait: true });
    expect(after.suppressed).toBe(false);
    expect(center.reports().find((r) => r.id === after.items[0]!.id)!.event).toMatchObject({ suppressedCount: 2 });
  });

  it('switched off, every occurrence is reported; the state survives a restart', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const first = await started({ clock });
    await call(first.s, 'report:event', { source: 'disk', eventId: '0xc0040007' });
    await first.s.close();
    // After a restart the period still holds.
    const again = await started({ clock, dataDir: first.dataDir, setUp: false });
    expect((await call(again.s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).suppressed).toBe(true);
    await call(again.s, 'settings:set', { key: 'methods.express-https.suppression.enabled', value: false });
    expect((await call(again.s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).suppressed).toBe(false);
    expect((await call(again.s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).suppressed).toBe(false);
  });
});

describe('サービスの終了 and the extension key (S1)', () => {
  it('terminated: nothing is reported; a wrong key is refused; an extension key restarts the service', async () => {
    const { s, events, issued } = await started({ expires: '2099-03-31' });
    const secret = issued!.content.extensionSecret;
    expect((await call(s, 'service:status', {})).state).toBe('running');
    const before = (await center.stats()).stored;
    const ended = await call(s, 'service:terminate', {});
    expect(ended.state).toBe('terminated');
    expect(events.some((e) => e.type === 'service:changed')).toBe(true);
    expect(await refused(s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).toMatchObject({ code: 'not-ready', field: 'service' });
    expect(await refused(s, 'report:pseudoFault', { log: 'System', source: 'atapi', eventId: '0xc0040006' })).toMatchObject({ code: 'not-ready' });
    expect(await s.onFault({ log: 'System', source: 'disk', eventId: '0xc0040007', time: new Date().toISOString(), message: '' })).toEqual([]);
    expect((await center.stats()).stored).toBe(before);

    expect(await refused(s, 'service:extend', { key: 'not a key' })).toMatchObject({ code: 'invalid-value', field: 'key' });
    const otherContract = encodeExtensionKey({ userSystemCode: 'U2026-0099', expiresAt: '2100-03-31', serial: 1 }, secret);
    expect((await refused(s, 'service:extend', { key: otherContract })).reason).toMatch(/another contract|other contract/i);
    const key = encodeExtensionKey({ userSystemCode: 'U2026-0042', expiresAt: '2100-03-31', serial: 2 }, secret);
    expect(await call(s, 'service:extend', { key })).toMatchObject({ state: 'running', expiresAt: '2100-03-31' });
    const out = await call(s, 'report:event', { source: 'disk', eventId: '0xc0040007', wait: true });
    expect(out.items[0]!.state).toBe('delivered');
  });

  it("the contract's end passing has the same effect, with a warning 30 days before", async () => {
    const clock = new ManualClock(new Date(2026, 2, 30, 12, 0));
    const { s } = await started({ clock, expires: '2026-03-31' });
    expect(await call(s, 'service:status', {})).toMatchObject({ state: 'running', expiryWarning: true, daysLeft: 1 });
    await clock.advanceTo(new Date(2026, 3, 1, 0, 0, 5));
    expect((await call(s, 'service:status', {})).state).toBe('expired');
    expect(await refused(s, 'report:event', { source: 'disk', eventId: '0xc0040007' })).toMatchObject({ code: 'not-ready' });
  });
});

describe('a restart with reports pending', () => {
  it('resumes them: delivered after the next start, once', async () => {
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const first = await started({ clock });
    await center.fault({ mode: 'status', status: 503, count: 1 });
    const out = await call(first.s, 'report:event', { source: 'disk', eventId: '0xc0040007' });
    const id = out.items[0]!.id;
    await until(first.s, id, ['retrying']);
    await first.s.close();
    open.splice(open.indexOf(first.s), 1);
    expect(existsSync(path.join(first.dataDir, 'queue'))).toBe(true);
    // Down for longer than the retry interval: the report is due when the service starts again.
    await clock.advance(30 * MIN);
    const again = await started({ clock, dataDir: first.dataDir, setUp: false });
    await again.s.idle();
    expect(await until(again.s, id, ['delivered'])).toMatchObject({ attempts: 2 });
    expect(center.reports().filter((r) => r.id === id)).toHaveLength(1);
  });
});

describe('the queue never stops the service', () => {
  it('a torn record is set aside, and the window gets a notice; the reports before it stay', async () => {
    const first = await started();
    const out = await call(first.s, 'report:event', { source: 'disk', eventId: '0xc0040007', wait: true });
    await first.s.close();
    open.splice(open.indexOf(first.s), 1);
    const queueDir = path.join(first.dataDir, 'queue');
    const journal = readdirSync(queueDir).filter((f) => /^journal-\d+\.erq$/.test(f)).sort().pop()!;
    // A write cut short by a power cut: a length and the start of a record.
    appendFileSync(path.join(queueDir, journal), Buffer.from([0x40, 0, 0, 0, 1, 2, 3, 4, 0x7b, 0x22]));
    const again = await started({ dataDir: first.dataDir, setUp: false });
    const info = await call(again.s, 'app:info', {});
    expect(info.notices.map((n) => n.message).join('\n')).toMatch(new RegExp(`damaged part of the report queue file .*${journal}.* was set aside`));
    expect((await call(again.s, 'history:list', {})).map((i) => i.id)).toContain(out.items[0]!.id);
    expect(readdirSync(queueDir).some((f) => f.startsWith(`${journal}.corrupt-`))).toBe(true);
  });

  it('a queue held by another process: the window hears why, in its language', async () => {
    const dataDir = path.join(tmp.dir, `data-${++n}`);
    mkdirSync(path.join(dataDir, 'queue'), { recursive: true });
    // A real process holds the queue (a pid in the lock file alone proves nothing).
    const owner = await holdQueue(path.join(dataDir, 'queue'));
    const clock = new ManualClock(new Date(2026, 2, 2, 10, 0));
    const { s, logs } = await started({ clock, dataDir });
    expect(logs.join('\n')).toMatch(new RegExp(`in use by process ${owner.pid}; trying again in a minute`));
    await call(s, 'settings:set', { key: 'ui.language', value: 'ja' });
    expect(await refused(s, 'history:list', {})).toMatchObject({ code: 'busy', message: expect.stringContaining(`プロセス ID ${owner.pid}`) });
    // The other process died (SIGKILL): within a minute this one takes the queue over.
    await owner.kill();
    await clock.advance(60_000);
    await s.idle();
    expect(await call(s, 'history:list', {})).toEqual([]);
    expect(readFileSync(path.join(dataDir, 'queue', 'lock'), 'utf8').trim()).toBe(String(process.pid));
  });
});

