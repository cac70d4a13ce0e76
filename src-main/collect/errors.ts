/** Why a collection failed as a whole (a missing LogFile or a failing tool is only a note). */
export type CollectErrorCode = 'no-space' | 'aborted' | 'io';

/** A collection that produced no archive. `message` is one line of English. */
export class CollectError extends Error {
  override readonly name = 'CollectError';
  constructor(
    readonly code: CollectErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bytes as a person reads them: 512 bytes, 3.4 KiB, 12.0 MiB, 1.50 GiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i >= 2 ? 2 : 1)} ${units[i]}`;
}
