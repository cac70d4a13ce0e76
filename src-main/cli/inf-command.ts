/**
 * `express-report inf check FILE... [--kind adr|log|hbi] [--json]`: check definition files
 * (AMHTPADR.INF, AMHTPLOG.INF, AMHTPHBI.INF) and print their diagnostics.
 *
 * `args` are the words after `inf`. Output: one `FILE:LINE: severity: message` per diagnostic
 * and a summary line, or with --json only a JSON array of { file, line, severity, code, message }.
 * The diagnostics and the summary are in Japanese when the OS locale is Japanese (LC_ALL,
 * LC_MESSAGES or LANG starting with `ja`), else in English; the usage stays English, like the
 * rest of the command line. `code` is the message's key (src-shared/i18n/inf-ja.ts).
 * Exit status: 0 no errors (warnings allowed), 1 an error in any file, 2 usage error.
 */
import { parseArgs } from 'node:util';
import type { Language } from '../../src-shared/i18n';
import { untrustedToolDiagnostics, type DefinedTool } from '../collect/command-trust';
import {
  kindFromFileName,
  localizeDiagnostic,
  readDefinitionFile,
  renderDiagnostic,
  renderInf,
  text,
  type AnyDefinitionResult,
  type HbiDefinition,
  type InfCode,
  type InfDiagnostic,
  type InfKind,
  type LogDefinition,
} from '../inf';
import { osLocale } from '../platform/locale';
import { errorText } from '../lib/error-text';

export const INF_USAGE = `Usage: express-report inf check FILE... [--kind adr|log|hbi] [--json]

  Check AMHTPADR.INF, AMHTPLOG.INF and AMHTPHBI.INF files. The kind follows from the file
  name (AMHTPADR / AMHTPLOG / AMHTPHBI, any case); --kind sets it for every file.
  --json  print a JSON array of { file, line, severity, code, message }

  Messages are in Japanese when the locale (LC_ALL, LC_MESSAGES, LANG) is Japanese, else English.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.
`;

export interface InfCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** The environment the locale is read from; process.env when not given. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The language of `inf check`'s messages: Japanese only when the locale says so. Unlike the
 * window (src-shared/i18n languageForLocale), an unset or C locale means English here: a
 * terminal in the C locale may not show Japanese, and the output was English before.
 */
export function infCheckLanguage(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Language {
  return /^ja([_.@-]|$)/i.test(osLocale(env, platform).trim()) ? 'ja' : 'en';
}

const KINDS: readonly InfKind[] = ['adr', 'log', 'hbi'];

/** The tools a checked file defines (AMHTPLOG.INF, AMHTPHBI.INF); none for AMHTPADR.INF. */
function toolsOf(checked: AnyDefinitionResult): DefinedTool[] {
  if (checked.kind === 'log') {
    const log = checked.value as LogDefinition;
    return [...(log.defaultTools ? [log.defaultTools] : []), ...log.tools];
  }
  return checked.kind === 'hbi' ? [(checked.value as HbiDefinition).tools] : [];
}

export async function infCommand(args: string[], io: InfCommandIo): Promise<number> {
  let values: { json?: boolean; kind?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, kind: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.stderr(`${errorText(err)}\n${INF_USAGE}`);
    return 2;
  }
  const [sub, ...files] = positionals;
  if (values.help) {
    io.stdout(INF_USAGE);
    return 0;
  }
  if (sub !== 'check') {
    io.stderr(`${sub === undefined ? 'missing subcommand: inf check' : `unknown subcommand: inf ${sub}`}\n${INF_USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr(`inf check: name at least one file\n${INF_USAGE}`);
    return 2;
  }
  let forced: InfKind | null = null;
  if (values.kind !== undefined) {
    if (!(KINDS as readonly string[]).includes(values.kind)) {
      io.stderr(`inf check: --kind must be adr, log or hbi, not ${values.kind}\n`);
      return 2;
    }
    forced = values.kind as InfKind;
  }
  const kinds: InfKind[] = [];
  for (const file of files) {
    const kind = forced ?? kindFromFileName(file);
    if (!kind) {
      io.stderr(`inf check: cannot tell the kind of ${file} from its name (AMHTPADR, AMHTPLOG or AMHTPHBI); use --kind adr|log|hbi\n`);
      return 2;
    }
    kinds.push(kind);
  }

  const diagnostics: InfDiagnostic[] = [];
  for (const [i, file] of files.entries()) {
    const checked = await readDefinitionFile(kinds[i]!, file);
    diagnostics.push(...checked.diagnostics);
    diagnostics.push(...(await untrustedToolDiagnostics(file, toolsOf(checked))));
  }
  const lang = infCheckLanguage(io.env ?? process.env);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (values.json) {
    io.stdout(`${JSON.stringify(diagnostics.map((d) => localizeDiagnostic(d, lang)), null, 2)}\n`);
  } else {
    for (const d of diagnostics) {
      const severity = renderInf(text(d.severity === 'error' ? 'inf.cli.severity.error' : 'inf.cli.severity.warning'), lang);
      io.stdout(`${d.file}:${d.line}: ${severity}: ${renderDiagnostic(d, lang)}\n`);
    }
    const count = (n: number, [one, other]: readonly [InfCode, InfCode]) => text(n === 1 ? one : other, { n });
    const summary = text('inf.cli.summary', {
      files: count(files.length, ['inf.cli.files.one', 'inf.cli.files.other']),
      errors: count(errors, ['inf.cli.errors.one', 'inf.cli.errors.other']),
      warnings: count(warnings, ['inf.cli.warnings.one', 'inf.cli.warnings.other']),
    });
    io.stdout(`${renderInf(summary, lang)}\n`);
  }
  return errors > 0 ? 1 : 0;
}
