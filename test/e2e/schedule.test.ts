import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  launchBrowser,
  makeDataDir,
  openWindow,
  stopAllBackends,
  startBackend,
  waitReady,
  type Backend,
  type OpenWindow,
} from './harness';

let browser: Browser;
let backend: Backend;
let win: OpenWindow;
let page: Page;
const data = makeDataDir();

beforeAll(async () => {
  backend = await startBackend(data.dir, 'ja_JP.UTF-8');
  browser = await launchBrowser();
  win = await openWindow(browser, backend);
  page = win.page;
});

afterAll(async () => {
  await browser?.close();
  await stopAllBackends();
  data.remove();
});

const listDialog = () => page.getByRole('dialog', { name: '通報先リストの設定' });
const idDialog = () => page.getByRole('dialog', { name: 'ID 設定' });
const scheduleDialog = () => page.getByRole('dialog', { name: 'スケジュール設定' });
const field = (name: string) => scheduleDialog().getByRole('textbox', { name, exact: true });

async function openScheduleFor(id: string): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).click();
  await page.getByRole('menuitem', { name: '通報先リストの設定(L)...' }).click();
  await listDialog().waitFor();
  await listDialog().getByRole('option', { name: id }).first().click();
  expect(await listDialog().getByRole('option', { name: id }).first().getAttribute('aria-selected')).toBe('true');
  await listDialog().getByRole('button', { name: '修正...' }).click();
  await idDialog().waitFor();
  expect(await idDialog().getByTestId('id-settings-id').textContent()).toBe(id);
  await idDialog().getByRole('button', { name: 'スケジュール...' }).click();
  await scheduleDialog().waitFor();
}

/** The message Fluent's Field links to the input through aria-describedby. */
async function messageFor(input: Locator): Promise<string> {
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

async function pressOk(): Promise<void> {
  await scheduleDialog().getByRole('button', { name: 'OK', exact: true }).click();
}

async function storedSchedule() {
  const outcome = await apiCall(backend, 'settings:get', {});
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result.methods.express.schedule;
}

describe('通報先リストの設定 → ID 設定 → スケジュール設定', () => {
  it('shows the ID list with each method’s schedule and the seed defaults', async () => {
    await openScheduleFor('エクスプレス通報サービス');
    expect(await field('間隔').inputValue()).toBe('5');
    expect(await field('期限').inputValue()).toBe('72');
    expect(await scheduleDialog().getByRole('checkbox', { name: '24 時間通報する' }).isChecked()).toBe(true);
    expect(await scheduleDialog().textContent()).toContain('初期値は、5 分間隔で 72 時間後までのリトライ、24 時間通報できます');
  });

  it('rejects 0 minutes and 25:00 in the form, naming the field, and keeps the input', async () => {
    await field('間隔').fill('0');
    await scheduleDialog().getByRole('checkbox', { name: '24 時間通報する' }).uncheck();
    await field('開始時刻').fill('25:00');
    await field('終了時刻').fill('20:00');
    await pressOk();
    await scheduleDialog().getByText('間隔には 1 から 1440 までの整数を入力してください。').waitFor();
    expect(await messageFor(field('間隔'))).toContain('間隔には 1 から 1440 までの整数を入力してください。');
    expect(await messageFor(field('開始時刻'))).toContain('開始時刻は HH:MM の形式');
    expect(await field('間隔').inputValue()).toBe('0');
    expect(await field('開始時刻').inputValue()).toBe('25:00');
    expect(await storedSchedule()).toEqual({ retryIntervalMinutes: 5, retryUntilHours: 72, window: '00:00-24:00' });
  });

  it('shows a value the backend refuses under the field it names, dialog still open', async () => {
    // a day between retries but only one hour of retrying: the backend's rule, not the form's
    await field('間隔').fill('1440');
    await field('期限').fill('1');
    await field('開始時刻').fill('08:00');
    await pressOk();
    await expect.poll(() => messageFor(field('期限'))).toMatch(/^期限: /);
    expect(await field('間隔').inputValue()).toBe('1440');
    expect(await field('期限').inputValue()).toBe('1');
    expect(await scheduleDialog().isVisible()).toBe(true);
    expect((await storedSchedule()).retryIntervalMinutes).toBe(5);
  });

  it('saves 10 min / 48 h / 08:00-20:00 and shows it in ID 設定 and the ID list', async () => {
    await field('間隔').fill('10');
    await field('期限').fill('48');
    await pressOk();
    await scheduleDialog().waitFor({ state: 'detached' });
    await expect
      .poll(() => idDialog().getByTestId('id-settings-schedule').textContent())
      .toBe('10 分間隔、48 時間後まで、08:00-20:00');
    expect(await storedSchedule()).toEqual({ retryIntervalMinutes: 10, retryUntilHours: 48, window: '08:00-20:00' });
    await idDialog().getByRole('button', { name: 'OK', exact: true }).click();
    await idDialog().waitFor({ state: 'detached' });
    await listDialog().getByRole('option', { name: 'エクスプレス通報サービス 10 分間隔、48 時間後まで、08:00-20:00' }).waitFor();
  });

  it('キャンセル changes nothing', async () => {
    await listDialog().getByRole('button', { name: 'OK', exact: true }).click();
    await listDialog().waitFor({ state: 'detached' });
    await openScheduleFor('エクスプレス通報サービス');
    await field('間隔').fill('30');
    await scheduleDialog().getByRole('button', { name: 'キャンセル' }).click();
    await scheduleDialog().waitFor({ state: 'detached' });
    expect((await storedSchedule()).retryIntervalMinutes).toBe(10);
    await idDialog().getByRole('button', { name: 'キャンセル' }).click();
    await listDialog().getByRole('button', { name: 'キャンセル' }).click();
    await listDialog().waitFor({ state: 'detached' });
  });

  it('keeps the schedule across a backend restart on the same data dir', async () => {
    await backend.stop();
    backend = await startBackend(data.dir, 'ja_JP.UTF-8');
    await page.goto(backend.url);
    await waitReady(page);
    await openScheduleFor('エクスプレス通報サービス');
    expect(await field('間隔').inputValue()).toBe('10');
    expect(await field('期限').inputValue()).toBe('48');
    expect(await scheduleDialog().getByRole('checkbox', { name: '24 時間通報する' }).isChecked()).toBe(false);
    expect(await field('開始時刻').inputValue()).toBe('08:00');
    expect(await field('終了時刻').inputValue()).toBe('20:00');
  });

  it('a reload keeps the session (token kept in sessionStorage, not in the address bar)', async () => {
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.reload();
    await waitReady(page);
    await page.getByRole('menubar').getByRole('menuitem', { name: '設定(S)' }).waitFor();
  });

  it('ran without page errors or CSP violations', () => {
    expect(win.errors).toEqual([]);
  });
});
