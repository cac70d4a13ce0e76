import type { readersInfJa, readersJa } from './readers-ja';

/** English texts of the readers; every key of readers-ja.ts. */
export const readersInfEn: Record<keyof typeof readersInfJa, string> = {
  'inf.file.notRegular': 'cannot read the file: it is not a regular file (a FIFO, a device, a socket, …)',
  'inf.file.grew': 'the file grew past {max} bytes while it was read; a definition file is at most {max} bytes (1 MiB)',
  'inf.trust.writable': '{path} can be rewritten by users other than its owner and root (mode {mode}); let only its owner and root write to it',
  'inf.trust.owner': '{path} is owned by UID {uid}, which is neither root nor the user this service runs as',
  'inf.trust.unreadable': '{path} cannot be checked ({reason})',
  'inf.tool.untrusted': 'the Command in [{section}] is not run: {problem}',
};

export const readersEn: Record<keyof typeof readersJa, string> = {
  'error.source-control': 'The event source name contains the control character {char}; give a name without line breaks or control characters.',
};
