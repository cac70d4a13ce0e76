/** 通報時間帯: "HH:MM-HH:MM"; "00:00-24:00" is all day. A window may wrap past midnight. */
export const ALL_DAY_WINDOW = '00:00-24:00';
const WINDOW_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

export interface TimeWindow {
  /** minutes after midnight, 0..1439 */
  from: number;
  /** minutes after midnight, 1..1440; may be below `from` when the window wraps midnight */
  to: number;
}

/** Parses a reporting window; returns null when the text is not a valid window. */
export function parseWindow(text: string): TimeWindow | null {
  const m = WINDOW_RE.exec(text.trim());
  if (!m) return null;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  if (to > 1440 || from === to) return null;
  return { from, to };
}

export function isAllDay(text: string): boolean {
  const w = parseWindow(text);
  return w !== null && w.from === 0 && w.to === 1440;
}

/** True when the minute of day (0..1439) lies inside the window. */
export function isInsideWindow(window: TimeWindow, minuteOfDay: number): boolean {
  if (window.from < window.to) return minuteOfDay >= window.from && minuteOfDay < window.to;
  return minuteOfDay >= window.from || minuteOfDay < window.to;
}

export const RETRY_INTERVAL_RANGE = { min: 1, max: 1440 } as const;
export const RETRY_UNTIL_RANGE = { min: 1, max: 720 } as const;
