/**
 * Queue files written before delivery failures named their channel (issue 10 item 3): their
 * lastError has only a step from the old HTTPS-flavoured list. They read as channel 'https' with
 * the step kept, so the history says exactly what it said before; a step nobody knows reads as
 * 'protocol' with its detail kept. No such record is ever set aside as damaged.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorTextOf } from '../../src-main/core/report-handlers';
import { reportFailedFacts, reportFailedParams } from '../../src-main/core/report-notice';
import { frameJson } from '../../src-main/queue/framing';
import { QueueStore, readQueue } from '../../src-main/queue/store';
import { toItem } from '../../src-main/queue/view';
import { sampleEnvelope } from '../helpers/center';
import { tempDir } from '../helpers/temp';

const T = Date.UTC(2026, 2, 2, 1, 0);
const URL_A = 'https://center.example/Scripts/trsRecvAlert.cgi';

/** An insert record exactly as the version before channels wrote it (no `channel` in lastError). */
function oldInsert(seq: number, state: 'retrying' | 'failed' | 'queued', lastError: Record<string, unknown> | null, failure: string | null = null) {
  const envelope = sampleEnvelope('alert');
  return {
    op: 'insert',
    entry: {
      id: envelope.id,
      seq,
      kind: 'alert',
      method: envelope.method,
      acceptedAt: T,
      state,
      attempts: lastError ? 1 : 0,
      firstAttemptAt: lastError ? T : null,
      lastAttemptAt: lastError ? T : null,
      nextAttemptAt: state === 'failed' ? null : T + 600_000,
      settledAt: state === 'failed' ? T + 1 : null,
      destination: lastError ? URL_A : null,
      lastError,
      failure,
      event: { source: 'atapi', eventId: '0xc0040006' },
      pin: null,
      singleAttempt: false,
      envelope: state === 'failed' ? null : envelope,
      attachments: [],
    },
  };
}

const temps: (() => void)[] = [];
const stores: QueueStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
  while (temps.length) temps.pop()!();
});

/**
 * A queue folder of the old format: a snapshot holding three reports, and a journal after it
 * with more reports and an update, each lastError without a channel.
 */
function oldQueue() {
  const t = tempDir('er-qold-');
  temps.push(t.remove);
  const status503 = { step: 'http-status', detail: 'the center answered 503 Service Unavailable', destination: URL_A, retryable: true, status: 503 };
  const noDestination = { step: 'config', detail: 'no destination is set up for the report method express-https', destination: '', retryable: false };
  const inSnapshot = [oldInsert(0, 'retrying', status503), oldInsert(1, 'failed', noDestination, 'no-destination'), oldInsert(2, 'queued', null)];
  const unknownStep = { step: 'warp-drive', detail: 'a step from a newer version', destination: URL_A, retryable: false };
  const mail = { channel: 'mail', step: 'rcpt-to', detail: '550 5.1.1 no such user', destination: 'smtp.example', retryable: false, status: 550 };
  const wrongChannel = { channel: 'dialup', step: 'proxy', detail: 'a proxy on a phone line', destination: 'tel:0312345678', retryable: true };
  const otherChannel = { channel: 'carrier-pigeon', step: 'connect', detail: 'no pigeon', destination: 'loft', retryable: true };
  const inJournal = [
    oldInsert(3, 'failed', unknownStep, 'permanent'),
    oldInsert(4, 'failed', mail, 'permanent'),
    oldInsert(5, 'retrying', wrongChannel),
    oldInsert(6, 'retrying', otherChannel),
  ];
  const proxyAuth = { step: 'proxy-auth', detail: 'the proxy 10.0.0.1:8080 refused the user name or password (407)', destination: URL_A, retryable: false, status: 407 };
  const update = { op: 'update', id: inSnapshot[2]!.entry.id, set: { state: 'failed', attempts: 1, settledAt: T + 2, lastError: proxyAuth, failure: 'permanent' } };
  writeFileSync(
    path.join(t.dir, 'snapshot.erq'),
    Buffer.concat([frameJson({ op: 'snapshot', format: 1, nextJournal: 2, nextSeq: 3 }), ...inSnapshot.map(frameJson)]),
  );
  writeFileSync(path.join(t.dir, 'journal-00000002.erq'), Buffer.concat([...inJournal, update].map(frameJson)));
  const ids = [...inSnapshot, ...inJournal].map((r) => r.entry.id);
  return { dir: t.dir, ids };
}

