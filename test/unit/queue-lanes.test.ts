/**
 * Lanes (docs/formats/queue.md): each method's own concurrency, the least gap between the starts
 * of its attempts (with the manual clock: one timer, no polling), a resource shared by two lanes,
 * a held lane never holding back another, a report accepted into another method's lane, and a
 * record written before lanes.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../src-shared/methods';
import type { ReportEnvelope } from '../../src-shared/report';
import type { Delivery, Reporter } from '../../src-main/channels/reporter';
import { DEFAULT_LANE, ManualClock, readQueue, ReportQueue, type LaneLimits, type MethodSchedule, type QueueEntry } from '../../src-main/queue';
import { frameJson } from '../../src-main/queue/framing';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const START = new Date(2026, 2, 2, 10, 0); // a Monday, 10:00 local time
const SCHEDULE: MethodSchedule = { retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' };
const ok = (destination: string): Delivery => ({ ok: true, destination, detail: 'accepted' });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * A reporter per lane whose sends wait until released; it counts the attempts in hand per lane
 * and in all, and the most seen of each.
 */
function gatedReporters() {
  const active = new Map<string, number>();
  const most = new Map<string, number>();
  let all = 0;
  let mostAll = 0;
  const waiting: { lane: string; id: string; release: () => void }[] = [];
  const calls: { lane: string; id: string; method: string }[] = [];
  let gated = true;
  const reporterFor = (lane: string): Reporter => ({
    name: lane,
    channel: 'test',
    async send(report) {
      calls.push({ lane, id: report.envelope.id, method: report.envelope.method });
      active.set(lane, (active.get(lane) ?? 0) + 1);
      most.set(lane, Math.max(most.get(lane) ?? 0, active.get(lane)!));
      mostAll = Math.max(mostAll, ++all);
      if (gated) await new Promise<void>((release) => waiting.push({ lane, id: report.envelope.id, release }));
      else await new Promise((r) => setTimeout(r, 1));
      active.set(lane, active.get(lane)! - 1);
      all--;
      return ok(`https://${lane}/`);
    },
  });
  return {
    reporterFor,
    calls,
    waiting,
    most: (lane: string) => most.get(lane) ?? 0,
    mostAll: () => mostAll,
    /** releases the sends waiting now (the ones started after wait their turn) */
    releaseAll: () => waiting.splice(0).forEach((w) => w.release()),
    ungate: () => {
      gated = false;
      waiting.splice(0).forEach((w) => w.release());
    },
  };
}

async function setup(options: { lanes?: Partial<Record<MethodName, Partial<LaneLimits>>>; laneFor?: (lane: MethodName) => LaneLimits; schedules?: Partial<Record<MethodName, Partial<MethodSchedule>>>; concurrency?: number; dir?: string }) {
  const temp = tempDir('er-qlanes-');
  const dir = options.dir ?? temp.dir;
  const clock = new ManualClock(START);
  const gate = gatedReporters();
  const seen: QueueEntry[] = [];
  const logs: string[] = [];
  const queue = await ReportQueue.open({
    dir,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    scheduleFor: (method) => ({ ...SCHEDULE, ...options.schedules?.[method] }),
    laneFor: options.laneFor ?? ((lane) => ({ ...DEFAULT_LANE, ...options.lanes?.[lane] })),
    reportersFor: (entry) => {
      seen.push(entry);
      return [gate.reporterFor(entry.lane)];
    },
    concurrency: options.concurrency,
    log: (line) => logs.push(line),
  });
  // A test that failed half-way must not leave sends waiting: close() waits for them.
  cleanups.push(temp.remove, () => queue.close(), () => gate.ungate());
  const settle = () => queue.idle();
  /** lets the microtasks and the loopback work of the attempts in hand run */
  const tick = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return { queue, clock, gate, seen, logs, dir, settle, tick, advanceTo: (t: number) => clock.advanceTo(t, settle) };
}

const envelopeFor = (method: MethodName): ReportEnvelope => ({ ...sampleEnvelope('alert', [], randomUUID()), method });

