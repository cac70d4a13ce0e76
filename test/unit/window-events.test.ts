/**
 * The window's event filter (src-renderer/lib/api-client.ts): every event the backend sends
 * reaches the window's listeners. It once let `manager:changed` through nowhere: the manager's
 * window then never heard its receive service start after enabling, kept "enabled, not
 * listening" and had to ask again on a timer (issue 13).
 */
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src-shared/api';
import { isApiEvent } from '../../src-renderer/lib/api-client';

// one of each type: the Record makes the type check fail when ApiEvent gains a type not listed here
const SAMPLES: Record<ApiEvent['type'], unknown> = {
  'settings:changed': { type: 'settings:changed' },
  progress: { type: 'progress', task: 'configuration', phase: 'tools', done: 0, total: 1 },
  'methods:changed': { type: 'methods:changed' },
  notice: { type: 'notice', notice: { id: 'n1', level: 'error', message: 'x', at: new Date(0).toISOString() } },
  // its item is checked against the history item's schema (the history view's tests)
  'report:changed': null,
  'service:changed': { type: 'service:changed' },
  'manager:changed': { type: 'manager:changed' },
};

describe('the window hears every event the backend sends', () => {
  it.each(Object.keys(SAMPLES).filter((t) => t !== 'report:changed'))('%s reaches the listeners', (type) => {
    expect(isApiEvent(SAMPLES[type as ApiEvent['type']])).toBe(true);
  });

  it('manager:changed (a receive service started, stopped or could not listen) is let through', () => {
    expect(isApiEvent({ type: 'manager:changed' })).toBe(true);
  });

  it('an unknown type, a missing type and a report:changed whose item does not check are dropped', () => {
    expect(isApiEvent({ type: 'manager:gone' })).toBe(false);
    expect(isApiEvent({})).toBe(false);
    expect(isApiEvent(null)).toBe(false);
    expect(isApiEvent({ type: 'toString' })).toBe(false);
    expect(isApiEvent({ type: 'report:changed', item: { id: 1 } })).toBe(false);
  });
});
