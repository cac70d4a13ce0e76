import { promises as fs } from 'node:fs';
import { migrateSettings, defaultSettings, settingsSchema, type Settings } from '../../src-shared/settings';
import { removeStaleTemps, writeFileAtomic } from './atomic-file';
import { parseIn } from './validation';

/** A settings file that could not be used; it was renamed aside, never deleted. */
export interface CorruptFile {
  file: string;
  aside: string;
  reason: string;
}

export interface Loaded {
  settings: Settings;
  corrupt: CorruptFile | null;
}

/** Reads and writes settings.json: validated on load, replaced atomically on save. */
export class SettingsStore {
  constructor(readonly file: string) {}

  /** A cheap fingerprint of the file on disk (null when absent) to notice changes by others. */
  async fingerprint(): Promise<string | null> {
    try {
      const st = await fs.stat(this.file);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return null;
    }
  }

  async load(now: Date = new Date()): Promise<Loaded> {
    await removeStaleTemps(this.file);
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), corrupt: null };
      throw err;
    }
    const reason = this.problemWith(text);
    if (typeof reason !== 'string') return { settings: reason, corrupt: null };
    const aside = await freeName(`${this.file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`);
    await fs.rename(this.file, aside);
    return { settings: defaultSettings(), corrupt: { file: this.file, aside, reason } };
  }

  async save(settings: Settings): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(settings, null, 2) + '\n');
  }

  /** The parsed settings, or a one-line reason why the text cannot be used. */
  private problemWith(text: string): Settings | string {
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return `not JSON (${(err as Error).message})`;
    }
    try {
      raw = migrateSettings(raw);
    } catch (err) {
      return (err as Error).message;
    }
    const parsed = parseIn(settingsSchema, raw, 'en');
    return parsed.ok ? parsed.value : `${parsed.problem.field}: ${parsed.problem.reason}`;
  }
}

/** `base`, or `base-2`, `base-3`… so that a file kept aside never replaces an earlier one. */
async function freeName(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    try {
      await fs.lstat(name);
    } catch {
      return name;
    }
  }
}
