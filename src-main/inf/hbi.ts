/**
 * AMHTPHBI.INF, the scheduled configuration report (seed 2972–3050): [Configuration], [Tools]
 * (Command empty = no tool), [Schedule] ScheduleType/ScheduleDay/ScheduleTime.
 */
import { readConfiguration, readTool, Reporter, result, warnUnknownKeys, type Configuration, type InfResult, type Tool } from './common';
import { clip, getEntry, getSection, nameKey, type InfScan } from './scanner';

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
  else r.warning(1, 'the section [Tools] is missing: the configuration report runs no tool and collects no log file');

  const schedule = getSection(scan, 'Schedule');
  if (!schedule) {
    r.error(1, 'the section [Schedule] is missing: write [Schedule] with ScheduleType, ScheduleDay and ScheduleTime');
  } else {
    const where = `[${schedule.name}]`;
    const type = getEntry(schedule, 'ScheduleType');
    const day = getEntry(schedule, 'ScheduleDay');
    const time = getEntry(schedule, 'ScheduleTime');
    let kind: 'month' | 'week' | null = null;
    if (!type) r.error(schedule.line, `ScheduleType in ${where} is missing: write ScheduleType=every month or ScheduleType=every week`);
    else {
      const t = nameKey(type.value.replace(/[ \t]+/g, ' '));
      if (t === 'every month') kind = 'month';
      else if (t === 'every week') kind = 'week';
      else r.error(type.line, `${type.key} in ${where} must be every month or every week, not ${clip(type.value) || '(empty)'}`);
    }
    if (!day) r.error(schedule.line, `ScheduleDay in ${where} is missing: a day of the month 1–31 (every month) or of the week 0 (Sunday)–6 (Saturday) (every week)`);
    else {
      const range = kind === 'week' ? [0, 6] : kind === 'month' ? [1, 31] : [0, 31];
      const what = kind === 'week' ? 'every week: 0 (Sunday)–6 (Saturday)' : kind === 'month' ? 'every month: a day 1–31' : '1–31 (every month) or 0–6 (every week)';
      if (!/^[0-9]{1,2}$/.test(day.value)) r.error(day.line, `${day.key} in ${where} must be a number (${what}), not ${clip(day.value) || '(empty)'}`);
      else {
        const n = Number(day.value);
        if (n < range[0]! || n > range[1]!) r.error(day.line, `${day.key} in ${where} is ${day.value}; ${what}`);
        else if (kind) value.schedule = { type: kind, day: n };
      }
    }
    if (!time) r.error(schedule.line, `ScheduleTime in ${where} is missing: write the time as HH:MM (hour 0–23, minute 0–59)`);
    else {
      const m = /^([0-9]{1,2}):([0-9]{2})$/.exec(time.value);
      if (!m) r.error(time.line, `${time.key} in ${where} must be HH:MM (hour 0–23, minute 0–59), not ${clip(time.value) || '(empty)'}`);
      else {
        const hour = Number(m[1]);
        const minute = Number(m[2]);
        if (hour > 23) r.error(time.line, `${time.key} in ${where} has the hour ${m[1]}; the hour is 0–23`);
        else if (minute > 59) r.error(time.line, `${time.key} in ${where} has the minute ${m[2]}; the minute is 0–59`);
        else value.time = { hour, minute };
      }
    }
    warnUnknownKeys(schedule, ['scheduletype', 'scheduleday', 'scheduletime'], r, 'ScheduleType, ScheduleDay and ScheduleTime');
  }

  for (const [k, section] of scan.sections) {
    if (k === 'configuration' || k === 'tools' || k === 'schedule') continue;
    r.warning(section.line, `unknown section [${section.name}] is ignored (AMHTPHBI.INF has [Configuration], [Tools] and [Schedule])`);
  }
  return result(scan, 'hbi', value, r);
}
