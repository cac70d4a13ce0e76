import { describe, expect, it } from 'vitest';
import { matcherMatches, parseLog, toolsFor, type FaultEvent, type LogDefinition } from '../../src-main/inf';

/** An AMHTPLOG.INF for the table: tools by source/id, NoneTrouble by name and by *. */
function definition(opts: { defaultCommand: boolean; noneTroubleAll: boolean }): LogDefinition {
  const text = [
    '[Configuration]',
    'TimeOut=600',
    '[DefaultTools]',
    opts.defaultCommand ? 'Command=C:\\tools\\default.bat' : 'Command=',
    'LogFile=C:\\logs\\default',
    '[NoneTrouble]',
    'SourceName01=Quiet',
    'EventID01=0x40000001,0x40000002',
    'SourceName02=*',
    'EventID02=0x80000099',
    ...(opts.noneTroubleAll ? ['SourceName03=*', 'EventID03=*'] : []),
    '[Tool001]',
    'SourceName01=Disk',
    'EventID01=0xC0000007',
    'Command=C:\\tools\\disk.bat',
    '[Tool002]',
    'SourceName01=*',
    'EventID01=0xC0000007',
    'SourceName02=Net',
    'EventID02=*',
    'Command=C:\\tools\\any.bat',
    '[Tool003]',
    'SourceName01=Quiet',
    'EventID01=0x40000002',
    'LogFile=C:\\logs\\quiet',
    '',
  ].join('\r\n');
  const r = parseLog(Buffer.from(text), 'AMHTPLOG.INF');
  expect(r.diagnostics.filter((d) => !/has no Command, so it is not used/.test(d.message))).toEqual([]);
  return r.value;
}

type Row = [label: string, event: FaultEvent, defaultCommand: boolean, noneTroubleAll: boolean, tools: string[], collect: boolean, reason: string];

// Seed 2946–2970: every matching [ToolYYY] runs (2966); a [ToolYYY] match wins over [NoneTrouble],
// even over * (2970); [NoneTrouble] excludes the rest (2951); [DefaultTools] takes events no tool
// names (2946) but only with a Command (2968).
const rows: Row[] = [
  ['one tool by source and id', { source: 'Disk', eventId: 0xc0000007 }, true, false, ['Tool001', 'Tool002'], true, 'tool'],
  ['source compared case-insensitively', { source: 'DISK', eventId: 0xc0000007 }, true, false, ['Tool001', 'Tool002'], true, 'tool'],
  ['SourceName=* names every source', { source: 'Other', eventId: 0xc0000007 }, true, false, ['Tool002'], true, 'tool'],
  ['EventID=* names every id', { source: 'Net', eventId: 0x12345678 }, true, false, ['Tool002'], true, 'tool'],
  ['no tool: DefaultTools', { source: 'Disk', eventId: 0xc0000008 }, true, false, ['DefaultTools'], true, 'default-tools'],
  ['no tool, no DefaultTools Command: nothing collected', { source: 'Disk', eventId: 0xc0000008 }, false, false, [], false, 'no-default-tools'],
  ['a tool runs whether DefaultTools has a Command or not', { source: 'Disk', eventId: 0xc0000007 }, false, false, ['Tool001', 'Tool002'], true, 'tool'],
  ['NoneTrouble by name excludes the event', { source: 'Quiet', eventId: 0x40000001 }, true, false, [], false, 'none-trouble'],
  ['NoneTrouble by name, but a tool names the event: the tool wins', { source: 'Quiet', eventId: 0x40000002 }, true, false, ['Tool003'], true, 'tool'],
  ['NoneTrouble SourceName=* with an id', { source: 'Anything', eventId: 0x80000099 }, true, false, [], false, 'none-trouble'],
  ['NoneTrouble * excludes everything no tool names', { source: 'Disk', eventId: 0xc0000008 }, true, true, [], false, 'none-trouble'],
  ['NoneTrouble *, but a tool names the event: the tool runs (seed 2970)', { source: 'Disk', eventId: 0xc0000007 }, true, true, ['Tool001', 'Tool002'], true, 'tool'],
  ['NoneTrouble *, tool by EventID=*', { source: 'net', eventId: 1 }, true, true, ['Tool002'], true, 'tool'],
  ['NoneTrouble * without a DefaultTools Command', { source: 'Other', eventId: 1 }, false, true, [], false, 'none-trouble'],
  ['an id in another list does not match', { source: 'Quiet', eventId: 0x40000003 }, true, false, ['DefaultTools'], true, 'default-tools'],
  ['signed 32-bit form of the same id', { source: 'Disk', eventId: 0xc0000007 | 0 }, true, false, ['Tool001', 'Tool002'], true, 'tool'],
  ['the low 16 bits alone are another id', { source: 'Disk', eventId: 0x0007 }, true, false, ['DefaultTools'], true, 'default-tools'],
  ['an id above 32 bits matches no listed id', { source: 'Disk', eventId: 0x1c0000007 }, true, false, ['DefaultTools'], true, 'default-tools'],
  ['a non-integer id matches no listed id', { source: 'Disk', eventId: Number.NaN }, false, false, [], false, 'no-default-tools'],
];

