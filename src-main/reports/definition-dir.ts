import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFINITION_FILE_NAMES, readDefinitionFile, type AnyDefinitionResult, type InfKind } from '../inf';

/**
 * The HTTPS edition's WebReprt folder: where AMHTPADR.INF (destinations), AMHTPLOG.INF (log
 * collection on a fault) and AMHTPHBI.INF (the configuration report) live. An administrator
 * edits them by hand; the product creates working defaults on first use.
 */
export function definitionDir(dataDir: string): string {
  return path.join(dataDir, 'WebReprt');
}

/** Defaults in the seed's layout: nothing is collected until an administrator names tools. */
const DEFAULTS: Readonly<Record<Exclude<InfKind, 'adr'>, string>> = {
  log: ['[Configuration]', 'TimeOut=600', 'MaxSize=0', '', '[DefaultTools]', 'Command=', 'LogFile=', 'Directory=', ''].join('\r\n'),
  hbi: [
    '[Configuration]',
    'TimeOut=600',
    'MaxSize=0',
    '',
    '[Tools]',
    'Command=',
    'LogFile=',
    'Directory=',
    '',
    '[Schedule]',
    'ScheduleType=every month',
    'ScheduleDay=1',
    'ScheduleTime=03:00',
    '',
  ].join('\r\n'),
};

/** Creates the folder and the default AMHTPLOG.INF / AMHTPHBI.INF where they are missing. */
export async function ensureDefinitionFiles(dataDir: string): Promise<string> {
  const dir = definitionDir(dataDir);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  for (const kind of ['log', 'hbi'] as const) {
    await fs.writeFile(path.join(dir, DEFINITION_FILE_NAMES[kind]), DEFAULTS[kind], { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  return dir;
}

export function definitionPath(dataDir: string, kind: InfKind): string {
  return path.join(definitionDir(dataDir), DEFINITION_FILE_NAMES[kind]);
}

export function readDefinition(dataDir: string, kind: InfKind): Promise<AnyDefinitionResult> {
  return readDefinitionFile(kind, definitionPath(dataDir, kind));
}
