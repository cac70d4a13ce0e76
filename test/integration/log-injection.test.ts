/**
 * Item 15: an event source name or message with a line break or control characters cannot forge
 * lines in the service log or the history. The CLI (a real process) refuses such a source name;
 * whatever else arrives with control characters is written out (`\n`, `\x1b`) in every log line
 * and history field. The service runs against the real center simulator over TLS.
 */
import { defaultChannels } from '../../src-main/channels/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { ApiMethod, CallOutcome, Result } from '../../src-shared/api';
import { escapeControls } from '../../src-shared/control-chars';
import { AlertService } from '../../src-main/core/alert-service';
import type { EventSource, FaultEvent } from '../../src-main/events/fault-event';
import { startCenter, type Center } from '../helpers/center';
import { cli } from '../helpers/cli';
import { reportOpeningThroughCenter } from '../helpers/setup-methods';
import { tempDir } from '../helpers/temp';

const FORGED = '2026-12-02T00:00:00.000Z event disk 0xC0040006: report 00000000 accepted (express-https)';
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

let center: Center;
const tmp = tempDir('er-log-injection-');
beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await center.stop();
  tmp.remove();
});

async function call<M extends ApiMethod>(s: AlertService, method: M, params: unknown): Promise<Result<M>> {
  const out = (await s.call(method, params)) as CallOutcome<M>;
  if (!out.ok) throw new Error(`${method}: ${out.error.code}: ${out.error.message}`);
  return out.result;
}

describe('log injection', () => {
  it('express-report report refuses a --source with a line break, naming the field and the character (English and Japanese)', () => {
    const dataDir = path.join(tmp.dir, 'cli');
    const en = cli(['report', '--source', `disk\n${FORGED}`, '--event-id', '0xC0040006', '--data-dir', dataDir], { LANG: 'en_US.UTF-8' });
    expect(en.status).not.toBe(0);
    expect(en.stderr).toContain('source: The event source name contains the control character U+000A');
    expect(en.stderr).not.toContain(FORGED);
    const ja = cli(['report', '--source', 'disk\u001b[2Jx', '--event-id', '0xC0040006', '--data-dir', dataDir], { LANG: 'ja_JP.UTF-8' });
    expect(ja.status).not.toBe(0);
    expect(ja.stderr).toContain('source: イベントソース名に制御文字 U+001B が含まれています');
    const history = cli(['history', '--json', '--data-dir', dataDir], { LANG: 'en_US.UTF-8' });
    expect(JSON.parse(history.stdout)).toEqual([]);
  });

  it('an event from a stand-in event source (the Windows event log cannot run here) with control characters in its name and message: every log line and history field stays one line', async () => {
    const dataDir = path.join(tmp.dir, 'service');
    const source = `disk\n${FORGED}\r\u001b[31m\u2028`;
    let emit: ((e: FaultEvent) => void) | null = null;
    const standIn: EventSource = {
      name: 'stand-in Windows event log',
      start: (onEvent) => (emit = onEvent),
      stop: async () => undefined,
    };
    const s = await AlertService.open({
      dataDir,
      osLocale: 'en_US.UTF-8',
      opening: { hostName: () => 'SERVER001' },
      hostName: () => 'SERVER001',
      channels: defaultChannels({ timeoutMs: 3_000 }),
      eventSources: () => [standIn],
    });
    try {
      await reportOpeningThroughCenter(s, center);
      await call(s, 'methods:setEnabled', { name: 'express-https', enabled: true });
      const logs: string[] = [];
      await s.startBackground((line) => logs.push(line));
      emit!({ log: 'System', source, eventId: '0xC0040006', time: new Date().toISOString(), message: `bad block\n${FORGED}` });
      const end = Date.now() + 15_000;
      const alerts = async () => (await call(s, 'history:list', {})).filter((i) => i.kind === 'alert');
      let items = await alerts();
      while ((items.length === 0 || items.some((i) => i.state === 'queued' || i.state === 'sending')) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        items = await alerts();
      }
      expect(items).toHaveLength(1);
      const item = items[0]!;
      expect(item.event!.source).toBe(escapeControls(source));
      expect(item.event!.source).toBe('disk\\n' + FORGED + '\\r\\x1b[31m\\u2028');
      for (const value of [item.event!.source, item.event!.eventId, item.destination ?? '', item.errorText ?? '', item.lastError?.detail ?? '']) {
        expect(value).not.toMatch(ANY_CONTROL);
      }
      const accepted = logs.filter((l) => l.includes('accepted'));
      expect(accepted).toHaveLength(1);
      expect(accepted[0]).toContain('disk\\n2026-12-02T00:00:00.000Z event disk');
      for (const line of logs) expect(line).not.toMatch(ANY_CONTROL);
      expect(logs.join('\n').split('\n').filter((l) => l.startsWith('2026-12-02T00:00:00.000Z'))).toEqual([]);
    } finally {
      await s.close();
    }
  }, 30_000);
});
