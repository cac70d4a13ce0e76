/**
 * Which tools run for a fault event, from AMHTPLOG.INF (seed 2946–2970):
 *
 * 1. Every [ToolYYY] with a SourceNameXX/EventIDXX pair that matches the event runs (2966) —
 *    even when [NoneTrouble] excludes the event, with `*` or by name (2970).
 * 2. Else, an event that [NoneTrouble] names is not collected (2951).
 * 3. Else [DefaultTools] runs (2946, 2908) — if it has a Command; without one, only events a
 *    [ToolYYY] names are collected (2968).
 * 4. Else nothing is collected.
 *
 * `collect: false` means no log collection for this event (the fault report itself is still
 * sent, without a log archive); `collect: true` always comes with at least one tool.
 */
import type { Matcher, Tool } from './common';
import { nameKey } from './scanner';

export interface FaultEvent {
  /** The event's source name (compared case-insensitively). */
  source: string;
  /** The full 32-bit event id (as in the files: qualifiers and all); unsigned, or signed int32. */
  eventId: number;
}

export interface ToolSelection {
  /** Tools to run, in file order ([ToolYYY] by number, or [DefaultTools] alone). */
  tools: Tool[];
  /** Collect logs for this event at all. */
  collect: boolean;
  /** Why: which rule decided. */
  reason: 'tool' | 'none-trouble' | 'default-tools' | 'no-default-tools';
}

export interface ToolDefinitions {
  defaultTools: Tool | null;
  noneTrouble: Matcher[];
  tools: Tool[];
}

export function matcherMatches(m: Matcher, event: FaultEvent): boolean {
  const sourceOk = m.source === '*' || nameKey(m.source) === nameKey(event.source);
  if (!sourceOk) return false;
  if (m.eventIds === '*') return true;
  const e = event.eventId;
  // An unsigned 32-bit id, or the same id read as a signed 32-bit integer.
  if (!Number.isInteger(e) || e < -0x8000_0000 || e > 0xffff_ffff) return false;
  return m.eventIds.includes(e >>> 0);
}

/** The tools that run for `event`, and whether its logs are collected at all. Pure. */
export function toolsFor(log: ToolDefinitions, event: FaultEvent): ToolSelection {
  const tools = log.tools.filter((t) => t.matchers.some((m) => matcherMatches(m, event)));
  if (tools.length > 0) return { tools, collect: true, reason: 'tool' };
  if (log.noneTrouble.some((m) => matcherMatches(m, event))) return { tools: [], collect: false, reason: 'none-trouble' };
  if (log.defaultTools && log.defaultTools.command !== null) return { tools: [log.defaultTools], collect: true, reason: 'default-tools' };
  return { tools: [], collect: false, reason: 'no-default-tools' };
}
