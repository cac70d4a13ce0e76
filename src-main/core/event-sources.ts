/**
 * The event sources the service runs on this platform (docs/event-sources.md): the systemd
 * journal on Linux, the event log (System, Application) on Windows. State that lets a source
 * resume where it stopped — the journal cursor, the last record id per log — lives in
 * `<data dir>/events/`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EventSource } from '../events/fault-event';
import { JournalSource } from '../events/journal';
import { WindowsEventLogSource } from '../events/windows';

export function platformEventSources(dataDir: string, log: (line: string) => void, platform: NodeJS.Platform = process.platform): EventSource[] {
  const dir = path.join(dataDir, 'events');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform === 'linux') return [new JournalSource({ cursorFile: path.join(dir, 'journal-cursor.json'), log })];
  if (platform === 'win32') return [new WindowsEventLogSource({ bookmarkFile: path.join(dir, 'windows-bookmarks.json'), log })];
  return [];
}
