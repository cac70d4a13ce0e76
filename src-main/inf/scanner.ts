/**
 * Line-aware INI scanner for the hand-written definition files (docs/formats/definition-files.md).
 *
 * npm `ini` cannot read these files (../shared/RECIPES.md): it JSON-parses quoted values
 * (`"c:\new\tab.bat"` would become a newline and a tab), cuts values at `;` and `#`, lets a
 * duplicate key win silently and knows no line numbers. This scanner:
 * - keeps every value exactly: surrounding spaces and tabs are trimmed, then one pair of
 *   surrounding double quotes is removed; there are no escapes and no inline comments;
 * - treats a line as a comment only when its first non-blank character is `;` or `#`;
 * - compares section and key names case-insensitively (ASCII), as Windows' profile API does;
 * - reports duplicate sections and keys (the first one is used, as Windows does), lines
 *   without `=`, keys before any section, malformed headers and unbalanced quotes;
 * - never throws.
 */
import { decodeDefinitionText, type TextEncoding } from './decode';
import { english, text as infText, type InfCode, type InfParams, type InfText } from './messages';

export type Severity = 'error' | 'warning';

export interface InfDiagnostic {
  file: string;
  /** 1-based line; problems with the whole file are reported on line 1. */
  line: number;
  severity: Severity;
  /** The English text (the CLI's and the logs' language); renderDiagnostic gives it in Japanese. */
  message: string;
  /** The message's catalogue key (src-shared/i18n/inf-ja.ts), e.g. `inf.scan.duplicateKey`. */
  code: InfCode;
  /** The key's placeholders; a param may be a coded phrase itself. */
  params: InfParams;
}

/** A diagnostic of `file` with the English message of `t`. */
export function diagnostic(file: string, line: number, severity: Severity, t: InfText): InfDiagnostic {
  return { file, line, severity, message: english(t), code: t.code, params: t.params };
}

export interface InfEntry {
  /** The key as written (trimmed). */
  key: string;
  /** The value: trimmed, one pair of surrounding double quotes removed, otherwise exact. */
  value: string;
  /** The value was written in double quotes. */
  quoted: boolean;
  line: number;
}

export interface InfSection {
  /** The name as written between the brackets (trimmed). */
  name: string;
  line: number;
  /** Keyed by the lower-case key name; in file order; the first of duplicates only. */
  entries: Map<string, InfEntry>;
}

export interface InfScan {
  file: string;
  /** null when the file could not be decoded (then there are no sections and one error). */
  encoding: TextEncoding | null;
  /** Keyed by the lower-case section name; in file order; the first of duplicates only. */
  sections: Map<string, InfSection>;
  diagnostics: InfDiagnostic[];
}

/** Case-insensitive name used for lookups (section and key names are ASCII in these files). */
export const nameKey = (name: string): string => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function getSection(scan: InfScan, name: string): InfSection | undefined {
  return scan.sections.get(nameKey(name));
}

export function getEntry(section: InfSection | undefined, key: string): InfEntry | undefined {
  return section?.entries.get(nameKey(key));
}

/** Trim ASCII spaces and tabs only (a full-width space is part of the text). */
const trimBlank = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');

/** Scan a definition file's bytes (UTF-8 or Shift_JIS) or already decoded text. */
export function scanInf(input: Uint8Array | string, file: string): InfScan {
  const diagnostics: InfDiagnostic[] = [];
  const sections = new Map<string, InfSection>();
  let text: string;
  let encoding: TextEncoding | null;
  if (typeof input === 'string') {
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
    encoding = 'utf-8';
  } else {
    const decoded = decodeDefinitionText(input);
    if (!decoded.ok) {
      diagnostics.push(diagnostic(file, decoded.line, 'error', decoded.reason));
      return { file, encoding: null, sections, diagnostics };
    }
    text = decoded.text;
    encoding = decoded.encoding;
  }
  const report = (line: number, severity: Severity, code: InfCode, params: InfParams = {}) => diagnostics.push(diagnostic(file, line, severity, infText(code, params)));

  const lines = text.split(/\r\n|\r|\n/);
  /** The section keys go to; null before the first header or inside an ignored duplicate. */
  let current: InfSection | null = null;
  let seenHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = trimBlank(lines[i]!);
    if (raw === '' || raw.startsWith(';') || raw.startsWith('#')) continue;

    if (raw.startsWith('[')) {
      seenHeader = true;
      const close = raw.indexOf(']');
      if (close < 0) {
        report(line, 'error', 'inf.scan.headerUnclosed', { text: raw });
        current = null;
        continue;
      }
      const name = trimBlank(raw.slice(1, close));
      const rest = trimBlank(raw.slice(close + 1));
      if (name === '') {
        report(line, 'error', 'inf.scan.headerEmpty');
        current = null;
        continue;
      }
      if (rest !== '') report(line, 'warning', 'inf.scan.headerTrailing', { section: name, text: rest });
      const existing = sections.get(nameKey(name));
      if (existing) {
        report(line, 'error', 'inf.scan.duplicateSection', { section: name, first: existing.line });
        current = null;
        continue;
      }
      current = { name, line, entries: new Map() };
      sections.set(nameKey(name), current);
      continue;
    }

    const eq = raw.indexOf('=');
    if (eq < 0) {
      report(line, 'error', 'inf.scan.noEquals', { text: clip(raw) });
      continue;
    }
    const key = trimBlank(raw.slice(0, eq));
    let value = trimBlank(raw.slice(eq + 1));
    if (key === '') {
      if (current) report(line, 'error', 'inf.scan.noKeyNameIn', { section: current.name, text: clip(raw) });
      else report(line, 'error', 'inf.scan.noKeyName', { text: clip(raw) });
      continue;
    }
    if (!seenHeader) {
      report(line, 'error', 'inf.scan.keyBeforeSection', { key });
      continue;
    }
    if (!current) continue; // inside a broken or duplicate section: already reported at its header
    let quoted = false;
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
      quoted = true;
    } else if (value.startsWith('"') || (value.endsWith('"') && value.indexOf('"') === value.length - 1)) {
      report(line, 'error', 'inf.scan.unbalancedQuote', { key, section: current.name, value: clip(value) });
    }
    const existing = current.entries.get(nameKey(key));
    if (existing) {
      report(line, 'error', 'inf.scan.duplicateKey', { key, section: current.name, first: existing.line });
      continue;
    }
    current.entries.set(nameKey(key), { key, value, quoted, line });
  }
  return { file, encoding, sections, diagnostics };
}

/** A value or line shortened for a message. */
export function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