describe('toolsFor: Tool vs DefaultTools vs NoneTrouble', () => {
  it.each(rows)('%s', (_label, event, defaultCommand, noneTroubleAll, tools, collect, reason) => {
    const log = definition({ defaultCommand, noneTroubleAll });
    const selected = toolsFor(log, event);
    expect(selected.tools.map((t) => t.section)).toEqual(tools);
    expect(selected.collect).toBe(collect);
    expect(selected.reason).toBe(reason);
    expect(selected.collect).toBe(selected.tools.length > 0);
  });

  it('is pure: the definition is not changed, the same answer twice', () => {
    const log = definition({ defaultCommand: true, noneTroubleAll: true });
    const before = JSON.stringify(log);
    const a = toolsFor(log, { source: 'Disk', eventId: 0xc0000007 });
    const b = toolsFor(log, { source: 'Disk', eventId: 0xc0000007 });
    expect(a).toEqual(b);
    expect(JSON.stringify(log)).toBe(before);
  });

  it('an empty definition collects nothing', () => {
    expect(toolsFor({ defaultTools: null, noneTrouble: [], tools: [] }, { source: 'x', eventId: 1 })).toEqual({ tools: [], collect: false, reason: 'no-default-tools' });
  });

  it('a [ToolYYY] whose Command was refused still matches (it runs nothing, collects its LogFile) and never runs the refused line', () => {
    const r = parseLog(Buffer.from('[Tool001]\nSourceName01=Disk\nEventID01=*\nCommand=C:\\x.bat; rm -rf /\nLogFile=C:\\logs\n[DefaultTools]\nCommand=C:\\d.bat\n'), 'AMHTPLOG.INF');
    expect(r.ok).toBe(false);
    const selected = toolsFor(r.value, { source: 'Disk', eventId: 5 });
    expect(selected.tools).toEqual([expect.objectContaining({ section: 'Tool001', command: null, logFiles: ['C:\\logs'] })]);
  });

  it('a refused pair names no event', () => {
    const r = parseLog(Buffer.from('[NoneTrouble]\nSourceName01=Disk\nEventID01=1234\n[DefaultTools]\nCommand=C:\\d.bat\n'), 'AMHTPLOG.INF');
    expect(toolsFor(r.value, { source: 'Disk', eventId: 1234 }).reason).toBe('default-tools');
    expect(toolsFor(r.value, { source: 'Disk', eventId: 0x4d2 }).reason).toBe('default-tools');
  });
});

describe('matcherMatches', () => {
  it.each<[string, '*' | number[], FaultEvent, boolean]>([
    ['*', '*', { source: 'a', eventId: 0 }, true],
    ['*', [1], { source: 'a', eventId: 1 }, true],
    ['*', [1], { source: 'a', eventId: 2 }, false],
    ['Disk', '*', { source: 'disk', eventId: 9 }, true],
    ['Disk', '*', { source: 'Disk2', eventId: 9 }, false],
    ['Disk', [0xffffffff], { source: 'Disk', eventId: -1 }, true],
    ['Disk', [0xffffffff], { source: 'Disk', eventId: 0xffffffff }, true],
    ['Disk', [0], { source: 'Disk', eventId: -0 }, true],
    ['Disk', [0x80000000], { source: 'Disk', eventId: -0x80000000 }, true],
    ['Disk', [0x7fffffff], { source: 'Disk', eventId: -0x80000001 }, false],
    ['Disk', [1], { source: 'Disk', eventId: 1.5 }, false],
  ])('%s %j vs %j → %s', (source, eventIds, event, expected) => {
    expect(matcherMatches({ source, eventIds, number: 1, line: 1 }, event)).toBe(expected);
  });
});
