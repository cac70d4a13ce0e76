/**
 * The HTTPS edition's definition files: AMHTPADR.INF (destinations), AMHTPLOG.INF (log
 * collection on a fault) and AMHTPHBI.INF (scheduled configuration report). The format and
 * every rule: docs/formats/definition-files.md. Nothing here throws on any input: problems are
 * diagnostics `{ file, line, severity, message, code, params }` (message in English; code and
 * params give it in Japanese too: renderDiagnostic), and the value keeps only what is valid.
 */
import path from 'node:path';
import { readRegularFile } from '../platform/bounded-file';
import { checkAdr, type AdrDefinition } from './adr';
import { type InfKind, type InfResult } from './common';
import { MAX_DEFINITION_FILE_BYTES } from './decode';
import { text, type InfText } from './messages';
import { checkHbi, type HbiDefinition } from './hbi';
import { checkLog, type LogDefinition } from './log';
import { diagnostic, scanInf, type InfScan } from './scanner';

export { destinationUrlProblem, destinationUrlReason, MAX_URL_LENGTH, type AdrDefinition } from './adr';
export {
  DEFAULT_MAX_SIZE_KB,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_MAX_SIZE_KB,
  MAX_TIMEOUT_SECONDS,
  maxSizeBytes,
  parseEventIds,
  PROGRAM_MAX_SIZE_KB,
  type Configuration,
  type InfKind,
  type InfResult,
  type Matcher,
  type Tool,
} from './common';
export { decodeDefinitionText, MAX_DEFINITION_FILE_BYTES, type TextEncoding } from './decode';
export type { HbiDefinition, HbiSchedule } from './hbi';
export type { LogDefinition } from './log';
export { matcherMatches, toolsFor, type FaultEvent, type ToolDefinitions, type ToolSelection } from './matching';
export { absolutePathProblem, absolutePathReason, commandProblem, commandReason } from './paths';
export { localizeDiagnostic, renderDiagnostic, renderInf, text, type InfCode, type InfParam, type InfParams, type InfText } from './messages';
export { scanInf, type InfDiagnostic, type InfEntry, type InfScan, type InfSection, type Severity } from './scanner';

/** The file names the product looks for in its WebReprt folder. */
export const DEFINITION_FILE_NAMES: Record<InfKind, string> = { adr: 'AMHTPADR.INF', log: 'AMHTPLOG.INF', hbi: 'AMHTPHBI.INF' };

/** The kind a file name stands for (AMHTPADR/AMHTPLOG/AMHTPHBI anywhere in the name, any case), or null. */
export function kindFromFileName(file: string): InfKind | null {
  const name = path.basename(file).toUpperCase();
  const kinds = (Object.keys(DEFINITION_FILE_NAMES) as InfKind[]).filter((k) => name.includes(DEFINITION_FILE_NAMES[k].slice(0, 8)));
  return kinds.length === 1 ? kinds[0]! : null;
}

export const parseAdr = (input: Uint8Array | string, file: string): InfResult<AdrDefinition> => checkAdr(scanInf(input, file));
export const parseLog = (input: Uint8Array | string, file: string): InfResult<LogDefinition> => checkLog(scanInf(input, file));
export const parseHbi = (input: Uint8Array | string, file: string): InfResult<HbiDefinition> => checkHbi(scanInf(input, file));

/** A scan of a file that could not be read: one error on line 1, no sections. */
async function scanFile(file: string): Promise<InfScan> {
  const unreadable = (reason: InfText): InfScan => ({ file, encoding: null, sections: new Map(), diagnostics: [diagnostic(file, 1, 'error', reason)] });
  // Only a regular file, never more than the limit: /dev/zero or a FIFO must not hang a report.
  const read = await readRegularFile(file, MAX_DEFINITION_FILE_BYTES);
  if (read.ok) return scanInf(read.bytes, file);
  switch (read.problem) {
    case 'directory':
      return unreadable(text('inf.file.folder'));
    case 'not-a-file':
      return unreadable(text('inf.file.notRegular'));
    case 'too-large':
      return unreadable(
        read.size === undefined ? text('inf.file.grew', { max: MAX_DEFINITION_FILE_BYTES }) : text('inf.file.tooLarge', { size: read.size, max: MAX_DEFINITION_FILE_BYTES }),
      );
    case 'not-found':
      return unreadable(text('inf.file.notFound'));
    case 'no-permission':
      return unreadable(text('inf.file.permission'));
    default:
      return unreadable(text('inf.file.unreadable', { reason: read.code ?? 'I/O error' }));
  }
}

export async function readAdr(file: string): Promise<InfResult<AdrDefinition>> {
  return checkAdr(await scanFile(file));
}

export async function readLog(file: string): Promise<InfResult<LogDefinition>> {
  return checkLog(await scanFile(file));
}

export async function readHbi(file: string): Promise<InfResult<HbiDefinition>> {
  return checkHbi(await scanFile(file));
}

export type AnyDefinitionResult = InfResult<AdrDefinition> | InfResult<LogDefinition> | InfResult<HbiDefinition>;

/** Read and check a definition file of `kind`. */
export function readDefinitionFile(kind: InfKind, file: string): Promise<AnyDefinitionResult> {
  return kind === 'adr' ? readAdr(file) : kind === 'log' ? readLog(file) : readHbi(file);
}
