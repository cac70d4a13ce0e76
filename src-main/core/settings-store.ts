import { promises as fs } from 'node:fs';
import { migrateSettings, defaultSettings, SECRET_KEY, settingsSchema, type Settings } from '../../src-shared/settings';
import { mapSecrets, type SecretCodec } from '../platform/secrets';
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
    const reason = this.problemWith(text, lostSecrets);
    if (typeof reason !== 'string') return { settings: reason, corrupt: null, lostSecrets };
    const aside = await freeName(`${this.file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`);
    await fs.rename(this.file, aside);
    return { settings: defaultSettings(), corrupt: { file: this.file, aside, reason }, lostSecrets: [] };
  }

  async save(settings: Settings): Promise<void> {
    const codec = this.codec;
    const onDisk = codec ? mapSecrets(settings, SECRET_KEY, (v) => codec.encrypt(v)) : settings;
    await writeFileAtomic(this.file, JSON.stringify(onDisk, null, 2) + '\n');
  }

  /** The parsed settings (secrets decrypted), or a one-line reason why the text cannot be used. */
  private problemWith(text: string, lostSecrets: string[]): Settings | string {
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
    const codec = this.codec;
    if (codec) {
      raw = mapSecrets(raw, SECRET_KEY, (v, at) => {
        const plain = codec.decrypt(v);
        if (plain === null) lostSecrets.push(at);
        return plain ?? '';
      });
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
