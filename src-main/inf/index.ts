/**
 * The HTTPS edition's definition files: AMHTPADR.INF (destinations), AMHTPLOG.INF (log
 * collection on a fault) and AMHTPHBI.INF (scheduled configuration report). The format and
 * every rule: docs/formats/definition-files.md. Nothing here throws on any input: problems are
 * diagnostics `{ file, line, severity, message }`, and the value keeps only what is valid.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkAdr, type AdrDefinition } from './adr';
import { type InfKind, type InfResult } from './common';
import { MAX_DEFINITION_FILE_BYTES } from './decode';
import { checkHbi, type HbiDefinition } from './hbi';
import { checkLog, type LogDefinition } from './log';
import { scanInf, type InfScan } from './scanner';

export { destinationUrlProblem, MAX_URL_LENGTH, type AdrDefinition } from './adr';
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
export { absolutePathProblem, commandProblem } from './paths';
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
  const unreadable = (message: string): InfScan => ({ file, encoding: null, sections: new Map(), diagnostics: [{ file, line: 1, severity: 'error', message }] });
  try {
    const info = await stat(file);
    if (info.isDirectory()) return unreadable('cannot read the file: it is a folder');
    if (info.size > MAX_DEFINITION_FILE_BYTES) return unreadable(`the file is ${info.size} bytes; a definition file is at most ${MAX_DEFINITION_FILE_BYTES} bytes (1 MiB)`);
    return scanInf(await readFile(file), file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof Error ? err.message : String(err);
    return unreadable(`cannot read the file: ${reason}`);
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
