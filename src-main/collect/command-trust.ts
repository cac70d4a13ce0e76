/**
 * Whether a collection Command may be trusted to run as the service's user (root on a server):
 * the rule sshd applies to its key files (StrictModes). The Command, and every folder above it up
 * to the root — along the path as written and along its real path, so a link cannot hide a
 * folder — must be owned by root or by the user the service runs as, and writable by nobody
 * else: no group or other write bit. A folder with the sticky bit (/tmp) may be writable by
 * others when root or the service's user owns it: there nobody else can rename or remove what is
 * in it, so it cannot be swapped.
 *
 * POSIX only: on Windows the file system's ACLs decide, and modes say nothing; the check passes.
 * A Command that does not exist is not this module's concern (tools.ts says so).
 */
import { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import { text, type InfText } from '../inf/messages';
import { diagnostic, type InfDiagnostic } from '../inf/scanner';
import type { Platform } from './tools';

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/** The users trusted besides root: the one this process runs as. */
function trustedUids(): Set<number> {
  const uids = new Set([0]);
  if (typeof process.getuid === 'function') uids.add(process.getuid());
  if (typeof process.geteuid === 'function') uids.add(process.geteuid());
  return uids;
}

/** The folders above `p` (its parent first, the root last). */
function foldersAbove(p: string): string[] {
  const out: string[] = [];
  let dir = path.posix.dirname(p);
  for (;;) {
    out.push(dir);
    const up = path.posix.dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}

function problemOf(p: string, st: Stats, uids: Set<number>, folder: boolean): InfText | null {
  if (!uids.has(st.uid)) return text('inf.trust.owner', { path: p, uid: st.uid });
  const mode = st.mode & 0o7777;
  if ((mode & GROUP_OR_OTHER_WRITE) !== 0 && !(folder && (mode & STICKY) !== 0)) {
    return text('inf.trust.writable', { path: p, mode: mode.toString(8).padStart(4, '0') });
  }
  return null;
}

/**
 * Why `command` must not be run, or null when it may. Call it after the Command is known to be
 * an existing absolute path; a file that vanished in between is null (the run reports it).
 */
export async function commandTrustProblem(command: string, platform: Platform = process.platform): Promise<InfText | null> {
  if (platform === 'win32') return null;
  const uids = trustedUids();
  let real: string;
  let st: Stats;
  try {
    real = await fsp.realpath(command);
    st = await fsp.stat(real);
  } catch {
    return null;
  }
  const own = problemOf(command, st, uids, false);
  if (own) return own;
  const folders = [...new Set([...foldersAbove(path.posix.resolve(command)), ...foldersAbove(real)])];
  for (const dir of folders) {
    let dst: Stats;
    try {
      dst = await fsp.stat(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      return text('inf.trust.unreadable', { path: dir, reason: code ?? String(err) });
    }
    const problem = problemOf(dir, dst, uids, true);
    if (problem) return problem;
  }
  return null;
}

/** A tool as the definition files give it: its section, the section's line, its Command. */
export interface DefinedTool {
  section: string;
  line: number;
  command: string | null;
}

/**
 * `inf check`'s errors for the Commands that exist here and may not be run (one per tool, on its
 * section's line), so the refusal is seen before a fault needs the logs.
 */
export async function untrustedToolDiagnostics(file: string, tools: DefinedTool[], platform: Platform = process.platform): Promise<InfDiagnostic[]> {
  const out: InfDiagnostic[] = [];
  for (const tool of tools) {
    if (!tool.command || !tool.command.startsWith('/') || platform === 'win32') continue;
    const problem = await commandTrustProblem(tool.command, platform);
    if (problem) out.push(diagnostic(file, tool.line, 'error', text('inf.tool.untrusted', { section: tool.section, problem })));
  }
  return out;
}
