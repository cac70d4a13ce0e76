/**
 * Dial-up calls through the REAL serialport binding on a socat pty pair, against the real
 * `express-center modem` process (node bin/express-center.cjs) on the far end: the AT dialogue,
 * the result codes, primary then secondary, the hang-up, and the report stored once by the
 * center with channel "dialup".
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport } from '../helpers/center';
import { dialupSettings, round, testChannel } from '../helpers/dialup-setup';
import { startModemCenter } from '../helpers/modem-center';
import { modemRig } from '../helpers/modem-rig';

const rig = modemRig();

describe('a dial-up call on a pty pair to express-center modem', () => {
  it('connects, delivers the report, hangs up (+++, ATH0) and the center lists it once with channel dialup', async () => {
    rig.modem = await startModemCenter();
    const { channel, calls } = testChannel(rig.lockDir);
    const settings = dialupSettings(rig.modem.port);
    const report = sampleReport('test');
    const [delivery] = await round(channel, settings, report);
    expect(delivery).toMatchObject({ ok: true, destination: '03-1234-5678' });
    expect(delivery!.ok && delivery!.detail).toContain(`the center acknowledged report ${report.envelope.id}`);
    const lines = rig.modem.lines();
    // the dialogue as the modem saw it: wake, the default init string, the dial, the escape, ATH0
    expect(lines.filter((l) => l.startsWith('command: ') || l.startsWith('escape:'))).toEqual([
      'command: AT',
      'command: ATZ E0 V1 X4 &D2',
      'command: ATDT03-1234-5678',
      'escape: +++',
      'command: ATH0',
    ]);
    expect(calls[0]).toMatchObject({ command: 'ATDT03-1234-5678', result: 'CONNECT 33600', delivered: true });
    const reports = rig.modem.reports();
    expect(reports.map((r) => [r.id, r.channel, r.kind])).toEqual([[report.envelope.id, 'dialup', 'test']]);
    // the lock was the call's only
    expect(readdirSync(rig.lockDir)).toEqual([]);

    // the same report again (a retry after a lost acknowledgement): acknowledged, not stored twice
    const [again] = await round(channel, settings, report);
    expect(again!.ok && again!.detail).toContain('already had report');
    expect(rig.modem.reports()).toHaveLength(1);
  });

  it('BUSY on the primary, then the secondary delivers', async () => {
    rig.modem = await startModemCenter({ plan: { numbers: { '03-1111-1111': 'busy' } } });
    const { channel } = testChannel(rig.lockDir);
    const settings = dialupSettings(rig.modem.port, { primary: '03-1111-1111', secondary: '03-2222-2222' });
    const deliveries = await round(channel, settings, sampleReport('alert'));
    expect(deliveries.map((d) => (d.ok ? 'ok' : `${d.step} ${d.retryable}`))).toEqual(['busy true', 'ok']);
    expect(rig.modem.dials()).toEqual(['tone 03-1111-1111', 'tone 03-2222-2222']);
    expect(rig.modem.reports().map((r) => r.kind)).toEqual(['alert']);
  });

  it.each([
    ['no-dialtone', 'no-dialtone', /NO DIALTONE/],
    ['no-answer', 'no-answer', /NO ANSWER/],
    ['no-carrier', 'no-carrier', /NO CARRIER/],
  ] as const)('a number planned %s fails at step %s, retryable, and hangs up', async (result, step, said) => {
    rig.modem = await startModemCenter({ plan: { numbers: { '0312345678': result } } });
    const { channel } = testChannel(rig.lockDir);
    const [d] = await round(channel, dialupSettings(rig.modem.port, { primary: '03-1234-5678' }), sampleReport());
    expect(d).toMatchObject({ ok: false, channel: 'dialup', step, retryable: true });
    expect(!d!.ok && d!.detail).toMatch(said);
    expect(rig.modem.lines().filter((l) => l.startsWith('command: ')).at(-1)).toBe('command: ATH0');
    expect(rig.modem.reports()).toEqual([]);
  });

  it('numeric result codes (ATV0) and echo (E1) are read too', async () => {
    rig.modem = await startModemCenter({ plan: { numbers: { '0311112222': 'busy' } } });
    const { channel } = testChannel(rig.lockDir);
    const busy = await round(channel, dialupSettings(rig.modem.port, { primary: '03-1111-2222', initString: 'ATZ E1 V0 X4' }), sampleReport());
    expect(busy[0]).toMatchObject({ ok: false, step: 'busy' });
    const ok = await round(channel, dialupSettings(rig.modem.port, { primary: '03-3333-4444', initString: 'ATZ E1 V0 X4' }), sampleReport());
    expect(ok[0]).toMatchObject({ ok: true });
  });

  it('ERROR to the init string is init-error, not retried, naming the init string', async () => {
    rig.modem = await startModemCenter();
    const { channel } = testChannel(rig.lockDir);
    const [d] = await round(channel, dialupSettings(rig.modem.port, { initString: 'ATZ E0 V1 +FOO' }), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'init-error', retryable: false });
    expect(!d!.ok && d!.detail).toContain('ATZ E0 V1 +FOO');
    expect(rig.modem.dials()).toEqual([]);
  });

  it('a modem that answers nothing: "the modem does not respond (check the cable and the port)"', async () => {
    rig.modem = await startModemCenter({ plan: { silent: true } });
    const { channel } = testChannel(rig.lockDir);
    const started = Date.now();
    const [d] = await round(channel, dialupSettings(rig.modem.port), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'no-response', retryable: true });
    expect(!d!.ok && d!.detail).toContain('the modem does not respond');
    expect(!d!.ok && d!.detail).toContain('check the cable and the port');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a number that rings without an answer is released when the wait for the carrier ends', async () => {
    rig.modem = await startModemCenter({ plan: { numbers: { '0312345678': 'ring' } } });
    const { channel } = testChannel(rig.lockDir, { carrierWaitMs: 1500 });
    const [d] = await round(channel, dialupSettings(rig.modem.port), sampleReport());
    expect(d).toMatchObject({ ok: false, step: 'no-answer', retryable: true });
    expect(!d!.ok && d!.detail).toContain('the call was released');
    // the dial was aborted by a character, then ATH0
    await rig.modem.waitFor(/^dial: aborted by the caller/);
    expect(rig.modem.lines().filter((l) => l.startsWith('command: ')).at(-1)).toBe('command: ATH0');
  });

  it('tone dials ATDT, pulse ATDP; "0," of ゼロ発信 goes on the wire as stored', async () => {
    rig.modem = await startModemCenter();
    const { channel } = testChannel(rig.lockDir);
    await round(channel, dialupSettings(rig.modem.port, { dialMode: 'pulse', primary: '0,03-1234-5678' }), sampleReport());
    await round(channel, dialupSettings(rig.modem.port, { dialMode: 'tone', primary: '0,03-1234-5678' }), sampleReport());
    expect(rig.modem.lines().filter((l) => l.startsWith('command: ATD'))).toEqual(['command: ATDP0,03-1234-5678', 'command: ATDT0,03-1234-5678']);
    expect(rig.modem.reports()).toHaveLength(2);
  });

  it('cancel mid-call hangs up (escape, ATH0) and releases the port and the lock at once', async () => {
    // 9,600 bit/s and an attachment: the transfer takes seconds
    rig.modem = await startModemCenter({ baud: 9600 });
    const { channel } = testChannel(rig.lockDir);
    const { fileAttachment } = await import('../helpers/center');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-att-'));
    const file = path.join(dir, 'logs.zip');
    const { randomBytes } = await import('node:crypto');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, randomBytes(20_000));
    try {
      const controller = new AbortController();
      const sending = round(channel, dialupSettings(rig.modem.port), sampleReport('alert', [fileAttachment(file)]), controller.signal);
      await rig.modem.waitFor(/^receiver: report .* frames, from frame 0/);
      controller.abort();
      const [d] = await sending;
      expect(d).toMatchObject({ ok: false, step: 'cancelled' });
      const after = rig.modem.lines().slice(rig.modem.lines().findIndex((l) => l.startsWith('receiver: report')));
      expect(after.filter((l) => l.startsWith('escape:') || l.startsWith('command: '))).toEqual(['escape: +++', 'command: ATH0']);
      expect(readdirSync(rig.lockDir)).toEqual([]);
      expect(rig.modem.reports()).toEqual([]);
      // the port is free at once: the next call opens it
      const [next] = await round(channel, dialupSettings(rig.modem.port), sampleReport());
      expect(next).toMatchObject({ ok: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
