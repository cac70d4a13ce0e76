import { constants as fsConstants, promises as fs } from 'node:fs';
import { migrateSettings, defaultSettings, SECRET_KEY, settingsSchema, type Settings } from '../../src-shared/settings';
import { mapSecrets, type SecretCodec } from '../platform/secrets';
import { removeStaleTemps, writeFileAtomic } from '../lib/atomic-file';
import { repairSettings } from './settings-repair';
import { parseIn } from './validation';

/** A settings file that could not be used as it was; it was kept aside, never deleted. */
export interface CorruptFile {
  file: string;
  aside: string;
  reason: string;
  /** the fields put back to their defaults, every other one kept; empty when the whole file was unusable */
  reset: string[];
}

/** What the text on disk gave: settings as they are, settings with some fields reset, or nothing usable. */
type Reading = { settings: Settings; reset?: string[]; reason?: string } | { settings?: undefined; reason: string };

export interface Loaded {
  settings: Settings;
  corrupt: CorruptFile | null;
  /** secrets that could not be decrypted (the key file was lost or replaced); they are now empty */
  lostSecrets: string[];
}

/**
 * Reads and writes settings.json: validated on load, replaced atomically on save. With a codec,
 * passwords are encrypted on disk and decrypted in memory.
 */
export class SettingsStore {
  constructor(
    readonly file: string,
    private readonly codec: SecretCodec | null = null,
  ) {}

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
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), corrupt: null, lostSecrets: [] };
      throw err;
    }
    const lostSecrets: string[] = [];
    const reading = this.read(text, lostSecrets);
    if (reading.settings && !reading.reset) return { settings: reading.settings, corrupt: null, lostSecrets };
    const aside = await freeName(`${this.file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`);
    const reason = reading.reason ?? '';
    if (!reading.settings) {
      await fs.rename(this.file, aside);
      return { settings: defaultSettings(), corrupt: { file: this.file, aside, reason, reset: [] }, lostSecrets: [] };
    }
    // Kept aside as it was, then replaced by what was valid in it (a crash in between repeats this at the next start).
    await fs.copyFile(this.file, aside, fsConstants.COPYFILE_EXCL);
    await this.save(reading.settings);
    return { settings: reading.settings, corrupt: { file: this.file, aside, reason, reset: reading.reset! }, lostSecrets };
  }

  async save(settings: Settings): Promise<void> {
    const codec = this.codec;
    const onDisk = codec ? mapSecrets(settings, SECRET_KEY, (v) => codec.encrypt(v)) : settings;
    await writeFileAtomic(this.file, JSON.stringify(onDisk, null, 2) + '\n');
  }

  /**
   * The parsed settings (secrets decrypted); with a field that breaks the schema, the settings
   * with that field reset (`reset`, `reason` the first problem); or a one-line reason why the
   * text cannot be used at all.
   */
  private read(text: string, lostSecrets: string[]): Reading {
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return { reason: `not JSON (${(err as Error).message})` };
    }
    try {
      raw = migrateSettings(raw);
    } catch (err) {
      return { reason: (err as Error).message };
    }
    const codec = this.codec;
    if (codec) {
      raw = mapSecrets(raw, SECRET_KEY, (v, at) => {
        const plain = codec.decrypt(v);
        if (plain === null) lostSecrets.push(at);
        return plain ?? '';
      });
    }
    const parsed = parseIn(settingsSchema, raw, 'en');
    if (parsed.ok) return { settings: parsed.value };
    const reason = `${parsed.problem.field}: ${parsed.problem.reason}`;
    const repaired = repairSettings(raw);
    return repaired ? { settings: repaired.settings, reset: repaired.reset, reason } : { reason };
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
