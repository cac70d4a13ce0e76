/**
 * The rules around a call, through the REAL serialport binding on a socat pty pair against the
 * real `express-center modem` process: Japan's redial limit (端末設備等規則 第11条) on a manual
 * clock, the UUCP lock of a port another process holds, a stale lock, and the BMC routes on a
 * machine without a BMC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPMI_DEVICES } from '../../src-main/channels/dialup/bmc';
import { defaultBinding } from '../../src-main/channels/dialup/serial-line';
import { lockName } from '../../src-main/channels/dialup/uucp-lock';
import { ManualClock } from '../../src-main/queue/manual-clock';
import { sampleReport } from '../helpers/center';
import { dialupSettings, round, testChannel } from '../helpers/dialup-setup';
import { startModemCenter, type ModemCenter } from '../helpers/modem-center';

let lockDir: string;
let modem: ModemCenter | null = null;
let holder: ChildProcess | null = null;

beforeEach(() => {
  lockDir = mkdtempSync(path.join(os.tmpdir(), 'er-lock-'));
});
afterEach(async () => {
  if (holder && holder.exitCode === null && holder.signalCode === null) {
    const exited = new Promise((r) => holder!.once('exit', r));
    process.kill(holder.pid!, 'SIGTERM');
    await exited;
  }
  holder = null;
  await modem?.stop();
  modem = null;
  rmSync(lockDir, { recursive: true, force: true });
});

/** Another process (a stand-in for pppd or minicom): `sleep`, a child of the test, stopped by PID. */
function otherProcess(): ChildProcess {
  holder = spawn('sleep', ['120'], { stdio: 'ignore' });
  return holder;
}

function writeLock(port: string, pid: number): string {
  const file = path.join(lockDir, lockName(port));
  writeFileSync(file, `${String(pid).padStart(10)}\n`);
  return file;
}

describe('the redial limit (端末設備等規則 第11条), on a manual clock', () => {
  it('at most 2 redials to a number within 3 minutes of the first call; the next waits for the schedule; after 3 minutes it is a first call again', async () => {
    modem = await startModemCenter({ plan: { numbers: { '0311112222': 'busy' } } });
    const clock = new ManualClock(Date.parse('2026-04-01T09:00:00Z'));
    const { channel } = testChannel(lockDir, { now: () => clock.now().getTime() });
    const settings = dialupSettings(modem.port, { primary: '03-1111-2222' });
    const steps: string[] = [];
    const call = async () => {
      const [d] = await round(channel, settings, sampleReport('alert'));
      steps.push(d!.ok ? 'ok' : d!.step);
      return d!;
    };
    await call(); // the first call
    await clock.advance(30_000);
    await call(); // redial 1
    await clock.advance(30_000);
    await call(); // redial 2
    await clock.advance(30_000);
    const refused = await call(); // a third redial within 3 minutes: not dialled
    expect(refused).toMatchObject({ ok: false, step: 'redial-limit', retryable: true });
    expect(!refused.ok && refused.detail).toContain('第11条');
    await clock.advanceTo(Date.parse('2026-04-01T09:03:00Z'));
    await call(); // exactly 3 minutes: still the same series
    await clock.advance(1000);
    await call(); // past 3 minutes: a new first call
    expect(steps).toEqual(['busy', 'busy', 'busy', 'redial-limit', 'redial-limit', 'busy']);
    expect(modem.dials()).toEqual(Array(4).fill('tone 03-1111-2222'));
  });

  it('a call that delivered ends the series: reports one after another to the same number are not redials', async () => {
    modem = await startModemCenter();
    const clock = new ManualClock(Date.parse('2026-04-01T09:00:00Z'));
    const { channel } = testChannel(lockDir, { now: () => clock.now().getTime() });
    const settings = dialupSettings(modem.port);
    for (let i = 0; i < 4; i++) {
      const [d] = await round(channel, settings, sampleReport('alert'));
      expect(d).toMatchObject({ ok: true });
      await clock.advance(10_000);
    }
    expect(modem.reports()).toHaveLength(4);
  });
});