describe('lanes', () => {
  it('concurrency is per lane: a modem lane one at a time, the HTTPS lane several', async () => {
    const { queue, gate, tick, settle } = await setup({ lanes: { express: { concurrency: 1 }, 'express-https': { concurrency: 3 } } });
    for (let i = 0; i < 5; i++) await queue.accept(envelopeFor('express'));
    for (let i = 0; i < 9; i++) await queue.accept(envelopeFor('express-https'));
    queue.start();
    await tick();
    expect(gate.waiting.filter((w) => w.lane === 'express')).toHaveLength(1);
    expect(gate.waiting.filter((w) => w.lane === 'express-https')).toHaveLength(3);
    for (let round = 0; round < 6; round++) {
      gate.releaseAll();
      await tick();
    }
    gate.ungate();
    await settle();
    expect(gate.most('express')).toBe(1);
    expect(gate.most('express-https')).toBe(3);
    expect(queue.list({ state: 'delivered' })).toHaveLength(14);
  });

  it('the global cap still bounds all lanes together', async () => {
    const { queue, gate, tick, settle } = await setup({ concurrency: 2, lanes: { express: { concurrency: 4 }, 'express-https': { concurrency: 4 } } });
    for (let i = 0; i < 4; i++) await queue.accept(envelopeFor('express'));
    for (let i = 0; i < 4; i++) await queue.accept(envelopeFor('express-https'));
    queue.start();
    await tick();
    expect(gate.waiting).toHaveLength(2);
    gate.ungate();
    await settle();
    expect(gate.mostAll()).toBe(2);
    expect(queue.list({ state: 'delivered' })).toHaveLength(8);
  });

  it('the least gap between attempts: the one timer is armed for the end of the gap, nothing before', async () => {
    const GAP = 90_000;
    const { queue, clock, gate, settle, advanceTo } = await setup({ lanes: { express: { concurrency: 1, minGapMs: GAP } } });
    gate.ungate();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await queue.accept(envelopeFor('express'))).id);
    queue.start();
    await settle();
    expect(gate.calls.map((c) => c.id)).toEqual([ids[0]]);
    // One timer, for the end of the gap (not polling), though the other two are due already.
    expect(clock.pending).toBe(1);
    expect(clock.nextTimerAt()?.getTime()).toBe(START.getTime() + GAP);
    await advanceTo(START.getTime() + GAP - 1);
    expect(gate.calls).toHaveLength(1);
    await advanceTo(START.getTime() + GAP);
    expect(gate.calls.map((c) => c.id)).toEqual(ids.slice(0, 2));
    expect(clock.nextTimerAt()?.getTime()).toBe(START.getTime() + 2 * GAP);
    await advanceTo(START.getTime() + 2 * GAP);
    expect(gate.calls.map((c) => c.id)).toEqual(ids);
    expect(clock.pending).toBe(0);
    // The attempts started GAP apart, and the reports were tried in acceptance order.
    const items = ids.map((id) => queue.get(id)!);
    expect(items.map((i) => Date.parse(i.lastAttemptAt!) - START.getTime())).toEqual([0, GAP, 2 * GAP]);
    expect(items.every((i) => i.state === 'delivered')).toBe(true);
  });

  it('a changed gap counts at the next pump: settings change at any time', async () => {
    let gap = 60_000;
    const { queue, clock, gate, settle, advanceTo } = await setup({ laneFor: (lane) => (lane === 'express' ? { concurrency: 1, minGapMs: gap, resource: null } : DEFAULT_LANE) });
    gate.ungate();
    await queue.accept(envelopeFor('express'));
    await queue.accept(envelopeFor('express'));
    queue.start();
    await settle();
    expect(clock.nextTimerAt()?.getTime()).toBe(START.getTime() + 60_000);
    gap = 10_000;
    queue.kick();
    await settle();
    expect(clock.nextTimerAt()?.getTime()).toBe(START.getTime() + 10_000);
    await advanceTo(START.getTime() + 10_000);
    expect(gate.calls).toHaveLength(2);
  });

  it('a resource shared by two lanes: never two attempts at once on it, and both lanes get their turn', async () => {
    const { queue, gate, tick, settle } = await setup({
      lanes: { express: { concurrency: 2, resource: 'COM1' }, 'manager-express': { concurrency: 2, resource: 'COM1' }, 'express-https': { concurrency: 4 } },
    });
    const a = [];
    const b = [];
    for (let i = 0; i < 3; i++) {
      a.push((await queue.accept(envelopeFor('express'))).id);
      b.push((await queue.accept(envelopeFor('manager-express'))).id);
    }
    const https = (await queue.accept(envelopeFor('express-https'))).id;
    queue.start();
    await tick();
    // One attempt holds COM1; the HTTPS lane, which does not name it, goes meanwhile.
    expect(gate.waiting.map((w) => w.id).sort()).toEqual([a[0], https].sort());
    for (let round = 0; round < 8; round++) {
      const onPort = gate.waiting.filter((w) => w.lane !== 'express-https');
      expect(onPort.length).toBeLessThanOrEqual(1);
      gate.releaseAll();
      await tick();
    }
    await settle();
    // Turns go by due time and acceptance order, whichever lane: the lanes alternate.
    expect(gate.calls.filter((c) => c.lane !== 'express-https').map((c) => c.id)).toEqual([a[0], b[0], a[1], b[1], a[2], b[2]]);
    expect(gate.most('express') + gate.most('manager-express')).toBe(2);
    expect(queue.list({ state: 'delivered' })).toHaveLength(7);
  });

  it('a full lane does not hold back another lane, even with earlier reports', async () => {
    const { queue, gate, tick, settle } = await setup({ lanes: { express: { concurrency: 1 } } });
    const modem = [];
    for (let i = 0; i < 50; i++) modem.push((await queue.accept(envelopeFor('express'))).id);
    const later = (await queue.accept(envelopeFor('express-https'))).id;
    queue.start();
    await tick();
    expect(gate.waiting.map((w) => w.id).sort()).toEqual([modem[0], later].sort());
    // The HTTPS report is delivered while the modem lane still works on its first.
    gate.waiting.find((w) => w.id === later)!.release();
    expect((await queue.nextOutcome(later)).state).toBe('delivered');
    expect(queue.get(modem[0]!)!.state).toBe('sending');
    gate.ungate();
    await settle();
    expect(queue.list({ state: 'delivered' })).toHaveLength(51);
  });

  it('a lane waiting out its gap does not hold back another lane', async () => {
    const { queue, clock, gate, settle } = await setup({ lanes: { express: { concurrency: 1, minGapMs: 3_600_000 } } });
    gate.ungate();
    await queue.accept(envelopeFor('express'));
    const waits = (await queue.accept(envelopeFor('express'))).id;
    const later = (await queue.accept(envelopeFor('express-https'))).id;
    queue.start();
    await settle();
    expect(queue.get(later)!.state).toBe('delivered');
    expect(queue.get(waits)!.state).toBe('queued');
    expect(clock.nextTimerAt()?.getTime()).toBe(START.getTime() + 3_600_000);
  });

  it('a throwing laneFor falls back to the default limits, said once in the log', async () => {
    const { queue, gate, settle, logs } = await setup({
      laneFor: () => {
        throw new Error('settings unreadable');
      },
    });
    gate.ungate();
    for (let i = 0; i < 10; i++) await queue.accept(envelopeFor('express-https'));
    queue.start();
    await settle();
    expect(queue.list({ state: 'delivered' })).toHaveLength(10);
    expect(gate.most('express-https')).toBeLessThanOrEqual(DEFAULT_LANE.concurrency);
    const said = logs.filter((l) => l.includes('no limits for the lane express-https'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('settings unreadable');
  });
});

