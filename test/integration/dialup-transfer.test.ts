/**
 * The framed transfer after CONNECT, through the REAL serialport binding on a socat pty pair
 * against the real `express-center modem` process: a carrier lost after N bytes resumes on the
 * next call from the last acknowledged frame and the report is stored once; damaged frames are
 * sent again; CRC errors past the limit and a missing final acknowledgement fail. What a pty
 * cannot do (DTR, DCD) goes through a binding that wraps the real one — the tests say so.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultBinding, type BindingPort, type SerialBinding } from '../../src-main/channels/dialup/serial-line';
import { fileAttachment, sampleReport } from '../helpers/center';
import { dialupSettings, round, testChannel } from '../helpers/dialup-setup';
import { startModemCenter, type ModemCenter } from '../helpers/modem-center';

let tmp: string;
let modem: ModemCenter | null = null;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'er-dialup-'));
});
afterEach(async () => {
  await modem?.stop();
  modem = null;
  rmSync(tmp, { recursive: true, force: true });
});

/** An alert with an incompressible attachment of `size` bytes (about size / 1024 frames). */
function alertWith(size: number) {
  const file = path.join(tmp, `logs-${size}.zip`);
  writeFileSync(file, randomBytes(size));
  return sampleReport('alert', [fileAttachment(file)]);
}

function lockDir(): string {
  return mkdtempSync(path.join(tmp, 'lock-'));
}

describe('the framed transfer', () => {
  it('a carrier lost after N bytes: line-dropped, then the next call resumes from the last acknowledged frame, re-sends at most one window, and the center stores it once', async () => {
    modem = await startModemCenter({ plan: { numbers: { '0312345678': [{ result: 'connect', dropAfterBytes: 9000 }, 'connect'] } } });
    const { channel, calls } = testChannel(lockDir());
    const settings = dialupSettings(modem.port);
    const report = alertWith(20_000);

    const [first] = await round(channel, settings, report);
    expect(first).toMatchObject({ ok: false, step: 'line-dropped', retryable: true });
    expect(!first!.ok && first!.detail).toMatch(/NO CARRIER.*the next call resumes from frame \d+/);
    await modem.waitFor(/^carrier: dropped after 9000 bytes/);
    expect(modem.reports()).toEqual([]);

    const [second] = await round(channel, settings, report);
    expect(second).toMatchObject({ ok: true });
    const resumed = calls[1]!.resumedFrom!;
    expect(resumed).toBeGreaterThan(0);
    expect(second!.ok && second!.detail).toContain(`resumed at frame ${resumed}`);
    // the first call sent frames 0 … framesSent-1; what the second sends again of them is at most one window (4)
    expect(calls[0]!.framesSent - resumed).toBeLessThanOrEqual(4);
    expect(calls[0]!.framesSent + calls[1]!.framesSent - calls[1]!.resent - (calls[0]!.framesSent - resumed)).toBeGreaterThanOrEqual(20);

    const listed = modem.reports();
    expect(listed.map((r) => [r.id, r.channel])).toEqual([[report.envelope.id, 'dialup']]);
    const stored = readFileSync(path.join(listed[0]!.dir, 'attachment-01.zip'));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(report.attachments[0]!.sha256);
  });

  it('damaged frames are sent again (NAK) and the report arrives intact', async () => {
    modem = await startModemCenter({ plan: { numbers: { '0312345678': { result: 'connect', corruptAt: [3000, 7000, 7001] } } } });
    const { channel, calls } = testChannel(lockDir());
    const report = alertWith(12_000);
    const [d] = await round(channel, dialupSettings(modem.port), report);
    expect(d).toMatchObject({ ok: true });
    expect(modem.lines().filter((l) => l.startsWith('receiver: NAK')).length).toBeGreaterThanOrEqual(2);
    expect(calls[0]!.resent).toBeGreaterThan(0);
    const listed = modem.reports();
    expect(listed).toHaveLength(1);
    expect(createHash('sha256').update(readFileSync(path.join(listed[0]!.dir, 'attachment-01.zip'))).digest('hex')).toBe(report.attachments[0]!.sha256);
  });

  it('CRC errors past the limit fail at step crc (retryable), and the call is hung up', async () => {
    modem = await startModemCenter({ plan: { numbers: { '0312345678': { result: 'connect', corruptEvery: 400 } } } });
    const { channel } = testChannel(lockDir(), { transfer: { errorLimit: 3 } });
    const [d] = await round(channel, dialupSettings(modem.port), alertWith(8000));
    expect(d).toMatchObject({ ok: false, step: 'crc', retryable: true });
    expect(!d!.ok && d!.detail).toMatch(/damaged .*limit is 3/);
    expect(modem.lines().filter((l) => l.startsWith('command: ')).at(-1)).toBe('command: ATH0');
    expect(modem.reports()).toEqual([]);
  });

  it('no final acknowledgement fails at step no-final-ack; the next call is acknowledged at once and nothing is stored twice', async () => {
    modem = await startModemCenter({ plan: { numbers: { '0312345678': [{ result: 'connect', noFinalAck: true }, 'connect'] } } });
    const { channel, calls } = testChannel(lockDir(), { transfer: { answerMs: 1500 } });
    const report = alertWith(3000);
    const [first] = await round(channel, dialupSettings(modem.port), report);
    expect(first).toMatchObject({ ok: false, step: 'no-final-ack', retryable: true });
    const [second] = await round(channel, dialupSettings(modem.port), report);
    expect(second!.ok && second!.detail).toContain('already had report');
    expect(calls[1]!.framesSent).toBe(0);
    expect(modem.reports()).toHaveLength(1);
  });
});

