/**
 * The service runs for months and takes bursts (a manager receiving thousands of agents'
 * reports a second, then forwarding them). By default V8 lets the heap grow to up to four times
 * the data still live after a full collection before it collects again; in the relay bench that
 * was a 500 MB process holding 60 MB of live data. Growing at most 60 % beyond the live data
 * keeps it near 300 MB at the same load, for a few percent more time collecting
 * (`npm run bench -- relay`, docs/operations.md "Memory"). It is a growth factor, not a limit:
 * a queue that truly holds more is never refused memory for it.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 60;

/** Called once, first thing, by `serve` and by the Electron main process. */
export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
