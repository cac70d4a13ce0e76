import { describe, expect, it } from 'vitest';
import { Suppressor } from '../../src-main/events/suppression';
import { defaultSettings, SUPPRESSION_PERIOD_RANGE } from '../../src-shared/settings';

const ON = { enabled: true, periodMinutes: 60 };
const OFF = { enabled: false, periodMinutes: 60 };
const ATAPI = { source: 'atapi', eventId: '0xc0040006' };
const DISK = { source: 'disk', eventId: '0xc0040007' };
const at = (minutes: number): Date => new Date(Date.UTC(2024, 5, 20, 0, 0) + minutes * 60_000);

describe('suppression (通報の抑制)', () => {
  it('uses the settings’ defaults: on, 60 minutes', () => {
    const s = defaultSettings();
    expect(s.methods.express.suppression).toEqual({ enabled: true, periodMinutes: 60 });
    expect(s.methods['express-https'].suppression).toEqual({ enabled: true, periodMinutes: 60 });
    expect(SUPPRESSION_PERIOD_RANGE).toEqual({ min: 1, max: 1440 });
  });

  it('reports the first occurrence, counts repeats within the period, and carries the count', () => {
    const s = new Suppressor();
    expect(s.offer(ATAPI, at(0), ON)).toEqual({ report: true, suppressedCount: 0 });
    expect(s.offer(ATAPI, at(1), ON)).toEqual({ report: false });
    expect(s.offer(ATAPI, at(30), ON)).toEqual({ report: false });
    expect(s.offer(ATAPI, at(59.99), ON)).toEqual({ report: false });
    expect(s.pending(ATAPI)).toBe(3);
    // The period ends 60 minutes after the last *reported* one, however many came in between.
    expect(s.offer(ATAPI, at(60), ON)).toEqual({ report: true, suppressedCount: 3 });
    expect(s.pending(ATAPI)).toBe(0);
    expect(s.offer(ATAPI, at(61), ON)).toEqual({ report: false });
    expect(s.offer(ATAPI, at(200), ON)).toEqual({ report: true, suppressedCount: 1 });
    expect(s.offer(ATAPI, at(300), ON)).toEqual({ report: true, suppressedCount: 0 });
  });

  it('keeps each source + event id apart, and ignores the case of the id', () => {
    const s = new Suppressor();
    expect(s.offer(ATAPI, at(0), ON).report).toBe(true);
    expect(s.offer(DISK, at(1), ON).report).toBe(true);
    expect(s.offer({ source: 'atapi', eventId: '0xc0040009' }, at(2), ON).report).toBe(true);
    expect(s.offer({ source: 'atapi', eventId: '0xC0040006' }, at(3), ON).report).toBe(false);
    expect(s.offer({ source: 'disk', eventId: '0xc0040006' }, at(4), ON).report).toBe(true);
  });

  it('follows the period in the settings at the time of each offer', () => {
    const s = new Suppressor();
    s.offer(ATAPI, at(0), { enabled: true, periodMinutes: 1440 });
    expect(s.offer(ATAPI, at(600), { enabled: true, periodMinutes: 1440 }).report).toBe(false);
    expect(s.offer(ATAPI, at(601), { enabled: true, periodMinutes: 10 })).toEqual({ report: true, suppressedCount: 1 });
    expect(s.offer(ATAPI, at(605), { enabled: true, periodMinutes: 1 })).toEqual({ report: true, suppressedCount: 0 });
  });

  it('when disabled reports everything with count 0 and forgets what was pending', () => {
    const s = new Suppressor();
    s.offer(ATAPI, at(0), ON);
    s.offer(ATAPI, at(1), ON);
    for (let i = 2; i < 6; i++) expect(s.offer(ATAPI, at(i), OFF)).toEqual({ report: true, suppressedCount: 0 });
    expect(s.offer(ATAPI, at(7), ON)).toEqual({ report: true, suppressedCount: 0 });
    expect(s.offer(ATAPI, at(8), ON)).toEqual({ report: false });
  });

  it('reports when the clock went back before the last report', () => {
    const s = new Suppressor();
    s.offer(ATAPI, at(100), ON);
    s.offer(ATAPI, at(101), ON);
    expect(s.offer(ATAPI, at(50), ON)).toEqual({ report: true, suppressedCount: 1 });
    expect(s.offer(ATAPI, at(51), ON)).toEqual({ report: false });
  });

  it('forgets keys whose period ended with nothing pending, and keeps those with a count', () => {
    const s = new Suppressor();
    for (let i = 0; i < 100; i++) s.offer({ source: 'disk', eventId: `0x${i.toString(16).padStart(8, '0')}` }, at(0), ON);
    s.offer(ATAPI, at(0), ON);
    s.offer(ATAPI, at(1), ON); // pending 1
    expect(s.size).toBe(101);
    s.offer(DISK, at(61), ON);
    expect(s.size).toBe(2); // ATAPI (pending) and DISK (in its period)
    expect(s.offer(ATAPI, at(500), ON)).toEqual({ report: true, suppressedCount: 1 });
  });

  it('never remembers more than maxKeys, dropping the longest-unreported first', () => {
    const s = new Suppressor({ maxKeys: 3 });
    const key = (n: number) => ({ source: 'disk', eventId: `0x0000000${n}` });
    for (let n = 1; n <= 3; n++) s.offer(key(n), at(n), ON);
    s.offer(key(1), at(4), ON); // suppressed, still the oldest report
    s.offer(key(4), at(5), ON);
    expect(s.size).toBe(3);
    expect(s.offer(key(1), at(6), ON)).toEqual({ report: true, suppressedCount: 0 }); // forgotten
    expect(s.offer(key(3), at(7), ON)).toEqual({ report: false });
    const big = new Suppressor();
    for (let i = 0; i < 12_000; i++) big.offer({ source: 's', eventId: String(i) }, at(i / 1000), ON);
    expect(big.size).toBe(10_000);
  });

  it('survives a restart through toJSON / fromJSON', () => {
    const s = new Suppressor();
    s.offer(ATAPI, at(0), ON);
    s.offer(ATAPI, at(5), ON);
    s.offer(ATAPI, at(6), ON);
    s.offer(DISK, at(10), ON);
    const saved = JSON.parse(JSON.stringify(s)) as unknown;
    expect(saved).toEqual({
      version: 1,
      entries: [
        ['atapi', '0xc0040006', at(0).getTime(), 2],
        ['disk', '0xc0040007', at(10).getTime(), 0],
      ],
    });
    const restored = Suppressor.fromJSON(saved);
    expect(restored.offer(ATAPI, at(30), ON)).toEqual({ report: false });
    expect(restored.offer(ATAPI, at(60), ON)).toEqual({ report: true, suppressedCount: 3 });
    expect(restored.offer(DISK, at(69), ON)).toEqual({ report: false });
  });

  it('restores what it can from damaged state and never throws', () => {
    for (const junk of [null, 'x', 42, [], { version: 2, entries: [] }, { version: 1, entries: 'no' }]) {
      expect(Suppressor.fromJSON(junk).size).toBe(0);
    }
    const s = Suppressor.fromJSON({
      version: 1,
      entries: [
        ['atapi', '0xc0040006', at(0).getTime(), 1],
        ['disk', 7, at(0).getTime(), 0],
        ['disk', '0xc0040007', 'yesterday', 0],
        ['disk', '0xc0040007', at(0).getTime(), -1],
        ['disk', '0xc0040007'],
        'row',
      ],
    });
    expect(s.size).toBe(1);
    expect(s.pending(ATAPI)).toBe(1);
    expect(Suppressor.fromJSON(s.toJSON(), { maxKeys: 1 }).size).toBe(1);
  });
});