/** The real binding with DTR recorded and DCD played: a pty has neither. */
function controlLinesBinding(dcdDropsAfterWrittenBytes: number | null): { binding: SerialBinding; dtr: boolean[] } {
  const dtr: boolean[] = [];
  const binding: SerialBinding = {
    async open(options) {
      const port = await (await defaultBinding()).open(options);
      let written = 0;
      const wrapped: BindingPort = {
        read: (b, o, l) => port.read(b, o, l),
        write: async (b) => {
          written += b.length;
          await port.write(b);
        },
        set: async (o) => {
          if (o.dtr !== undefined) dtr.push(o.dtr);
        },
        get: async () => ({ cts: true, dsr: true, dcd: dcdDropsAfterWrittenBytes === null || written < dcdDropsAfterWrittenBytes }),
        close: () => port.close(),
      };
      return wrapped;
    },
  };
  return { binding, dtr };
}

describe('control lines (DTR and DCD through an injected binding wrapping the real one: a pty has no control lines)', () => {
  it('DTR is raised when the port opens and dropped when it closes (fake DTR over the real pty binding)', async () => {
    modem = await startModemCenter();
    const lines = controlLinesBinding(null);
    const { channel } = testChannel(lockDir(), { binding: () => lines.binding });
    const [d] = await round(channel, dialupSettings(modem.port), sampleReport());
    expect(d).toMatchObject({ ok: true });
    expect(lines.dtr[0]).toBe(true);
    expect(lines.dtr.at(-1)).toBe(false);
  });

  it('DCD dropping mid-transfer is a lost carrier (fake DCD over the real pty binding); the next call resumes', async () => {
    modem = await startModemCenter({ baud: 9600 });
    const lines = controlLinesBinding(6000);
    const { channel, calls } = testChannel(lockDir(), { binding: () => lines.binding });
    const report = alertWith(12_000);
    const [first] = await round(channel, dialupSettings(modem.port), report);
    expect(first).toMatchObject({ ok: false, step: 'line-dropped' });
    expect(!first!.ok && first!.detail).toContain('DCD dropped');
    expect(lines.dtr.at(-1)).toBe(false);

    const plain = testChannel(lockDir());
    const [second] = await round(plain.channel, dialupSettings(modem.port), report);
    expect(second).toMatchObject({ ok: true });
    expect(plain.calls[0]!.resumedFrom).toBeGreaterThan(0);
    expect(calls).toHaveLength(1);
    expect(modem.reports()).toHaveLength(1);
  });
});
