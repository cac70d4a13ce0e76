/**
 * AMHTPHBI.INF, the scheduled configuration report (seed 2972–3050): [Configuration], [Tools]
 * (Command empty = no tool), [Schedule] ScheduleType/ScheduleDay/ScheduleTime.
 */
import { readConfiguration, readTool, Reporter, result, warnUnknownKeys, type Configuration, type InfResult, type Tool } from './common';
import { text, type InfParam } from './messages';
import { clip, getEntry, getSection, nameKey, type InfScan } from './scanner';

/** A value for a message: clipped, or the phrase "(empty)". */
const shown = (value: string): InfParam => clip(value) || text('inf.emptyValue');

export type HbiSchedule = { type: 'month'; day: number } | { type: 'week'; day: number };

export interface HbiDefinition extends Configuration {
  /** [Tools]; command null = no tool runs (empty Command, seed 3017); a missing section collects nothing. */
  tools: Tool;
  /** Every month on day 1–31, or every week on day 0 (Sunday)–6 (Saturday); null when missing or refused. */
  schedule: HbiSchedule | null;
  /** ScheduleTime; null when missing or refused. */
  time: { hour: number; minute: number } | null;
}

export function checkHbi(scan: InfScan): InfResult<HbiDefinition> {
  const r = new Reporter(scan.file, scan.diagnostics);
  const config = readConfiguration(scan, r);
  const value: HbiDefinition = {
    ...config,
    tools: { section: 'Tools', line: 1, command: null, logFiles: [], directory: null, matchers: [] },
    schedule: null,
    time: null,
  };
  if (scan.encoding === null) return result(scan, 'hbi', value, r);

  const tools = getSection(scan, 'Tools');
  if (tools) value.tools = readTool(tools, { matchers: false }, r);
  else r.warning(1, 'inf.hbi.noTools');

  const schedule = getSection(scan, 'Schedule');
  if (!schedule) {
    r.error(1, 'inf.hbi.noSchedule');
  } else {
    const section = schedule.name;
    const type = getEntry(schedule, 'ScheduleType');
    const day = getEntry(schedule, 'ScheduleDay');
    const time = getEntry(schedule, 'ScheduleTime');
    let kind: 'month' | 'week' | null = null;
    if (!type) r.error(schedule.line, 'inf.hbi.typeMissing', { section });
    else {
      const t = nameKey(type.value.replace(/[ \t]+/g, ' '));
      if (t === 'every month') kind = 'month';
      else if (t === 'every week') kind = 'week';
      else r.error(type.line, 'inf.hbi.typeBad', { key: type.key, section, value: shown(type.value) });
    }
    if (!day) r.error(schedule.line, 'inf.hbi.dayMissing', { section });
    else {
      const range = kind === 'week' ? [0, 6] : kind === 'month' ? [1, 31] : [0, 31];
      const what = text(kind === 'week' ? 'inf.hbi.range.week' : kind === 'month' ? 'inf.hbi.range.month' : 'inf.hbi.range.either');
      if (!/^[0-9]{1,2}$/.test(day.value)) r.error(day.line, 'inf.hbi.dayNotNumber', { key: day.key, section, range: what, value: shown(day.value) });
      else {
        const n = Number(day.value);
        if (n < range[0]! || n > range[1]!) r.error(day.line, 'inf.hbi.dayRange', { key: day.key, section, value: day.value, range: what });
        else if (kind) value.schedule = { type: kind, day: n };
      }
    }
    if (!time) r.error(schedule.line, 'inf.hbi.timeMissing', { section });
    else {
      const m = /^([0-9]{1,2}):([0-9]{2})$/.exec(time.value);
      if (!m) r.error(time.line, 'inf.hbi.timeBad', { key: time.key, section, value: shown(time.value) });
      else {
        const hour = Number(m[1]);
        const minute = Number(m[2]);
        if (hour > 23) r.error(time.line, 'inf.hbi.hour', { key: time.key, section, hour: m[1]! });
        else if (minute > 59) r.error(time.line, 'inf.hbi.minute', { key: time.key, section, minute: m[2]! });
        else value.time = { hour, minute };
      }
    }
    warnUnknownKeys(schedule, ['scheduletype', 'scheduleday', 'scheduletime'], r, 'inf.keys.schedule');
  }

  for (const [k, section] of scan.sections) {
    if (k === 'configuration' || k === 'tools' || k === 'schedule') continue;
    r.warning(section.line, 'inf.hbi.unknownSection', { section: section.name });
  }
  return result(scan, 'hbi', value, r);
}
