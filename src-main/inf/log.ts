/**
 * AMHTPLOG.INF, log collection on a fault (seed 2868–2970): [Configuration], [DefaultTools],
 * [NoneTrouble], [Tool001]–[Tool999]. Which tools run for an event: matching.ts.
 */
import { readConfiguration, readMatchers, readTool, Reporter, result, warnUnknownKeys, type Configuration, type InfResult, type Matcher, type Tool } from './common';
import { getSection, type InfScan } from './scanner';

export interface LogDefinition extends Configuration {
  /** [DefaultTools], only when it has a Command (seed 2968: without one it is not used). */
  defaultTools: Tool | null;
  /** [NoneTrouble]: events whose logs are not collected (unless a [ToolYYY] names them). */
  noneTrouble: Matcher[];
  /** [Tool001]–[Tool999] in number order. */
  tools: Tool[];
}

const TOOL_SECTION = /^Tool([0-9]{3})$/i;

export function checkLog(scan: InfScan): InfResult<LogDefinition> {
  const r = new Reporter(scan.file, scan.diagnostics);
  const config = readConfiguration(scan, r);
  const value: LogDefinition = { ...config, defaultTools: null, noneTrouble: [], tools: [] };
  if (scan.encoding === null) return result(scan, 'log', value, r);

  const defaults = getSection(scan, 'DefaultTools');
  if (defaults) {
    const tool = readTool(defaults, { matchers: false }, r);
    if (tool.command !== null) value.defaultTools = tool;
    else {
      const empty = (defaults.entries.get('command')?.value ?? '') === '';
      if (empty && (tool.logFiles.length > 0 || tool.directory !== null)) {
        r.warning(defaults.line, 'inf.log.defaultToolsUnused', { section: defaults.name });
      }
    }
  }

  const none = getSection(scan, 'NoneTrouble');
  if (none) {
    value.noneTrouble = readMatchers(none, r);
    warnUnknownKeys(none, [/^(SourceName|EventID)/i], r, 'inf.keys.pairs');
  }

  const tools: Array<[number, Tool]> = [];
  for (const [k, section] of scan.sections) {
    if (k === 'configuration' || k === 'defaulttools' || k === 'nonetrouble') continue;
    const m = TOOL_SECTION.exec(section.name);
    if (!m || m[1] === '000') {
      if (/^tool/i.test(section.name)) r.error(section.line, 'inf.log.badToolSection', { section: section.name });
      else r.warning(section.line, 'inf.log.unknownSection', { section: section.name });
      continue;
    }
    const tool = readTool(section, { matchers: true }, r);
    const pairKeys = [...section.entries.values()].some((e) => /^(SourceName|EventID)/i.test(e.key));
    if (!pairKeys) r.warning(section.line, 'inf.log.toolNoEvent', { section: section.name });
    const blank = (key: string) => (section.entries.get(key)?.value ?? '') === '';
    if (blank('command') && blank('logfile')) {
      r.warning(section.line, 'inf.log.toolEmpty', { section: section.name });
    }
    tools.push([Number(m[1]), tool]);
  }
  tools.sort((a, b) => a[0] - b[0]);
  let expected = 1;
  for (const [n, tool] of tools) {
    if (n !== expected) {
      const first = `Tool${String(expected).padStart(3, '0')}`;
      const missing = n - 1 === expected ? `[${first}]` : `[${first}]–[Tool${String(n - 1).padStart(3, '0')}]`;
      r.warning(tool.line, 'inf.log.toolGap', { section: tool.section, missing });
    }
    expected = n + 1;
  }
  value.tools = tools.map(([, t]) => t);
  return result(scan, 'log', value, r);
}
