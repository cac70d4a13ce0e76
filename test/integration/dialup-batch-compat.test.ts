/**
 * 一括通報 with a peer that does not know it (docs/formats/dialup.md "Several reports in one
 * call"): the REAL serialport binding on a socat pty pair against the real `express-center modem`
 * process. The center's modem is run as an OLDER center (`--no-batch`: its final never says
 * `batch`, it takes one report a call and hangs up after the final — at once, or after waiting
 * for the caller to hang up first) and as the current one. The caller is the product's dial-up
 * reporter for the manager's forwarding (manager-express), called report after report as the
 * queue's lane does: with its linger on (a NEW caller) or with EXPRESS_REPORT_DIALUP_LINGER_MS=0
 * (an OLD caller: its hello never says `batch`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../src-shared/settings';
import { sampleReport } from '../helpers/center';
import { dialupSettings, testChannel, type TestChannel } from '../helpers/dialup-setup';
import { startModemCenter, type ModemCenter } from '../helpers/modem-center';
import { modemRig } from '../helpers/modem-rig';
import { until } from '../helpers/relay-product';

const rig = modemRig();
const NUMBER = '03-1234-5678';
/** the NEW caller's linger: a report that waited for it would show a pause of this size */
const LINGER_MS = 4000;
const REPORTS = 3;

afterEach(() => {
  vi.unstubAllEnvs();
});

function managerSettings(port: string): Settings {
  const s = dialupSettings(port, { primary: NUMBER });
  s.methods['manager-express'].forward = 'dialup';
  s.methods['manager-express'].dialup = { ...s.methods.express.dialup };
  return s;
}

interface Sent {
  id: string;
  /** when the center's modem printed its final for the report */
  finalAt: number;
}

/** Sends one forwarded report and checks that its call was hung up before send() returned (nothing parked). */
async function sendOne(t: TestChannel, settings: Settings, modem: ModemCenter): Promise<Sent> {
  const dest = t.channel.destinations(settings, 'manager-express', 1)[0]!;
  const report = sampleReport('alert');
  const id = report.envelope.id.toLowerCase();
  const before = t.calls.length;
  const final = modem.waitFor(new RegExp(`^receiver: final for ${id}`), 30_000).then(() => Date.now());
  const d = await t.channel.reporter(settings, 'manager-express', dest).send(report, {});
  expect(d.ok, JSON.stringify(d)).toBe(true);
  // The call's record is told at its hang-up: it is there as soon as the report is delivered.
  expect(t.calls.length, 'the call was hung up right after the final, not kept up for the linger').toBe(before + 1);
  return { id, finalAt: await final };
}

async function sendSeveral(t: TestChannel, settings: Settings, modem: ModemCenter): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let i = 0; i < REPORTS; i++) sent.push(await sendOne(t, settings, modem));
  return sent;
}

/** What every test of one call per report checks, on both sides of the line. */
async function expectOneCallPerReport(t: TestChannel, modem: ModemCenter, sent: Sent[], ended: 'hang-up' | 'idle') {
  const ids = sent.map((s) => s.id);
  expect(t.calls.map((c) => [c.reports, c.ids, c.delivered, c.step, c.command])).toEqual(ids.map((id) => [1, [id], true, null, `ATDT${NUMBER}`]));
  expect(modem.dials()).toEqual(ids.map(() => `tone ${NUMBER}`));
  expect(modem.lines().filter((l) => l.startsWith('result: CONNECT'))).toHaveLength(ids.length);
  const calls = await until(() => (modem.calls().length >= ids.length ? modem.calls() : null), 15_000, "the calls' records at the center");
  expect(calls.map((c) => [c.ended, c.bye, c.acknowledged, c.stored])).toEqual(ids.map((id) => [ended, false, [id], [id]]));
  // The center's finals said no batch, and nothing came on a call after its final: no goodbye, no second hello.
  expect(modem.lines().filter((l) => l.startsWith('receiver: final for '))).toEqual(ids.map((id) => `receiver: final for ${id} (the call ends)`));
  expect(modem.lines().filter((l) => l.includes('receiver: ignored a ') || l.startsWith('receiver: goodbye'))).toEqual([]);
  for (const id of ids) expect(modem.reports().filter((r) => r.id === id)).toHaveLength(1);
  // Nothing was kept up: no linger ran out, no kept call had to be given up.
  expect(t.log.filter((l) => l.includes('report(s) on the call') || l.includes('did not answer the next report'))).toEqual([]);
  // The hang-up follows each final at once (escape and ATH0 with the 200 ms guard: well under a second) …
  for (const [i, s] of sent.entries()) expect(t.calls[i]!.hungUpAt - s.finalAt, `the hang-up after report ${i + 1}'s final`).toBeLessThan(1500);
  // … and each call follows the one before after the dial-up interval (1 s), not after a linger.
  for (let i = 1; i < sent.length; i++) expect(t.calls[i]!.dialedAt! - t.calls[i - 1]!.hungUpAt, `the pause before call ${i + 1}`).toBeLessThan(LINGER_MS - 1000);
}

describe('一括通報 with a peer that does not know it: one call per report, nothing lost', () => {
  it('a NEW caller (linger 4 s) against an OLDER center that waits for the caller to hang up: it hangs up right after each final (no goodbye, no second hello), one call and one CONNECT per report, each stored once', async () => {
    rig.modem = await startModemCenter({ batch: false });
    const t = testChannel(rig.lockDir, { lingerMs: LINGER_MS });
    const sent = await sendSeveral(t, managerSettings(rig.modem.port), rig.modem);
    // the caller's ATH0 ended every call (the center's own hang-up, 10 s after the final, never came)
    await expectOneCallPerReport(t, rig.modem, sent, 'hang-up');
  }, 90_000);

  it('a NEW caller (linger 4 s) against an OLDER center that hangs up at once after its final (NO CARRIER): the same, and no report waits for a dead call', async () => {
    rig.modem = await startModemCenter({ batch: false, batchWaitMs: 100 });
    const t = testChannel(rig.lockDir, { lingerMs: LINGER_MS });
    const sent = await sendSeveral(t, managerSettings(rig.modem.port), rig.modem);
    expect(rig.modem.lines().filter((l) => l.startsWith('carrier: ') && l.includes('a center without 一括通報'))).toHaveLength(REPORTS);
    await expectOneCallPerReport(t, rig.modem, sent, 'idle');
  }, 90_000);

  it('an OLD caller (EXPRESS_REPORT_DIALUP_LINGER_MS=0: hellos without batch) against the current center: the finals say no batch, the call ends after each report as before, each stored once', async () => {
    vi.stubEnv('EXPRESS_REPORT_DIALUP_LINGER_MS', '0');
    rig.modem = await startModemCenter();
    // No lingerMs given: the channel reads it from the environment, as the service does.
    const t = testChannel(rig.lockDir);
    const sent = await sendSeveral(t, managerSettings(rig.modem.port), rig.modem);
    await expectOneCallPerReport(t, rig.modem, sent, 'hang-up');
    // the center did not wait for a next report on any call
    expect(rig.modem.lines().filter((l) => l.startsWith('carrier: '))).toEqual([]);
  }, 90_000);
});
