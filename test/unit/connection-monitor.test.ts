import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionMonitor, type ConnectionState } from '../../src-renderer/lib/connection';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectionMonitor (the window asking for a lost service again)', () => {
  it('says lost at once, asks again until the service answers, then stops asking', async () => {
    let answer: ConnectionState = 'lost';
    let asked = 0;
    const monitor = new ConnectionMonitor(() => {
      asked++;
      if (answer === 'connected') monitor.connected();
      return Promise.resolve(answer);
    });
    const seen: ConnectionState[] = [];
    monitor.onConnection((s) => seen.push(s));
    monitor.down('lost');
    expect(monitor.connection()).toBe('lost');
    expect(seen).toEqual(['lost']);
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000);
    expect(asked).toBe(3);
    answer = 'connected';
    await vi.advanceTimersByTimeAsync(2000);
    expect(monitor.connection()).toBe('connected');
    expect(seen).toEqual(['lost', 'connected']);
    const after = asked;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(asked).toBe(after);
  });

  it('a service that refuses the token is "replaced"; it keeps asking at most every 3 s; a rejected probe counts as lost', async () => {
    let asked = 0;
    let fail = false;
    const monitor = new ConnectionMonitor(() => {
      asked++;
      return fail ? Promise.reject(new Error('boom')) : Promise.resolve('replaced');
    });
    monitor.down('lost');
    await vi.advanceTimersByTimeAsync(250);
    expect(monitor.connection()).toBe('replaced');
    await vi.advanceTimersByTimeAsync(60_000);
    // 250, 500, 1000, 2000 ms, then every 3 s
    expect(asked).toBeGreaterThanOrEqual(18);
    expect(asked).toBeLessThanOrEqual(22);
    fail = true;
    await vi.advanceTimersByTimeAsync(3000);
    expect(monitor.connection()).toBe('lost');
  });
});
