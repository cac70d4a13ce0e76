/**
 * What the three definition files share: diagnostics collection, [Configuration] (TimeOut,
 * MaxSize), a tool section (Command, LogFile, Directory) and SourceNameXX/EventIDXX matchers.
 */
import { english, text, type InfCode, type InfParams, type InfText } from './messages';
import { absolutePathReason, commandReason, environmentVariableIn, pathStyle } from './paths';
import { clip, diagnostic, getEntry, getSection, nameKey, type InfDiagnostic, type InfScan, type InfSection, type Severity } from './scanner';

/** [Configuration] TimeOut when the key is absent (seed 2943, 3035). */
export const DEFAULT_TIMEOUT_SECONDS = 600;
/** The largest TimeOut: a JavaScript timer holds at most 2^31−1 ms (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;
/** [Configuration] MaxSize when the key is absent (seed 2945, 3037): 0, the program's own limit. */
export const DEFAULT_MAX_SIZE_KB = 0;
/** What MaxSize=0 means here: the seed says about 700 MB–1 GB; this program uses 700 MiB. */
export const PROGRAM_MAX_SIZE_KB = 700 * 1024;
/** The largest MaxSize: a 32-bit unsigned count of KB (about 4 TiB), as a Windows DWORD. */
export const MAX_MAX_SIZE_KB = 0xffff_ffff;

/** MaxSize in bytes, 0 resolved to the program's limit (PROGRAM_MAX_SIZE_KB). */
export function maxSizeBytes(maxSizeKB: number): number {
  return (maxSizeKB === 0 ? PROGRAM_MAX_SIZE_KB : maxSizeKB) * 1024;
}

/** SourceNameXX/EventIDXX: the events a [ToolYYY] or [NoneTrouble] names. */
export interface Matcher {
  /** The event source; `*` means every source. Compared case-insensitively. */
  source: string;
  /** Full 32-bit event ids (unsigned), or `*` for every id. */
  eventIds: '*' | number[];
  /** The pair's number XX (1–99). */
  number: number;
  /** The line of SourceNameXX. */
  line: number;
}

/** [DefaultTools], [ToolYYY] (AMHTPLOG.INF) or [Tools] (AMHTPHBI.INF). */
export interface Tool {
  /** The section name as written, e.g. `Tool001`. */
  section: string;
  /** The line of the section header. */
  line: number;
  /** The program to run (no arguments, never through a shell); null: none, empty or refused. */
  command: string | null;
  /** Files or folders to collect: zero or one path (the seed has one LogFile per section). */
  logFiles: string[];
  /** The folder to run the Command in; null: the Command's own folder. */
  directory: string | null;
  /** The events this tool is for ([ToolYYY] only; empty elsewhere). */
  matchers: Matcher[];
}

export interface Configuration {
  /** TimeOut in seconds for all commands together; 0 = no limit. */
  timeoutSeconds: number;
  /** MaxSize in KB as written; 0 = the program's limit (see maxSizeBytes). */
  maxSizeKB: number;
  /** MaxSize resolved to bytes (0 → PROGRAM_MAX_SIZE_KB). */
  maxSizeBytes: number;
}

export type InfKind = 'adr' | 'log' | 'hbi';

export interface InfResult<T> {
  file: string;
  kind: InfKind;
  /** null when the file could not be read or decoded. */
  encoding: 'utf-8' | 'shift_jis' | null;
  /** What the file defines; a value with an error is left out as if it were not written. */
  value: T;
  /** In line order. */
  diagnostics: InfDiagnostic[];
  /** No errors (warnings allowed). */
  ok: boolean;
}

/** Collects diagnostics for one file. */
export class Reporter {
  readonly diagnostics: InfDiagnostic[];
  constructor(readonly file: string, initial: InfDiagnostic[] = []) {
    this.diagnostics = [...initial];
  }
  add(line: number, severity: Severity, code: InfCode, params: InfParams = {}): void {
    this.diagnostics.push(diagnostic(this.file, line, severity, text(code, params)));
  }
  error(line: number, code: InfCode, params: InfParams = {}): void {
    this.add(line, 'error', code, params);
  }
  warning(line: number, code: InfCode, params: InfParams = {}): void {
    this.add(line, 'warning', code, params);
  }
  /** Diagnostics sorted by line (stable). */
  sorted(): InfDiagnostic[] {
    return this.diagnostics.map((d, i) => [d, i] as const).sort((a, b) => a[0].line - b[0].line || a[1] - b[1]).map(([d]) => d);
  }
}