describe('queue records from before channels', () => {
  it('read as https with their steps; an unknown step reads as protocol with its detail; nothing is set aside', async () => {
    const { dir, ids } = oldQueue();
    const store = await QueueStore.open({ dir, now: () => T });
    stores.push(store);
    expect(store.notices).toEqual([]);
    expect(store.counts().entries).toBe(7);
    const error = (i: number) => store.get(ids[i]!)!.lastError;
    expect(error(0)).toEqual({ channel: 'https', step: 'http-status', detail: 'the center answered 503 Service Unavailable', destination: URL_A, retryable: true, status: 503 });
    expect(error(1)).toMatchObject({ channel: 'https', step: 'config' });
    expect(error(2)).toEqual({ channel: 'https', step: 'proxy-auth', detail: 'the proxy 10.0.0.1:8080 refused the user name or password (407)', destination: URL_A, retryable: false, status: 407 });
    expect(error(3)).toEqual({ channel: 'https', step: 'protocol', detail: 'a step from a newer version', destination: URL_A, retryable: false });
    expect(error(4)).toEqual({ channel: 'mail', step: 'rcpt-to', detail: '550 5.1.1 no such user', destination: 'smtp.example', retryable: false, status: 550 });
    // A step the channel does not declare, and a channel nobody knows: only the generic steps stand.
    expect(error(5)).toMatchObject({ channel: 'dialup', step: 'protocol', detail: 'a proxy on a phone line' });
    expect(error(6)).toMatchObject({ channel: 'carrier-pigeon', step: 'connect' });
    expect(store.get(ids[2]!)!.state).toBe('failed');
  });

  it('the history says what it said before channels, in both languages', async () => {
    const { dir, ids } = oldQueue();
    const store = await QueueStore.open({ dir, now: () => T });
    stores.push(store);
    const item = (i: number) => toItem(store.get(ids[i]!)!);
    expect(errorTextOf(item(0), 'ja')).toBe(`${URL_A} への通報に失敗しました: URL を確認してください。拒否が続く場合は保守会社に連絡してください(HTTP 503)`);
    expect(errorTextOf(item(1), 'ja')).toBe(`通報先が設定されていません。 ${URL_A} への通報に失敗しました: HTTPS の設定(URL、CA ファイル、プロキシ)を確認してください`);
    expect(errorTextOf(item(2), 'ja')).toBe(`通報先が通報を受け付けませんでした。 ${URL_A} への通報に失敗しました: プロキシのユーザー名とパスワード(BASIC 認証)を確認してください(HTTP 407)`);
    expect(errorTextOf(item(0), 'en')).toBe(
      `The report to ${URL_A} failed: check the URL; if the center keeps refusing, contact the maintenance company (the center answered 503 Service Unavailable)`,
    );
    // The unknown step keeps its detail for support, with the HTTPS "not an Express Report center" hint.
    expect(errorTextOf(item(3), 'en')).toContain('check the URL (the answer did not come from an Express Report center) (a step from a newer version)');
    // The mail channel's own words and its reply code.
    expect(errorTextOf(item(4), 'ja')).toBe('通報先が通報を受け付けませんでした。 smtp.example への通報に失敗しました: 通報先のメールアドレスを確認してください(メールサーバーが受け付けませんでした)(SMTP 550)');
    // An unknown channel gets the generic words.
    expect(errorTextOf(item(6), 'ja')).toBe('loft への通報に失敗しました: 通報先のアドレスとポート番号、ネットワーク、ファイアウォールを確認してください');
    // The failure notice names the channel, and words it as the history does.
    const facts = reportFailedFacts(item(2));
    expect(facts).toMatchObject({ channel: 'https', step: 'proxy-auth' });
    expect(reportFailedParams(facts, 'ja').why).toBe('通報先が通報を受け付けませんでした。 プロキシのユーザー名とパスワード(BASIC 認証)を確認してください');
    // A notice stored before channels has no channel: it was an HTTPS one.
    const { channel: _dropped, ...oldFacts } = facts;
    expect(reportFailedParams(oldFacts, 'ja').why).toBe(reportFailedParams(facts, 'ja').why);
  });

  it('the read-only look (CLI history) reads them the same way, and a compaction writes the new form that reads back equal', async () => {
    const { dir, ids } = oldQueue();
    const look = await readQueue(dir);
    expect(look.notices).toEqual([]);
    expect(look.entries.find((e) => e.id === ids[0])!.lastError).toMatchObject({ channel: 'https', step: 'http-status', status: 503 });

    const store = await QueueStore.open({ dir, now: () => T, compactBytes: 1 });
    stores.push(store);
    const before = [...store.entries()];
    // Any write past compactBytes compacts: the snapshot is rewritten from memory, in the new form.
    await store.update(ids[0]!, { attempts: 2 });
    await stores.pop()!.close();
    const again = await QueueStore.open({ dir, now: () => T });
    stores.push(again);
    expect(again.notices).toEqual([]);
    expect([...again.entries()]).toEqual(before.map((e) => (e.id === ids[0] ? { ...e, attempts: 2 } : e)));
  });
});
