/**
 * A Hayes modem's result codes, verbose (ATV1: "\r\nCONNECT 33600\r\n") and numeric (ATV0:
 * "1\r"). Only the portable codes 0–8 are read as numbers (9 and up differ by vendor); verbose
 * CONNECT is matched as a prefix (CONNECT, CONNECT 1200, CONNECT 33600/ARQ/V34).
 */

export type ResultCode = 'OK' | 'CONNECT' | 'RING' | 'NO CARRIER' | 'ERROR' | 'NO DIALTONE' | 'BUSY' | 'NO ANSWER';

export interface ModemResult {
  code: ResultCode;
  /** the line as the modem sent it */
  text: string;
  /** CONNECT's speed when it said one */
  speed?: number;
}

const NUMERIC: Record<string, { code: ResultCode; speed?: number }> = {
  '0': { code: 'OK' },
  '1': { code: 'CONNECT' },
  '2': { code: 'RING' },
  '3': { code: 'NO CARRIER' },
  '4': { code: 'ERROR' },
  '5': { code: 'CONNECT', speed: 1200 },
  '6': { code: 'NO DIALTONE' },
  '7': { code: 'BUSY' },
  '8': { code: 'NO ANSWER' },
};

const VERBOSE: ResultCode[] = ['OK', 'RING', 'NO CARRIER', 'ERROR', 'NO DIALTONE', 'BUSY', 'NO ANSWER'];

/** The result a line holds, or null (an echo, an information line, noise). */
export function parseResult(line: string): ModemResult | null {
  const text = line.trim();
  if (text === '') return null;
  const numeric = NUMERIC[text];
  if (numeric) return { ...numeric, text };
  const upper = text.toUpperCase().replace(/\s+/g, ' ');
  if (upper.startsWith('CONNECT')) {
    const rest = upper.slice('CONNECT'.length);
    if (rest !== '' && !/^[ /]/.test(rest)) return null;
    const speed = /^\s*(\d+)/.exec(rest)?.[1];
    return speed ? { code: 'CONNECT', text, speed: Number(speed) } : { code: 'CONNECT', text };
  }
  // "NO DIAL TONE" is how some modems spell it.
  if (upper === 'NO DIAL TONE') return { code: 'NO DIALTONE', text };
  const code = VERBOSE.find((c) => upper === c);
  return code ? { code, text } : null;
}

/**
 * Cuts the modem's output into lines: verbose results end with CR LF, numeric ones with a bare
 * CR. push() returns the complete lines; a partial line waits.
 */
export class LineSplitter {
  private rest = '';

  push(text: string): string[] {
    this.rest += text;
    const lines: string[] = [];
    for (;;) {
      const m = /[\r\n]/.exec(this.rest);
      if (!m) break;
      lines.push(this.rest.slice(0, m.index));
      this.rest = this.rest.slice(m.index + 1);
    }
    // A modem that never ends a line cannot fill memory.
    if (this.rest.length > 4096) this.rest = this.rest.slice(-256);
    return lines.filter((l) => l.trim() !== '');
  }

  /** what was read since the last line end */
  get partial(): string {
    return this.rest;
  }

  clear(): void {
    this.rest = '';
  }
}
