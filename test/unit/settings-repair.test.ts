import { describe, expect, it } from 'vitest';
import { repairSettings } from '../../src-main/core/settings-repair';

const opening = { mode: 'key-code', openedAt: '2026-01-01T00:00:00Z', userSystemCode: 'OPFILELESS', keyCode: '01239' };

describe('repairSettings: each wrong field back to its default, the rest kept', () => {
  it('a rule across fields resets the field it names', () => {
    const r = repairSettings({ version: 1, methods: { express: { schedule: { retryIntervalMinutes: 120, retryUntilHours: 1, window: '08:00-20:00' } } } });
    expect(r?.reset).toEqual(['methods.express.schedule.retryUntilHours']);
    expect(r?.settings.methods.express.schedule).toEqual({ retryIntervalMinutes: 120, retryUntilHours: 72, window: '08:00-20:00' });
  });

  it('a wrong field inside a list entry resets that field; the other entries stay', () => {
    const options = [{ deviceCode: 'N8103-1', serialNumber: '1', comment: '' }, { deviceCode: 5, serialNumber: '2', comment: '' }];
    const r = repairSettings({ version: 1, opening: { ...opening, options } });
    expect(r?.reset).toEqual(['opening.options.1.deviceCode']);
    expect(r?.settings.opening?.options).toEqual([options[0], { deviceCode: '', serialNumber: '2', comment: '' }]);
    expect(r?.settings.opening?.keyCode).toBe('01239');
  });

  it('a subtree of the wrong type is reset whole and listed once', () => {
    const r = repairSettings({ version: 1, opening, ui: { language: 'xx' }, methods: 'garbage' });
    expect(r?.reset.sort()).toEqual(['methods', 'ui.language']);
    expect(r?.settings.opening?.userSystemCode).toBe('OPFILELESS');
  });

  it('is null for what is not settings: not an object, no version', () => {
    expect(repairSettings([1, 2])).toBeNull();
    expect(repairSettings('text')).toBeNull();
    expect(repairSettings({ methods: {} })).toBeNull();
  });
});
