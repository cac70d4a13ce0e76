/**
 * settings:checkpoint / settings:rollback (issue 9 item 7): what a dialog stored for a test is put
 * back as it was when the dialog opened — secrets included, without ever sending them out — and a
 * rollback can only restore a state that existed (once; an unknown id changes nothing).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { AlertService } from '../../src-main/core/alert-service';
import { tempDir } from '../helpers/temp';

let tmp: ReturnType<typeof tempDir>;
let s: AlertService;
beforeEach(async () => {
  tmp = tempDir('er-checkpoint-');
  s = await AlertService.open({ dataDir: tmp.dir, osLocale: 'en_US.UTF-8' });
});
afterEach(async () => {
  await s.close();
  tmp.remove();
});

function ok<R>(out: CallOutcome<ApiMethod>): R {
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as R;
}

const BASE = 'methods.express-https';
const GOOD = 'https://center.example.jp/Scripts/trsRecvAlert.cgi';

describe('settings checkpoints', () => {
  it('rollback restores the keys as they were, secrets too, and only once', async () => {
    ok(await s.call('settings:set', { key: `${BASE}.url1`, value: GOOD }));
    ok(await s.call('settings:set', { key: `${BASE}.proxy.password`, value: 'first-secret' }));
    const { id } = ok<Result<'settings:checkpoint'>>(await s.call('settings:checkpoint', { keys: [`${BASE}.url1`, `${BASE}.proxy`, `${BASE}.testedAt`] }));
    ok(await s.call('settings:set', { key: `${BASE}.url1`, value: 'https://wrong.example.jp/x.cgi' }));
    ok(await s.call('settings:set', { key: `${BASE}.proxy.password`, value: 'other-secret' }));
    ok(await s.call('settings:set', { key: `${BASE}.url2`, value: 'https://second.example.jp/x.cgi' }));

    const restored = ok<Result<'settings:rollback'>>(await s.call('settings:rollback', { id }));
    expect(restored.methods['express-https'].url1).toBe(GOOD);
    // a key outside the checkpoint keeps its change; the secret is masked in the answer
    expect(restored.methods['express-https'].url2).toBe('https://second.example.jp/x.cgi');
    expect(restored.methods['express-https'].proxy.password).toBe('********');
    expect(JSON.stringify(restored)).not.toContain('first-secret');
    // a checkpoint is used once
    ok(await s.call('settings:set', { key: `${BASE}.url1`, value: 'https://again.example.jp/x.cgi' }));
    const second = ok<Result<'settings:rollback'>>(await s.call('settings:rollback', { id }));
    expect(second.methods['express-https'].url1).toBe('https://again.example.jp/x.cgi');
  });

  it('refuses a key that does not exist, naming it', async () => {
    const out = await s.call('settings:checkpoint', { keys: [`${BASE}.nope`] });
    expect(!out.ok && out.error).toMatchObject({ code: 'unknown-key', field: `${BASE}.nope` });
    const version = await s.call('settings:checkpoint', { keys: ['version'] });
    expect(!version.ok && version.error.code).toBe('unknown-key');
  });

  it('an unknown id changes nothing', async () => {
    ok(await s.call('settings:set', { key: `${BASE}.url1`, value: GOOD }));
    const out = ok<Result<'settings:rollback'>>(await s.call('settings:rollback', { id: 'not-a-checkpoint' }));
    expect(out.methods['express-https'].url1).toBe(GOOD);
  });
});