describe('UUCP lock files (LCK..name with the owner pid as 10 characters)', () => {
  it('the lock is taken for the call only, holding this process pid as pppd/minicom write it', async () => {
    modem = await startModemCenter({ answerMs: 800 });
    const { channel } = testChannel(lockDir);
    const file = path.join(lockDir, lockName(modem.port));
    const sending = round(channel, dialupSettings(modem.port), sampleReport());
    await modem.waitFor(/^dial: tone /);
    expect(readFileSync(file, 'latin1')).toBe(`${String(process.pid).padStart(10)}\n`);
    expect((await sending)[0]).toMatchObject({ ok: true });
    expect(existsSync(file)).toBe(false);
  });

  it('a port another live process holds (without sharing): port-busy at once, retryable, naming the pid; the modem is not touched', async () => {
    modem = await startModemCenter();
    const other = otherProcess();
    const file = writeLock(modem.port, other.pid!);
    const { channel } = testChannel(lockDir);
    const [d] = await round(channel, dialupSettings(modem.port), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'port-busy', retryable: true });
    expect(!d!.ok && d!.detail).toContain(`in use by another program, pid ${other.pid}`);
    expect(modem.lines().filter((l) => l.startsWith('command: '))).toEqual([]);
    // the other program's lock is left alone
    expect(readFileSync(file, 'latin1').trim()).toBe(String(other.pid));
  });

  it('with port sharing, a busy port is waited for: released meanwhile, the call goes ahead', async () => {
    modem = await startModemCenter();
    const other = otherProcess();
    const file = writeLock(modem.port, other.pid!);
    const { channel } = testChannel(lockDir, { portWaitMs: 10_000 });
    const sending = round(channel, dialupSettings(modem.port, { sharePortWithRemoteAccess: true }), sampleReport());
    await new Promise((r) => setTimeout(r, 1200));
    expect(modem.lines().filter((l) => l.startsWith('command: '))).toEqual([]);
    rmSync(file); // the other program hangs up and removes its lock
    expect((await sending)[0]).toMatchObject({ ok: true });
  });

  it('with port sharing, a port held past the wait fails port-busy with the reason (the queue retries it)', async () => {
    modem = await startModemCenter();
    const other = otherProcess();
    writeLock(modem.port, other.pid!);
    const { channel } = testChannel(lockDir, { portWaitMs: 1000 });
    const [d] = await round(channel, dialupSettings(modem.port, { sharePortWithRemoteAccess: true }), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'port-busy', retryable: true });
    expect(!d!.ok && d!.detail).toMatch(/pid \d+ .*waited 1 s/);
  });

  it('a stale lock (its process is gone) is removed and the call goes ahead', async () => {
    modem = await startModemCenter();
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    writeLock(modem.port, gone.pid!);
    const { channel, log } = testChannel(lockDir);
    const [d] = await round(channel, dialupSettings(modem.port, { sharePortWithRemoteAccess: true }), sampleReport());
    expect(d).toMatchObject({ ok: true });
    expect(log.join('\n')).toContain(`pid ${gone.pid} is gone`);
  });

  it('a port another program has open (no lock file, the exclusive open refused): port-busy; with sharing, waited for until it is free', async () => {
    modem = await startModemCenter();
    const other = await (await defaultBinding()).open({ path: modem.port, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xon: false, xoff: false, lock: true, hupcl: false });
    const { channel } = testChannel(lockDir, { portWaitMs: 10_000 });
    const [busy] = await round(channel, dialupSettings(modem.port), sampleReport());
    expect(busy).toMatchObject({ ok: false, step: 'port-busy', retryable: true });
    expect(!busy!.ok && busy!.detail).toContain('in use by another program');
    const sending = round(channel, dialupSettings(modem.port, { sharePortWithRemoteAccess: true }), sampleReport());
    await new Promise((r) => setTimeout(r, 1500));
    await other.close();
    expect((await sending)[0]).toMatchObject({ ok: true });
  });

  it('a serial port that does not exist: port-missing, naming the port', async () => {
    const { channel } = testChannel(lockDir);
    const [d] = await round(channel, dialupSettings('/dev/ttyS-none-here'), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'port-missing', retryable: true });
    expect(!d!.ok && d!.detail).toContain('/dev/ttyS-none-here does not exist');
  });
});

describe('the BMC routes (サーバー管理ポート / マネージメントポート)', () => {
  const hasBmc = IPMI_DEVICES.some((d) => existsSync(d));

  it.skipIf(hasBmc)(`this machine has no BMC (none of ${IPMI_DEVICES.join(', ')}): a test by a BMC route is refused saying what was looked for`, async () => {
    const { channel } = testChannel(lockDir);
    const settings = dialupSettings('/dev/ttyS0', { via: 'server-management-port' });
    const refused = channel.refuse!(settings, 'express', 1, 'en');
    expect(refused?.message).toContain(`(${IPMI_DEVICES.join(', ')} not found)`);
    expect(channel.refuse!(settings, 'express', 1, 'ja')?.message).toContain('BMC');
    const [d] = await round(channel, dialupSettings('/dev/ttyS0', { via: 'management-port' }), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'bmc', retryable: false });
    expect(!d!.ok && d!.detail).toContain(`looked for ${IPMI_DEVICES.join(', ')}`);
  });

  it('a machine with an IPMI device: the BMC route says this version cannot dial through it (a stand-in device file)', async () => {
    const device = path.join(lockDir, 'ipmi0');
    writeFileSync(device, '');
    const { channel } = testChannel(lockDir, { bmcDevices: [device] });
    const settings = dialupSettings('/dev/ttyS0', { via: 'server-management-port' });
    expect(channel.refuse!(settings, 'express', 1, 'en')).toBeNull();
    const [d] = await round(channel, settings, sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'bmc' });
    expect(!d!.ok && d!.detail).toContain(`through the BMC (${device})`);
  });
});
