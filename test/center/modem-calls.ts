/**
 * The calls the center's modem answered (docs/formats/dialup.md "The center's modem"): one JSON
 * line each in DIR/dialup-calls.jsonl, appended when the call ends.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CenterStore } from './store';

/** One call as the center's modem saw it (a line of DIR/dialup-calls.jsonl). */
export interface ModemCallRecord {
  number: string;
  connectedAt: string;
  endedAt: string;
  /** how the call ended: the caller's ATH, the plan's dropped carrier, the wait after a final ran out, the modem stopped */
  ended: 'hang-up' | 'dropped' | 'idle' | 'stopped';
  /** the caller said goodbye before hanging up */
  bye: boolean;
  /** the reports acknowledged with a final on this call, in order, and those of them it stored */
  acknowledged: string[];
  stored: string[];
  bytesFromCaller: number;
}

export const CALLS_FILE = 'dialup-calls.jsonl';

/** Appends the call's line; a failure is logged, never thrown (the call has ended either way). */
export function recordCall(store: CenterStore, record: ModemCallRecord, log: (line: string) => void): void {
  try {
    mkdirSync(store.path(), { recursive: true, mode: 0o700 });
    appendFileSync(path.join(store.path(), CALLS_FILE), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  } catch (err) {
    log(`modem: the call could not be recorded (${(err as Error).message})`);
  }
}