describe('accept into another lane', () => {
  it("is delivered, scheduled and limited as that method; the envelope keeps its own method", async () => {
    const { queue, gate, seen, tick, settle, dir } = await setup({
      lanes: { 'manager-express-https': { concurrency: 1 }, 'express-https': { concurrency: 4 } },
      // The agent's own method would go at once; the manager's lane waits for its window.
      schedules: { 'manager-express-https': { window: '12:00-13:00' } },
    });
    const forwarded = envelopeFor('express-https');
    const item = await queue.accept(forwarded, [], { lane: 'manager-express-https' });
    expect(item.method).toBe('express-https');
    expect(item.nextAttemptAt).toBe(new Date(2026, 2, 2, 12, 0).toISOString());
    const { entries } = await readQueue(dir);
    expect(entries[0]).toMatchObject({ id: forwarded.id, method: 'express-https', lane: 'manager-express-https' });
    const own = await queue.accept(envelopeFor('express-https'));
    queue.start();
    await tick();
    expect(gate.calls.map((c) => c.id)).toEqual([own.id]);
    gate.ungate();
    await settle();
    expect(queue.get(forwarded.id)!.state).toBe('queued');
    expect(seen.map((e) => e.lane)).toEqual(['express-https']);
  });

  it('counts against its lane, and the reporter is that lane’s', async () => {
    const { queue, gate, seen, tick, settle } = await setup({ lanes: { 'manager-express-https': { concurrency: 1 } } });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await queue.accept(envelopeFor('express-https'), [], { lane: 'manager-express-https' })).id);
    queue.start();
    await tick();
    expect(gate.waiting).toHaveLength(1);
    gate.ungate();
    await settle();
    expect(gate.calls.map((c) => [c.lane, c.method])).toEqual(Array.from({ length: 3 }, () => ['manager-express-https', 'express-https']));
    expect(seen.every((e) => e.lane === 'manager-express-https' && e.method === 'express-https')).toBe(true);
    expect(gate.most('manager-express-https')).toBe(1);
    expect(queue.list({ state: 'delivered' }).map((i) => i.method)).toEqual(['express-https', 'express-https', 'express-https']);
  });

  it('refuses a lane that is not a method', async () => {
    const { queue } = await setup({});
    await expect(queue.accept(envelopeFor('express-https'), [], { lane: 'fax' as MethodName })).rejects.toMatchObject({ code: 'invalid-report' });
    expect(queue.list()).toEqual([]);
  });
});

