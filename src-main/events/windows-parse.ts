import { cleanMessage, windowsEventId, type FaultEvent } from './fault-event';

/*
 * What the Windows event log source asks of Windows PowerShell (Get-WinEvent, with an argument
 * vector; no shell) and how its JSON answer is read. Nothing of this runs on Linux: the tests
 * feed output recorded from Windows. The polling itself is in windows.ts.
 */

export type WindowsLogName = 'System' | 'Application';
export const WINDOWS_LOGS: readonly WindowsLogName[] = ['System', 'Application'];

/** One event read from the log, whether or not the service reports it. */
export interface WindowsLogEntry {
  recordId: number;
  event: FaultEvent;
}

export interface WinEventParse {
  entries: WindowsLogEntry[];
  /** the highest RecordId seen, bad entries included (so a bad entry is not read again) */
  highestRecordId: number | null;
  /** one line per entry that could not be read */
  errors: string[];
}

/**
 * Parses what `Get-WinEvent … | Select-Object RecordId,Id,ProviderName,LogName,TimeCreated,
 * Message,Qualifiers | ConvertTo-Json -Compress` prints: nothing (no events), one object or an
 * array. TimeCreated is `/Date(ms)/` (Windows PowerShell 5.1), an ISO string (PowerShell 7) or
 * an object with such a `value`; the full id is (Qualifiers << 16) | Id. Never throws.
 */
export function parseWinEventJson(stdout: string, expectedLog?: WindowsLogName): WinEventParse | { error: string } {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return { entries: [], highestRecordId: null, errors: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: 'Get-WinEvent output is not JSON' };
  }
  const items = Array.isArray(data) ? data : [data];
  const out: WinEventParse = { entries: [], highestRecordId: null, errors: [] };
  items.forEach((item, i) => {
    const rid = isRecord(item) ? item.RecordId : undefined;
    if (typeof rid === 'number' && Number.isSafeInteger(rid) && rid >= 0) out.highestRecordId = Math.max(out.highestRecordId ?? 0, rid);
    const r = parseWinEvent(item, expectedLog);
    if ('error' in r) out.errors.push(`entry ${i + 1}: ${r.error}`);
    else out.entries.push(r);
  });
  out.entries.sort((a, b) => a.recordId - b.recordId);
  return out;
}

function parseWinEvent(item: unknown, expectedLog?: WindowsLogName): WindowsLogEntry | { error: string } {
  if (!isRecord(item)) return { error: 'not an object' };
  const { RecordId, Id, ProviderName, LogName, TimeCreated, Message, Qualifiers } = item;
  if (typeof RecordId !== 'number' || !Number.isSafeInteger(RecordId) || RecordId < 0) return { error: 'RecordId is not a record number' };
  if (typeof Id !== 'number' || !Number.isInteger(Id) || Id < 0 || Id > 0xffff) return { error: `record ${RecordId}: Id is not a 16-bit number` };
  if (typeof ProviderName !== 'string' || ProviderName.trim() === '') return { error: `record ${RecordId}: no ProviderName` };
  const log = LogName ?? expectedLog;
  if (log !== 'System' && log !== 'Application') return { error: `record ${RecordId}: LogName ${JSON.stringify(LogName)} is not System or Application` };
  if (expectedLog && log !== expectedLog) return { error: `record ${RecordId}: LogName ${log}, expected ${expectedLog}` };
  if (Qualifiers != null && (typeof Qualifiers !== 'number' || !Number.isInteger(Qualifiers) || Qualifiers < 0 || Qualifiers > 0xffff)) {
    return { error: `record ${RecordId}: Qualifiers is not a 16-bit number` };
  }
  if (Message != null && typeof Message !== 'string') return { error: `record ${RecordId}: Message is not text` };
  const time = parseTimeCreated(TimeCreated);
  if (!time) return { error: `record ${RecordId}: TimeCreated is not a date` };
  return {
    recordId: RecordId,
    event: {
      log,
      source: ProviderName,
      eventId: windowsEventId(Id, Qualifiers as number | null | undefined),
      time: time.toISOString(),
      // No text when the provider's message file is missing on this machine.
      message: cleanMessage(typeof Message === 'string' ? Message : ''),
      recordId: String(RecordId),
    },
  };
}

/** `/Date(1700000000000)/` (an offset such as `+0900` may follow the milliseconds), ISO 8601, or `{ value }`. */
export function parseTimeCreated(value: unknown): Date | null {
  if (isRecord(value)) return parseTimeCreated(value.value);
  if (typeof value !== 'string') return null;
  const m = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/.exec(value.trim());
  const d = m ? new Date(Number(m[1])) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

const SELECT = 'Select-Object RecordId,Id,ProviderName,LogName,TimeCreated,Message,Qualifiers';

/**
 * The PowerShell script around a Get-WinEvent call: UTF-8 output without a BOM (the console
 * code page would mangle Japanese messages), "no events" as empty output, any other error on
 * stderr with exit code 2. It contains no double quotes, so the argument survives Windows
 * command-line quoting unchanged.
 */
function script(getWinEvent: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
    `try { ${getWinEvent} } catch {`,
    "  if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { exit 0 }",
    '  [Console]::Error.WriteLine($_.Exception.Message); exit 2',
    '}',
  ].join('\n');
}

const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-Command'];

/** Arguments that read at most `maxEvents` entries of `log` after record `afterRecordId`, oldest first. */
export function pollArgs(log: WindowsLogName, afterRecordId: number, maxEvents: number): string[] {
  checkLog(log);
  if (!Number.isSafeInteger(afterRecordId) || afterRecordId < 0) throw new RangeError(`bad record id ${afterRecordId}`);
  if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new RangeError(`bad maxEvents ${maxEvents}`);
  const get = `Get-WinEvent -LogName '${log}' -FilterXPath '*[System[EventRecordID > ${afterRecordId}]]' -MaxEvents ${maxEvents} -Oldest | ${SELECT} | ConvertTo-Json -Compress`;
  return [...POWERSHELL_ARGS, script(get)];
}

/** Arguments that print the newest entry's RecordId of `log` (nothing for an empty log). */
export function newestArgs(log: WindowsLogName): string[] {
  checkLog(log);
  return [...POWERSHELL_ARGS, script(`Get-WinEvent -LogName '${log}' -MaxEvents 1 | Select-Object RecordId | ConvertTo-Json -Compress`)];
}

/** The RecordId in `newestArgs` output: 0 for an empty log, null for output that is not one. */
export function parseNewest(stdout: string): number | null {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return 0;
  try {
    const data = JSON.parse(text) as unknown;
    const item = Array.isArray(data) ? data[0] : data;
    const rid = isRecord(item) ? item.RecordId : undefined;
    return typeof rid === 'number' && Number.isSafeInteger(rid) && rid >= 0 ? rid : null;
  } catch {
    return null;
  }
}

export function checkLog(log: string): void {
  if (!WINDOWS_LOGS.includes(log as WindowsLogName)) throw new RangeError(`unknown event log ${log}`);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