export function result<T>(scan: InfScan, kind: InfKind, value: T, reporter: Reporter): InfResult<T> {
  const diagnostics = reporter.sorted();
  return { file: scan.file, kind, encoding: scan.encoding, value, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}

/** Warn about keys of `section` that are not `known` (lower-case names or patterns); `expected` names the keys. */
export function warnUnknownKeys(section: InfSection, known: Array<string | RegExp>, r: Reporter, expected: InfCode): void {
  for (const [k, entry] of section.entries) {
    if (known.some((n) => (typeof n === 'string' ? n === k : n.test(entry.key)))) continue;
    r.warning(entry.line, 'inf.unknownKey', { key: entry.key, section: section.name, expected: text(expected) });
  }
}

/** A non-negative integer of at most `max`, or the reason. */
function integer(value: string, max: number): number | InfText {
  if (value === '') return text('inf.int.empty');
  if (!/^[0-9]+$/.test(value)) return text('inf.int.notInteger', { value: clip(value) });
  const n = value.replace(/^0+(?=\d)/, '').length > 15 ? Infinity : Number(value);
  if (n > max) return text('inf.int.tooLarge', { value: clip(value), max });
  return n;
}

/** [Configuration] TimeOut and MaxSize (seed 2894–2902, 2941–2945; 2998–3011, 3033–3037). */
export function readConfiguration(scan: InfScan, r: Reporter): Configuration {
  const section = getSection(scan, 'Configuration');
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  let maxSizeKB = DEFAULT_MAX_SIZE_KB;
  if (section) {
    const timeout = getEntry(section, 'TimeOut');
    if (timeout) {
      const n = integer(timeout.value, MAX_TIMEOUT_SECONDS);
      if (typeof n === 'number') timeoutSeconds = n;
      else r.error(timeout.line, 'inf.config.timeOut', { key: timeout.key, section: section.name, problem: n, default: DEFAULT_TIMEOUT_SECONDS });
    }
    const max = getEntry(section, 'MaxSize');
    if (max) {
      const n = integer(max.value, MAX_MAX_SIZE_KB);
      if (typeof n === 'number') maxSizeKB = n;
      else r.error(max.line, 'inf.config.maxSize', { key: max.key, section: section.name, problem: n, limit: PROGRAM_MAX_SIZE_KB });
    }
    warnUnknownKeys(section, ['timeout', 'maxsize'], r, 'inf.keys.configuration');
  }
  return { timeoutSeconds, maxSizeKB, maxSizeBytes: maxSizeBytes(maxSizeKB) };
}

/** A refused EventIDXX value: the reason in English (`problem`) and coded (`reason`). */
function refused(reason: InfText): { problem: string; reason: InfText } {
  return { problem: english(reason), reason };
}

/** `0x` + 8 hex digits, a comma list of them, or `*` (seed 2955, 2964). */
export function parseEventIds(value: string): { ids: '*' | number[]; duplicates: string[] } | { problem: string; reason: InfText } {
  if (value === '') return refused(text('inf.eventId.empty'));
  if (value === '*') return { ids: '*', duplicates: [] };
  const ids: number[] = [];
  const duplicates: string[] = [];
  const items = value.split(',');
  for (const [i, raw] of items.entries()) {
    const item = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (item === '') {
      return refused(items.length === 1 ? text('inf.empty') : text('inf.eventId.emptyItem', { item: i + 1, count: items.length, value: clip(value) }));
    }
    if (item === '*') return refused(text('inf.eventId.starInList'));
    if (/^0x[0-9a-f]{8}$/i.test(item)) {
      const id = Number.parseInt(item.slice(2), 16);
      if (ids.includes(id)) duplicates.push(item);
      else ids.push(id);
      continue;
    }
    if (/^0x[0-9a-f]+$/i.test(item)) {
      const digits = item.length - 2;
      if (digits < 8) return refused(text('inf.eventId.shortHex', { item, digits, fixed: `0x${item.slice(2).padStart(8, '0').toUpperCase()}` }));
      return refused(text('inf.eventId.longHex', { item: clip(item), digits }));
    }
    if (/^[0-9]+$/.test(item) && Number(item) <= 0xffff_ffff) {
      return refused(text('inf.eventId.decimal', { item, hex: `0x${Number(item).toString(16).toUpperCase().padStart(8, '0')}` }));
    }
    return refused(text('inf.eventId.invalid', { item: clip(item) }));
  }
  return { ids, duplicates };
}

const PAIR_KEY = /^(SourceName|EventID)(.*)$/i;

/** SourceNameXX/EventIDXX pairs of a section (XX 01–99), in number order (seed 2952–2955, 2962–2964). */
export function readMatchers(section: InfSection, r: Reporter): Matcher[] {
  const sectionName = section.name;
  const pairs = new Map<number, { source?: { value: string; line: number; key: string }; event?: { value: string; line: number; key: string } }>();
  for (const entry of section.entries.values()) {
    const m = PAIR_KEY.exec(entry.key);
    if (!m) continue;
    const base = nameKey(m[1]!) === 'sourcename' ? 'SourceName' : 'EventID';
    const suffix = m[2]!;
    if (!/^[0-9]{2}$/.test(suffix) || suffix === '00') {
      if (/^[0-9]$/.test(suffix)) r.error(entry.line, 'inf.pair.badNumberHint', { key: entry.key, section: sectionName, base, suggest: `${base}0${suffix}` });
      else r.error(entry.line, 'inf.pair.badNumber', { key: entry.key, section: sectionName, base });
      continue;
    }
    const n = Number(suffix);
    const pair = pairs.get(n) ?? {};
    pair[base === 'SourceName' ? 'source' : 'event'] = { value: entry.value, line: entry.line, key: entry.key };
    pairs.set(n, pair);
  }
  const matchers: Matcher[] = [];
  const numbers = [...pairs.keys()].sort((a, b) => a - b);
  let expected = 1;
  for (const n of numbers) {
    const xx = String(n).padStart(2, '0');
    const { source, event } = pairs.get(n)!;
    if (n !== expected) {
      const missing = expected === n - 1 ? String(expected).padStart(2, '0') : `${String(expected).padStart(2, '0')}–${String(n - 1).padStart(2, '0')}`;
      const line = Math.min(source?.line ?? Infinity, event?.line ?? Infinity);
      r.warning(line, 'inf.pair.gap', { xx, section: sectionName, missing });
    }
    expected = n + 1;
    if (!source) {
      r.error(event!.line, 'inf.pair.noSource', { key: event!.key, section: sectionName, xx });
      continue;
    }
    if (!event) {
      r.error(source.line, 'inf.pair.noEvent', { key: source.key, section: sectionName, xx });
      continue;
    }
    let ok = true;
    if (source.value === '') {
      r.error(source.line, 'inf.pair.sourceEmpty', { key: source.key, section: sectionName });
      ok = false;
    }
    const ids = parseEventIds(event.value);
    if ('problem' in ids) {
      r.error(event.line, 'inf.pair.eventId', { key: event.key, section: sectionName, problem: ids.reason });
      ok = false;
    } else if (ids.duplicates.length > 0) {
      r.warning(event.line, 'inf.pair.duplicateIds', { key: event.key, section: sectionName, ids: ids.duplicates.join(', ') });
    }
    if (ok && !('problem' in ids)) matchers.push({ source: source.value, eventIds: ids.ids, number: n, line: source.line });
  }
  return matchers;
}

export interface ToolRules {
  /** Accepts SourceNameXX/EventIDXX ([ToolYYY]). */
  matchers: boolean;
}

/** Command, LogFile, Directory (and for [ToolYYY] the matchers) of one section. */
export function readTool(section: InfSection, rules: ToolRules, r: Reporter): Tool {
  const sectionName = section.name;
  let command: string | null = null;
  const cmd = getEntry(section, 'Command');
  if (cmd && cmd.value !== '') {
    const problem = commandReason(cmd.value);
    if (problem) r.error(cmd.line, 'inf.tool.command', { key: cmd.key, section: sectionName, problem });
    else {
      command = cmd.value;
      warnEnvironment(cmd.key, sectionName, cmd.value, cmd.line, r);
    }
  }
  const logFiles: string[] = [];
  const log = getEntry(section, 'LogFile');
  if (log && log.value !== '') {
    const problem = logFileProblem(log.value);
    if (problem) r.error(log.line, 'inf.tool.logFile', { key: log.key, section: sectionName, problem });
    else {
      logFiles.push(log.value);
      warnEnvironment(log.key, sectionName, log.value, log.line, r);
    }
  }
  let directory: string | null = null;
  const dir = getEntry(section, 'Directory');
  if (dir && dir.value !== '') {
    const problem = absolutePathReason(dir.value);
    if (problem) r.error(dir.line, 'inf.tool.directory', { key: dir.key, section: sectionName, problem });
    else {
      directory = dir.value;
      warnEnvironment(dir.key, sectionName, dir.value, dir.line, r);
      if (!cmd || cmd.value === '') r.warning(dir.line, 'inf.tool.directoryUnused', { key: dir.key, section: sectionName });
    }
  }
  const matchers = rules.matchers ? readMatchers(section, r) : [];
  warnUnknownKeys(
    section,
    rules.matchers ? ['command', 'logfile', 'directory', PAIR_KEY] : ['command', 'logfile', 'directory'],
    r,
    rules.matchers ? 'inf.keys.toolYYY' : 'inf.keys.tool',
  );
  return { section: section.name, line: section.line, command, logFiles, directory, matchers };
}

function logFileProblem(p: string): InfText | null {
  // One path per LogFile (seed 2909, 2950): a comma followed by another absolute path is a list.
  const parts = p.split(/[ \t]*,[ \t]*/);
  if (pathStyle(p) !== null && parts.length > 1 && parts.slice(1).some((part) => pathStyle(part) !== null)) {
    return text('inf.path.logFileList');
  }
  return absolutePathReason(p);
}

function warnEnvironment(key: string, sectionName: string, value: string, line: number, r: Reporter): void {
  const v = environmentVariableIn(value);
  if (v) r.warning(line, 'inf.tool.environment', { key, section: sectionName, variable: v });
}