describe('a record written before lanes', () => {
  it('loads with the lane of its method, is delivered in it, and keeps it after a compaction', async () => {
    const temp = tempDir('er-qlanes-old-');
    cleanups.push(temp.remove);
    const dir = path.join(temp.dir, 'queue');
    mkdirSync(path.join(dir, 'attachments'), { recursive: true });
    const envelope = envelopeFor('express');
    // An entry exactly as format 1 wrote it before lanes: no `lane` member.
    const old = {
      id: envelope.id,
      seq: 0,
      kind: 'alert',
      method: 'express',
      acceptedAt: START.getTime(),
      state: 'queued',
      attempts: 0,
      firstAttemptAt: null,
      lastAttemptAt: null,
      nextAttemptAt: START.getTime(),
      settledAt: null,
      destination: null,
      lastError: null,
      failure: null,
      event: null,
      pin: null,
      singleAttempt: false,
      envelope,
      attachments: [],
    };
    writeFileSync(path.join(dir, 'journal-00000001.erq'), frameJson({ op: 'insert', entry: old }));
    const before = await readQueue(dir);
    expect(before.notices).toEqual([]);
    expect(before.entries[0]).toMatchObject({ id: envelope.id, method: 'express', lane: 'express' });

    const { queue, gate, seen, settle } = await setup({ dir, lanes: { express: { concurrency: 1 } } });
    gate.ungate();
    queue.start();
    await settle();
    expect(seen.map((e) => e.lane)).toEqual(['express']);
    expect(queue.get(envelope.id)!.state).toBe('delivered');
    await queue.close();
    // The queue compacted on open: the snapshot now names the lane.
    const after = await readQueue(dir);
    expect(after.entries[0]).toMatchObject({ id: envelope.id, lane: 'express', state: 'delivered' });
  });
});
