/**
 * The schedule each method's waiting reports were planned by, kept beside the queue
 * (`<queue>/schedules.json`, docs/formats/queue.md), so that a schedule changed while the service
 * was not running (the CLI, a hand edit) is noticed at the next start and the waiting reports
 * are planned again — and an unchanged one plans nothing again.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../lib/atomic-file';

export class PlannedSchedules {
  private loaded: Map<string, string> | null = null;

  constructor(private readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, 'schedules.json');
  }

  /** method → the schedule (as JSON) its reports were planned by; empty when unknown (then every method counts as changed). */
  async load(): Promise<Map<string, string>> {
    if (this.loaded) return this.loaded;
    const map = new Map<string, string>();
    try {
      const data = JSON.parse(await fsp.readFile(this.file, 'utf8')) as unknown;
      const methods = (data as { version?: unknown; methods?: unknown }).methods;
      if ((data as { version?: unknown }).version === 1 && methods && typeof methods === 'object') {
        for (const [method, schedule] of Object.entries(methods)) if (typeof schedule === 'string') map.set(method, schedule);
      }
    } catch {
      // missing or unreadable: every waiting report is planned again once, then it is written anew
    }
    this.loaded = map;
    return map;
  }

  async save(map: Map<string, string>): Promise<void> {
    this.loaded = map;
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, methods: Object.fromEntries(map) }) + '\n', 0o600);
  }
}
