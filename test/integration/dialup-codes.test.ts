/**
 * The dial-up formats without a line: the modem's result codes (verbose and numeric), the
 * frame reader against noise, the payload (deterministic, every digest checked), UUCP lock
 * contents, the redial memory and the center's plan file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialupChannel } from '../../src-main/channels/dialup/channel';
import { encodeFrame, FrameReader, jsonBody } from '../../src-main/channels/dialup/frames';
import { buildPayload, openPayload } from '../../src-main/channels/dialup/payload';
import { RedialMemory } from '../../src-main/channels/dialup/redial';
import { LineSplitter, parseResult } from '../../src-main/channels/dialup/results';
import { lockName, lockPid, takeLock } from '../../src-main/channels/dialup/uucp-lock';
import { readPlan, PlanBook } from '../../test/center/modem-plan';
import { fileAttachment, sampleReport } from '../helpers/center';
import { dialupSettings } from '../helpers/dialup-setup';

describe('result codes', () => {
  it.each([
    ['OK', 'OK', undefined],
    ['0', 'OK', undefined],
    ['CONNECT', 'CONNECT', undefined],
    ['CONNECT 33600/ARQ/V34', 'CONNECT', 33600],
    ['CONNECT 9600', 'CONNECT', 9600],
    ['1', 'CONNECT', undefined],
    ['5', 'CONNECT', 1200],
    ['RING', 'RING', undefined],
    ['2', 'RING', undefined],
    ['NO CARRIER', 'NO CARRIER', undefined],
    ['3', 'NO CARRIER', undefined],
    ['ERROR', 'ERROR', undefined],
    ['4', 'ERROR', undefined],
    ['NO DIALTONE', 'NO DIALTONE', undefined],
    ['NO DIAL TONE', 'NO DIALTONE', undefined],
    ['6', 'NO DIALTONE', undefined],
    ['BUSY', 'BUSY', undefined],
    ['7', 'BUSY', undefined],
    ['NO ANSWER', 'NO ANSWER', undefined],
    ['8', 'NO ANSWER', undefined],
  ])('%s is %s', (line, code, speed) => {
    const r = parseResult(line);
    expect(r?.code).toBe(code);
    expect(r?.speed).toBe(speed);
  });

  it('echoes, information lines and vendor codes (9 and up) are not results', () => {
    for (const line of ['ATZ E0 V1 X4 &D2', 'ATDT0,0312345678', 'CONNECTED', '10', 'EXPRESS MODEM', '']) expect(parseResult(line)).toBeNull();
  });

  it('verbose results end in CR LF, numeric ones in a bare CR; a partial line waits', () => {
    const s = new LineSplitter();
    expect(s.push('ATZ\r\r\nOK\r\n7\r')).toEqual(['ATZ', 'OK', '7']);
    expect(s.push('\r\nCONN')).toEqual([]);
    expect(s.push('ECT 9600\r\n')).toEqual(['CONNECT 9600']);
  });
});

describe('the frame reader', () => {
  it('reads frames split anywhere and passes the text between them on', () => {
    const bytes = Buffer.concat([Buffer.from('\r\nNO CARRIER\r\n'), encodeFrame('ack', 4), encodeFrame('data', 5, Buffer.from('hello')), Buffer.from('x')]);
    const reader = new FrameReader();
    const events = [];
    for (let i = 0; i < bytes.length; i += 3) events.push(...reader.push(bytes.subarray(i, i + 3)));
    const frames = events.filter((e) => e.kind === 'frame').map((e) => e.kind === 'frame' && [e.frame.type, e.frame.seq, e.frame.body.toString()]);
    expect(frames).toEqual([
      ['ack', 4, ''],
      ['data', 5, 'hello'],
    ]);
    expect(events.filter((e) => e.kind === 'text').map((e) => e.kind === 'text' && e.text).join('')).toContain('NO CARRIER');
  });

  it('a damaged frame is reported bad and the next one still read; no input throws', () => {
    const good = encodeFrame('data', 7, Buffer.alloc(100, 1));
    const bad = Buffer.from(encodeFrame('data', 6, Buffer.alloc(100, 2)));
    bad[50] = bad[50]! ^ 0xff;
    const events = new FrameReader().push(Buffer.concat([bad, good]));
    expect(events.some((e) => e.kind === 'bad' && e.reason === 'crc')).toBe(true);
    expect(events.filter((e) => e.kind === 'frame').map((e) => e.kind === 'frame' && e.frame.seq)).toEqual([7]);
    const reader = new FrameReader();
    for (let i = 0; i < 200; i++) reader.push(Buffer.from([0x45, 0x52, Math.floor(Math.random() * 256), ...Array.from({ length: 20 }, () => Math.floor(Math.random() * 256))]));
    expect(new FrameReader().push(Buffer.from([0x45, 0x52, 0x44, 0, 0, 0, 0, 0xff, 0xff]))[0]).toMatchObject({ kind: 'bad', reason: 'length' });
  });

  it('a JSON body reads back', () => {
    const [e] = new FrameReader().push(encodeFrame('final', 0, jsonBody({ id: 'x', duplicate: false })));
    expect(e?.kind === 'frame' && JSON.parse(e.frame.body.toString())).toEqual({ id: 'x', duplicate: false });
  });
});

describe('the payload', () => {
  it('compresses the same report to the same bytes and opens with every digest checked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-payload-'));
    try {
      const file = path.join(dir, 'log.zip');
      writeFileSync(file, 'a log line\n'.repeat(500));
      const report = sampleReport('alert', [fileAttachment(file)]);
      const a = await buildPayload(report);
      const b = await buildPayload(report);
      expect(a.bytes.equals(b.bytes)).toBe(true);
      expect(a.bytes.length).toBeLessThan(a.rawSize / 4);
      const opened = openPayload(a.bytes);
      expect(opened.envelope.id).toBe(report.envelope.id);
      expect(opened.attachments[0]!.data.toString()).toBe('a log line\n'.repeat(500));
      const tampered = Buffer.from(a.bytes);
      tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
      expect(() => openPayload(tampered)).toThrow();
      expect(() => openPayload(Buffer.from('not deflate'))).toThrow(/does not inflate|ERDU1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('UUCP locks and the redial memory', () => {
  it('reads a lock in ASCII (%10d\\n) or binary form; names devices as pppd does', async () => {
    expect(lockPid(Buffer.from('      4321\n'))).toBe(4321);
    const bin = Buffer.alloc(4);
    bin.writeInt32LE(777);
    expect(lockPid(bin)).toBe(777);
    expect(lockPid(Buffer.from('garbage'))).toBeNull();
    expect(lockName('/dev/ttyS0')).toBe('LCK..ttyS0');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-lck-'));
    try {
      const lock = await takeLock(dir, '/dev/ttyS9');
      expect(lock.ok).toBe(true);
      const second = await takeLock(dir, '/dev/ttyS9', 1);
      expect(second).toMatchObject({ ok: false, busy: true, pid: process.pid });
      if (lock.ok) await lock.release();
      expect((await takeLock(dir, '/dev/ttyS9')).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts calls per number as dialled, hyphens aside', () => {
    let now = 0;
    const m = new RedialMemory(() => now);
    for (let i = 0; i < 3; i++) {
      expect(m.allowedAt('03-1234-5678')).toBe(now);
      m.called(i % 2 ? '0312345678' : '03-1234-5678');
      now += 10_000;
    }
    expect(m.allowedAt('0312345678')).toBe(180_001);
    expect(m.allowedAt('0,0312345678')).toBe(now);
  });
});

describe("the center modem's plan", () => {
  it('a bad plan is refused naming the file and the field', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-plan-'));
    try {
      const file = path.join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify({ numbers: { '031234': { result: 'explode' } } }));
      expect(() => readPlan(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is invalid at numbers\\.031234`));
      writeFileSync(file, '{');
      expect(() => readPlan(file)).toThrow(/not readable JSON/);
      writeFileSync(file, JSON.stringify({ numbers: { '03-1234': ['busy', { result: 'connect', dropAfterBytes: 10 }] } }));
      const book = new PlanBook(readPlan(file));
      expect([book.next('031234').result, book.next('(03) 1234').dropAfterBytes, book.next('031234').result, book.next('999').result]).toEqual(['busy', 10, 'connect', 'connect']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the dial-up lane", () => {
  it("is one line: one attempt at a time, the dial-up interval as Express's gap (the manager's batching lane has none: the channel keeps the interval from each hang-up), the serial port shared by the methods that use it", () => {
    const channel = dialupChannel();
    const settings = dialupSettings('/dev/ttyS0', { dialIntervalSeconds: 60 });
    settings.methods['manager-express'].forward = 'dialup';
    settings.methods['manager-express'].dialup = { ...settings.methods.express.dialup, dialIntervalSeconds: 90 };
    expect(channel.limits(settings, 'express')).toEqual({ concurrency: 1, minGapMs: 60_000, resource: 'serial:/dev/ttyS0' });
    expect(channel.limits(settings, 'manager-express')).toEqual({ concurrency: 1, minGapMs: 0, resource: 'serial:/dev/ttyS0' });
    expect(channel.destinations(dialupSettings('/dev/ttyS0', { primary: '0,03-1', secondary: '03-2' }), 'express', 2)).toEqual([{ index: 2, label: '03-2' }]);
  });
});
