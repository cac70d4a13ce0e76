/**
 * 一括通報 in the dial-up channel itself (docs/formats/dialup.md "Several reports in one call"):
 * the REAL serialport binding on a socat pty pair against the real `express-center modem`
 * process. The manager's forwarding (manager-express) keeps its call up for the linger after
 * each final the center says `batch` to; Express (the agent's own) hangs up after each report.
 * The channel's reporter is called report after report, as the queue's lane does.
 */
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src-main/channels/channel';
import type { MethodName } from '../../src-shared/methods';
import type { Settings } from '../../src-shared/settings';
import { sampleReport } from '../helpers/center';
import { dialupSettings, testChannel } from '../helpers/dialup-setup';
import { startModemCenter } from '../helpers/modem-center';
import { modemRig } from '../helpers/modem-rig';
import { until } from '../helpers/relay-product';

const rig = modemRig();

function managerSettings(port: string, primary = '03-1234-5678', secondary = ''): Settings {
  const s = dialupSettings(port, { primary, secondary });
  s.methods['manager-express'].forward = 'dialup';
  s.methods['manager-express'].dialup = { ...s.methods.express.dialup };
  return s;
}

async function sendTo(channel: Channel, settings: Settings, method: MethodName, index: 1 | 2 = 1) {
  const dest = channel.destinations(settings, method, index)[0]!;
  const report = sampleReport('alert');
  const d = await channel.reporter(settings, method, dest).send(report, {});
  expect(d.ok, JSON.stringify(d)).toBe(true);
  return report.envelope.id;
}

const connects = () => rig.modem!.lines().filter((l) => l.startsWith('result: CONNECT')).length;

describe('several reports on one dial-up call', () => {
  it('the manager\'s forwarding: three reports one after another go on one call; the call is hung up (bye, +++, ATH0) once the linger runs out', async () => {
    rig.modem = await startModemCenter();
    const t = testChannel(rig.lockDir, { lingerMs: 1500 });
    const settings = managerSettings(rig.modem.port);
    const ids = [await sendTo(t.channel, settings, 'manager-express'), await sendTo(t.channel, settings, 'manager-express'), await sendTo(t.channel, settings, 'manager-express')];
    await until(() => t.calls.length === 1, 10_000, 'the hang-up after the linger');
    expect(t.calls[0]).toMatchObject({ reports: 3, ids, delivered: true, step: null, command: 'ATDT03-1234-5678' });
    expect(connects()).toBe(1);
    const [call] = await until(() => (rig.modem!.calls().length ? rig.modem!.calls() : null), 10_000, 'the center\'s call record');
    expect(call).toMatchObject({ ended: 'hang-up', bye: true, acknowledged: ids, stored: ids });
    expect(rig.modem.lines()).toContain('receiver: goodbye after 3 report(s) on this call');
    expect(t.log.some((l) => /hanging up 03-1234-5678 after 3 report\(s\) on the call \(no other report within 1\.5 s\)/.test(l))).toBe(true);
  }, 60_000);

  it('Express (the agent\'s own method) still makes one call per report', async () => {
    rig.modem = await startModemCenter();
    const t = testChannel(rig.lockDir, { lingerMs: 1500 });
    const settings = managerSettings(rig.modem.port);
    await sendTo(t.channel, settings, 'express');
    await sendTo(t.channel, settings, 'express');
    expect(t.calls.map((c) => c.reports)).toEqual([1, 1]);
    expect(connects()).toBe(2);
    expect(rig.modem.calls().map((c) => c.bye)).toEqual([false, false]);
  }, 60_000);

  it('a center that hangs up while the call waits (NO CARRIER): the kept call is hung up and the next report dials afresh', async () => {
    rig.modem = await startModemCenter({ batchWaitMs: 300 });
    const t = testChannel(rig.lockDir, { lingerMs: 5000 });
    const settings = managerSettings(rig.modem.port);
    const first = await sendTo(t.channel, settings, 'manager-express');
    await until(() => t.calls.length === 1, 10_000, 'the kept call hung up after the center let it go');
    expect(t.log.some((l) => l.includes('the center hung up (NO CARRIER)'))).toBe(true);
    const second = await sendTo(t.channel, settings, 'manager-express');
    await until(() => t.calls.length === 2, 15_000, 'the second call');
    expect(t.calls.map((c) => c.ids)).toEqual([[first], [second]]);
    // the second call waits too, and the center lets it go the same way
    expect(rig.modem.calls().map((c) => c.ended)).toEqual(['idle', 'idle']);
    expect(connects()).toBe(2);
  }, 60_000);

  it('a report to another number hangs the kept call up first, then dials its own', async () => {
    rig.modem = await startModemCenter();
    const t = testChannel(rig.lockDir, { lingerMs: 5000 });
    const settings = managerSettings(rig.modem.port, '03-1234-5678', '03-8765-4321');
    const first = await sendTo(t.channel, settings, 'manager-express', 1);
    const second = await sendTo(t.channel, settings, 'manager-express', 2);
    expect(t.calls[0]).toMatchObject({ number: '03-1234-5678', ids: [first] });
    expect(rig.modem.dials()).toEqual(['tone 03-1234-5678', 'tone 03-8765-4321']);
    await until(() => t.calls.length === 2, 15_000, 'the second call hung up');
    expect(t.calls[1]).toMatchObject({ number: '03-8765-4321', ids: [second] });
  }, 60_000);

  it("a kept call whose carrier goes as the next report's hello goes out: that report is sent on a new call at once, stored once", async () => {
    // How many bytes one report's transfer takes on the line (the same for every sample alert, give or take a few).
    rig.modem = await startModemCenter();
    const probe = testChannel(rig.lockDir, { lingerMs: 0 });
    await sendTo(probe.channel, managerSettings(rig.modem.port), 'manager-express');
    const perReport = probe.calls[0]!.transferWritten;
    await rig.modem.stop();
    // The first call drops a few bytes into the second report's hello.
    rig.modem = await startModemCenter({ plan: { numbers: { '03-1234-5678': [{ result: 'connect', dropAfterBytes: perReport + 20 }, 'connect'] } } });
    const t = testChannel(rig.lockDir, { lingerMs: 3000 });
    const settings = managerSettings(rig.modem.port);
    const first = await sendTo(t.channel, settings, 'manager-express');
    const second = await sendTo(t.channel, settings, 'manager-express');
    expect(t.log.some((l) => l.includes('did not answer the next report') && l.includes('calling again'))).toBe(true);
    await until(() => t.calls.length === 2, 15_000, 'the second call hung up');
    expect(t.calls.map((c) => c.ids)).toEqual([[first], [second]]);
    expect(t.calls[0]).toMatchObject({ reports: 2, step: 'line-dropped' });
    expect(rig.modem.calls().map((c) => [c.ended, c.acknowledged])).toEqual([['dropped', [first]], ['hang-up', [second]]]);
    for (const id of [first, second]) expect(rig.modem.reports().filter((r) => r.id === id)).toHaveLength(1);
  }, 60_000);
});
