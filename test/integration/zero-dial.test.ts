/**
 * ゼロ発信 (issue 12, seed L924–928): one action puts "0," in front of both dial-up destination
 * numbers and one takes it off, idempotently, stored with the number (the channel dials what is
 * stored). Real AlertService on a real data folder, and the built CLI as a child process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { dialNumberProblem, withoutZeroDial, withZeroDial, zeroDialState } from '../../src-shared/dial-number';
import { AlertService } from '../../src-main/core/alert-service';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
let service: AlertService | null = null;
beforeEach(() => {
  tmp = tempDir('er-zero-');
});
afterEach(async () => {
  await service?.close();
  service = null;
  tmp.remove();
});

const KEY = 'methods.express.dialup';

async function open(): Promise<AlertService> {
  service = await AlertService.open({ dataDir: tmp.dir, osLocale: 'en_US.UTF-8' });
  return service;
}

async function call<M extends ApiMethod>(s: AlertService, method: M, params: unknown): Promise<Result<M>> {
  const out = (await s.call(method, params as never)) as CallOutcome<M>;
  if (!out.ok) throw new Error(`${out.error.code} ${out.error.field ?? ''}: ${out.error.message}`);
  return out.result as Result<M>;
}

async function numbers(s: AlertService, method = 'express'): Promise<[string, string]> {
  const settings = await call(s, 'settings:get', {});
  const dialup = settings.methods[method as 'express'].dialup;
  return [dialup.primary.number, dialup.secondary.number];
}

describe('the numbers (src-shared/dial-number.ts)', () => {
  it('adds the prefix once, removes one, leaves an empty number empty', () => {
    expect(withZeroDial('03-1234-5678')).toBe('0,03-1234-5678');
    expect(withZeroDial('0,03-1234-5678')).toBe('0,03-1234-5678');
    expect(withZeroDial('')).toBe('');
    expect(withoutZeroDial('0,03-1234-5678')).toBe('03-1234-5678');
    expect(withoutZeroDial('03-1234-5678')).toBe('03-1234-5678');
    expect(zeroDialState(['0,1', ''])).toBe('on');
    expect(zeroDialState(['0,1', '2'])).toBe('partial');
    expect(zeroDialState(['1', '2'])).toBe('off');
    expect(zeroDialState(['', ' '])).toBe('none');
  });

  it('a dial string holds digits, hyphens, commas, # and *, and at least one digit after the prefix', () => {
    for (const ok of ['0312345678', '03-1234-5678', '0,03-1234-5678', '*67,123#', '123,,456']) expect(dialNumberProblem(ok), ok).toBeNull();
    expect(dialNumberProblem('03 1234 5678')).toBe('chars');
    expect(dialNumberProblem('+81312345678')).toBe('chars');
    expect(dialNumberProblem('ATH0')).toBe('chars');
    expect(dialNumberProblem('0,')).toBe('no-digit');
    expect(dialNumberProblem('--')).toBe('no-digit');
    expect(dialNumberProblem('1'.repeat(65))).toBe('too-long');
  });
});

describe('dialup:zeroDial', () => {
  it('on puts "0," in front of both numbers, on again changes nothing, off takes it off, status only looks', async () => {
    const s = await open();
    await call(s, 'settings:patch', { changes: { [`${KEY}.primary.number`]: '03-1234-5678', [`${KEY}.secondary.number`]: '06-8765-4321' } });
    expect(await call(s, 'dialup:zeroDial', { action: 'status' })).toEqual({ state: 'off', primary: '03-1234-5678', secondary: '06-8765-4321', changed: false });

    expect(await call(s, 'dialup:zeroDial', { action: 'on' })).toEqual({ state: 'on', primary: '0,03-1234-5678', secondary: '0,06-8765-4321', changed: true });
    expect(await numbers(s)).toEqual(['0,03-1234-5678', '0,06-8765-4321']);
    expect(await call(s, 'dialup:zeroDial', { action: 'on' })).toMatchObject({ state: 'on', primary: '0,03-1234-5678', changed: false });
    expect(await numbers(s)).toEqual(['0,03-1234-5678', '0,06-8765-4321']);

    expect(await call(s, 'dialup:zeroDial', { action: 'off' })).toEqual({ state: 'off', primary: '03-1234-5678', secondary: '06-8765-4321', changed: true });
    expect(await call(s, 'dialup:zeroDial', { action: 'off' })).toMatchObject({ changed: false });
    expect(await numbers(s)).toEqual(['03-1234-5678', '06-8765-4321']);
  });

  it('with only the primary set the secondary stays empty; a half-prefixed pair is partial and on completes it', async () => {
    const s = await open();
    await call(s, 'settings:set', { key: `${KEY}.primary.number`, value: '0312345678' });
    expect(await call(s, 'dialup:zeroDial', { action: 'on' })).toEqual({ state: 'on', primary: '0,0312345678', secondary: '', changed: true });
    await call(s, 'settings:set', { key: `${KEY}.secondary.number`, value: '0698765432' });
    expect((await call(s, 'dialup:zeroDial', { action: 'status' })).state).toBe('partial');
    expect(await call(s, 'dialup:zeroDial', { action: 'on' })).toEqual({ state: 'on', primary: '0,0312345678', secondary: '0,0698765432', changed: true });
  });

  it('without a number on / off is refused naming the primary number; status says none', async () => {
    const s = await open();
    expect((await call(s, 'dialup:zeroDial', { action: 'status' })).state).toBe('none');
    const out = await s.call('dialup:zeroDial', { action: 'on' });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.field).toBe(`${KEY}.primary.number`);
      expect(out.error.message).toMatch(/telephone|phone/i);
    }
  });

  it('a number a modem cannot dial is refused by settings:set as by the window, naming the key and the destination', async () => {
    const s = await open();
    const out = await s.call('settings:set', { key: `${KEY}.secondary.number`, value: '06 8765;ATH0' });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.field).toBe(`${KEY}.secondary.number`);
      expect(out.error.message).toContain('secondary phone number has characters that cannot be dialled');
    }
    expect(await numbers(s)).toEqual(['', '']);
  });

  it('the manager’s forwarding has numbers of its own', async () => {
    const s = await open();
    await call(s, 'settings:set', { key: 'methods.manager-express.dialup.primary.number', value: '0120-000-000' });
    await call(s, 'settings:set', { key: `${KEY}.primary.number`, value: '03-1234-5678' });
    expect((await call(s, 'dialup:zeroDial', { method: 'manager-express', action: 'on' })).primary).toBe('0,0120-000-000');
    expect(await numbers(s)).toEqual(['03-1234-5678', '']);
  });
});

describe('express-report zero-dial', () => {
  const run = (...args: string[]) => cli([...args, '--data-dir', tmp.dir], { LANG: 'en_US.UTF-8' });

  it('on / status / off through the service, and config get shows the stored numbers', () => {
    expect(run('config', 'set', `${KEY}.primary.number`, '03-1234-5678').status).toBe(0);
    expect(run('config', 'set', `${KEY}.secondary.number`, '06-8765-4321').status).toBe(0);
    const on = run('zero-dial', 'on');
    expect(on.status).toBe(0);
    expect(on.stdout).toBe('zero-dial: on\nprimary: 0,03-1234-5678\nsecondary: 0,06-8765-4321\n');
    expect(JSON.parse(run('config', 'get', `${KEY}.primary.number`).stdout)).toBe('0,03-1234-5678');
    expect(JSON.parse(run('zero-dial', 'on', '--json').stdout)).toEqual({ state: 'on', primary: '0,03-1234-5678', secondary: '0,06-8765-4321', changed: false });
    expect(run('zero-dial', 'status').stdout).toContain('zero-dial: on');
    expect(run('zero-dial', 'off').stdout).toBe('zero-dial: off\nprimary: 03-1234-5678\nsecondary: 06-8765-4321\n');
    expect(JSON.parse(run('config', 'get', `${KEY}.secondary.number`).stdout)).toBe('06-8765-4321');
  });

  it('refuses a wrong action (exit 2, the usage) and a method without numbers (exit 2, the reason)', () => {
    const usage = run('zero-dial', 'maybe');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('zero-dial takes on, off or status');
    expect(run('zero-dial', 'on', '--method', 'express-https').status).toBe(2);
    const none = run('zero-dial', 'on');
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/phone number/i);
    const bad = run('config', 'set', `${KEY}.primary.number`, 'ATDT123');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${KEY}.primary.number`);
  });
});
